/** Moved to lib/http/form_errors.ts; kept only until routes/wallet/ imports it from there. */
export { type FieldErrors, fieldErrors, firstInvalid } from "../../lib/http/form_errors.ts";

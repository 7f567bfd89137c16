/** Moved to lib/http/form_validator.ts; kept only until routes/wallet/ imports it from there. */
export { formValidator, type InvalidFormHandler } from "../../lib/http/form_validator.ts";

/** Input checks shared by the endpoints: body field shapes (zod) and GoTrue's email/phone validation. */
import { z } from "zod";
import { validationFailed } from "./errors.ts";

/** An optional string field; JSON null counts as absent, like Go's zero value. */
export const optString = z.string().nullish().transform((v) => v ?? undefined);
export const optBool = z.boolean().nullish().transform((v) => v ?? undefined);
export const optObject = z.record(z.string(), z.unknown()).nullish().transform((v) => v ?? undefined);

const EMAIL =
  /^[a-zA-Z0-9!#$%&'*+/=?^_`{|}~\u00a0-\uffef-]+(\.[a-zA-Z0-9!#$%&'*+/=?^_`{|}~\u00a0-\uffef-]+)*@[a-zA-Z0-9\u00a0-\uffef]([a-zA-Z0-9\u00a0-\uffef-]*[a-zA-Z0-9\u00a0-\uffef])?(\.[a-zA-Z0-9\u00a0-\uffef]([a-zA-Z0-9\u00a0-\uffef-]*[a-zA-Z0-9\u00a0-\uffef])?)*$/;

/** validateEmail of mail.go: required, at most 255 characters, well-formed; returns it lower-cased. */
export function validateEmail(email: string | undefined): string {
  if (!email) throw validationFailed("An email address is required");
  if (email.length > 255) throw validationFailed("An email address is too long");
  if (!EMAIL.test(email)) throw validationFailed("Unable to validate email address: invalid format");
  return email.toLowerCase();
}

/** validatePhone of phone.go: "+" and spaces removed, then E.164 digits. */
export function validatePhone(phone: string | undefined): string {
  const formatted = (phone ?? "").replace(/^\+/, "").replaceAll(" ", "");
  if (!/^[1-9]\d{1,14}$/.test(formatted)) {
    throw validationFailed("Invalid phone number format (E.164 required)");
  }
  return formatted;
}

/** The `redirect_to` of a request: a `redirect_to` header, else the query parameter. */
export function requestedRedirect(header: string | undefined, query: string | undefined): string | undefined {
  return header || query || undefined;
}

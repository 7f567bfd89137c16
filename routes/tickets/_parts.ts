// routes/tickets/_parts.ts — what the customer ticket routes share (and the staff work page's reply, which
// takes files the same way): the user's access token (for Storage), the files of a multipart form, and the
// body-size guard of the forms that take files.
import { bodyLimit } from "hono/body-limit";
import type { AppContext } from "../../lib/http/env.ts";
import { ticketErrors } from "../../lib/tickets/errors.ts";
import { chosenFiles, MAX_ATTACHMENT_BYTES, MAX_FILES_PER_MESSAGE } from "../../lib/tickets/attachments.ts";

/** The signed-in user's access token from the session cookies (Storage runs requests with it, so RLS applies). */
export async function accessToken(c: AppContext): Promise<string> {
  const { data } = await c.var.auth().auth.getSession();
  const token = data.session?.access_token;
  if (!token) throw ticketErrors.refuse("ticket_not_authenticated");
  return token;
}

/** The files chosen in a multipart form's `files` input. */
export async function formFiles(c: AppContext): Promise<File[]> {
  // Only a form carries files; any other body (JSON, text) has none, rather than failing to parse.
  if (!isForm(c)) return [];
  const form = await c.req.formData();
  return chosenFiles(form.getAll("files"));
}

/** Forms with files: at most MAX_FILES_PER_MESSAGE files of 10 MB and some text; a bigger body is refused. */
export const filesBodyLimit = bodyLimit({
  maxSize: MAX_FILES_PER_MESSAGE * MAX_ATTACHMENT_BYTES + 256 * 1024,
  onError: () => {
    throw ticketErrors.refuse("ticket_attachment_too_large");
  },
});

/** True when the request body is a form (multipart or URL-encoded), the only bodies the pages read. */
export function isForm(c: AppContext): boolean {
  return /^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(
    c.req.header("content-type") ?? "",
  );
}

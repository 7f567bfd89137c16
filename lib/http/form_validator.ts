/** zod validation for HTML forms: on failure the page is rendered again with an error per field. */
import { zValidator } from "@hono/zod-validator";
import type { ZodType } from "zod";
import type { AppContext } from "./env.ts";
import { type FieldErrors, fieldErrors } from "./form_errors.ts";

export type InvalidFormHandler = (
  c: AppContext,
  errors: FieldErrors,
  values: Record<string, string>,
) => Response | Promise<Response>;

/** Keeps the posted text values (never files) so the form can show what was typed. */
function textValues(data: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries((data ?? {}) as Record<string, unknown>)) {
    if (typeof value === "string") out[key] = value.slice(0, 500);
  }
  return out;
}

/** `validate("form", schema)` for pages: invalid input re-renders the form (via `onInvalid`) with a 400. */
export function formValidator<T extends ZodType>(schema: T, onInvalid: InvalidFormHandler) {
  return zValidator("form", schema, async (result, c) => {
    if (!result.success) {
      return await onInvalid(c as unknown as AppContext, fieldErrors(result.error), textValues(result.data));
    }
  });
}

/** Turns zod issues into one message key per form field (messages are i18n keys set in the schemas). */
import type { core } from "zod";
import type { MessageKey } from "../i18n/mod.ts";

export type FieldErrors = Partial<Record<string, MessageKey>>;

/** The first issue per field; schemas set `message` to a key of lib/i18n (e.g. "form.error.email"). */
export function fieldErrors(error: core.$ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "_form");
    out[field] ??= (issue.message.startsWith("form.") ? issue.message : "form.error.invalid") as MessageKey;
  }
  return out;
}

/** Name of the first field with an error, to put keyboard focus there (autofocus works without JS). */
export function firstInvalid(errors: FieldErrors, order: readonly string[]): string | undefined {
  return order.find((name) => errors[name]);
}

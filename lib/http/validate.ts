/** zod at the edge: every query, param, form and JSON body is parsed; a failure is a 400 naming the field. */
import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import type { ZodType } from "zod";
import { requestErrors } from "../errors.ts";

/** The first problem zod found, as the field's path (or the whole target) and zod's message. */
export function firstIssue(
  error: { issues: { path: PropertyKey[]; message: string }[] },
  target: string,
): { field: string; message: string } {
  const issue = error.issues[0];
  return { field: issue?.path.join(".") || target, message: issue?.message ?? "invalid" };
}

/** `validate(target, schema)`: invalid input is refused as `invalid_input` (the one error mapper answers it). */
export function validate<T extends ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T,
) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const { field, message } = firstIssue(result.error, target);
      throw requestErrors.refuse("invalid_input", { field, reason: message }, `${field}: ${message}`);
    }
  });
}

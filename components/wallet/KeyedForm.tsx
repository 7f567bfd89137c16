/**
 * A money form that must take effect once: its error summary, then the form carrying its idempotency key in a
 * hidden field (made with the form, kept across re-renders, so a double submit moves the money once).
 */
import type { ComponentChildren } from "preact";
import { FormAlert } from "../forms/Field.tsx";

export function KeyedForm(
  { action, idempotencyKey, problem, children }: {
    action: string;
    /** The key of the form being shown again; a new one when absent. */
    idempotencyKey?: string;
    problem?: string;
    children: ComponentChildren;
  },
) {
  return (
    <>
      <FormAlert kind="error" text={problem} />
      <form method="post" action={action} novalidate>
        <input type="hidden" name="key" value={idempotencyKey || crypto.randomUUID()} />
        {children}
      </form>
    </>
  );
}

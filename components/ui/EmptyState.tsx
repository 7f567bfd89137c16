/** What a list shows when it has no rows: one sentence, and optionally what to do next. */
import type { ComponentChildren } from "preact";

export function EmptyState({ text, children }: { text: string; children?: ComponentChildren }) {
  return (
    <p class="alert alert-info empty-state">
      {text}
      {children && <>{" "}{children}</>}
    </p>
  );
}

/**
 * A banner: the outcome of a redirect (`?notice=…`), a form's error summary, an info or warning message.
 * Errors are announced at once (role=alert), everything else politely (role=status).
 */
import type { ComponentChildren } from "preact";

export type NoticeKind = "success" | "info" | "warning" | "error";

export interface NoticeProps {
  kind: NoticeKind;
  /** The banner's text; nothing is rendered when both text and children are empty. */
  text?: string;
  children?: ComponentChildren;
  id?: string;
  class?: string;
  /** Extra attributes tests and scripts look for (e.g. data-payment-status). */
  data?: Record<`data-${string}`, string>;
}

export function Notice({ kind, text, children, id, class: extra, data }: NoticeProps) {
  if (!text && (children === undefined || children === null || children === false)) return null;
  return (
    <div
      id={id}
      class={`alert alert-${kind}${extra ? ` ${extra}` : ""}`}
      role={kind === "error" ? "alert" : "status"}
      {...data}
    >
      {text}
      {children}
    </div>
  );
}

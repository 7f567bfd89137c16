/**
 * A receipt's actions once JavaScript runs: copy the transaction reference, share it (where the browser can),
 * and print. Without JavaScript nothing is rendered: the reference stays selectable text on the page and the
 * browser's own print command uses the print stylesheet.
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";

export interface ReceiptActionsProps extends Record<string, unknown> {
  /** The transaction reference to copy or share. */
  reference: string;
  /** The share sheet's title (e.g. "Receipt TX-…"). */
  title: string;
  labels: { copy: string; copied: string; share: string; print: string };
}

export function ReceiptActions({ reference, title, labels }: ReceiptActionsProps) {
  const ready = useSignal(false);
  const copied = useSignal(false);
  const canShare = useSignal(false);
  useEffect(() => {
    ready.value = true;
    canShare.value = typeof navigator.share === "function";
  }, []);
  if (!ready.value) return null;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(reference);
    } catch {
      // No clipboard permission: select the reference so the person can copy it themselves.
      const node = document.getElementById("receipt-reference");
      if (node) getSelection()?.selectAllChildren(node);
    }
    copied.value = true;
  };
  return (
    <p class="actions receipt-actions no-print">
      <button type="button" class="button button-ghost button-small" id="receipt-copy" onClick={copy}>
        {labels.copy}
      </button>
      {canShare.value && (
        <button
          type="button"
          class="button button-ghost button-small"
          onClick={() => navigator.share({ title, text: `${title}: ${reference}` }).catch(() => {})}
        >
          {labels.share}
        </button>
      )}
      <button type="button" class="button button-small" id="receipt-print" onClick={() => print()}>
        {labels.print}
      </button>
      <span role="status" class="receipt-copied">{copied.value ? labels.copied : ""}</span>
    </p>
  );
}

/**
 * The wallet's balance cards; in the browser they follow /wallet/events (SSE) and update when money moves.
 * With `history`, new transactions also appear at the top of the history table (rows rendered by the server,
 * the same markup as the page's), and money coming in is announced in a toast.
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { formatToman } from "../lib/i18n/format.ts";

export interface LiveBalanceProps extends Record<string, unknown> {
  locale: "fa" | "en";
  /** Rials as decimal strings (JSON has no bigint). */
  balance: string;
  held: string;
  available: string;
  labels: { balance: string; held: string; available: string; live: string; close: string };
  /** Where the server streams wallet changes. */
  events: string;
  /** The history section new rows go into (absent on filtered or older pages: rows are not inserted). */
  history?: { selector: string };
}

interface Amounts {
  balance: string;
  held: string;
  available: string;
}

/** A new transaction as the server announces it: its row (a one-row history table) and, for money in, a toast. */
export interface LiveEntry {
  transactionId: string;
  /** A rendered history table holding this one row. */
  html: string;
  toast?: string;
}

/** Puts the row of `entry` at the top of the history in `section` (once), or the table in place of the empty state. */
function insertRow(section: Element, entry: LiveEntry) {
  if (section.querySelector(`[data-transaction="${entry.transactionId}"]`)) return;
  const template = document.createElement("template");
  template.innerHTML = entry.html;
  const body = section.querySelector(".wallet-entries tbody");
  const row = template.content.querySelector("tbody tr");
  if (body && row) {
    row.classList.add("live-new");
    body.prepend(row);
    return;
  }
  const table = template.content.querySelector(".table-wrap");
  const empty = section.querySelector(".empty-state");
  if (table && empty) empty.replaceWith(table);
}

export function LiveBalance(props: LiveBalanceProps) {
  const amounts = useSignal<Amounts>({
    balance: props.balance,
    held: props.held,
    available: props.available,
  });
  const live = useSignal(false);
  const toasts = useSignal<{ id: string; text: string }[]>([]);
  useEffect(() => {
    const source = new EventSource(props.events);
    source.addEventListener("open", () => live.value = true);
    source.addEventListener("error", () => live.value = false);
    source.addEventListener("balance", (event) => {
      const data = JSON.parse((event as MessageEvent).data) as Amounts;
      amounts.value = { balance: data.balance, held: data.held, available: data.available };
    });
    source.addEventListener("entry", (event) => {
      const entry = JSON.parse((event as MessageEvent).data) as LiveEntry;
      const section = props.history && document.querySelector(props.history.selector);
      if (section) insertRow(section, entry);
      if (entry.toast) {
        const toast = { id: entry.transactionId, text: entry.toast };
        toasts.value = [...toasts.value.filter((t) => t.id !== toast.id), toast].slice(-3);
        setTimeout(() => toasts.value = toasts.value.filter((t) => t.id !== toast.id), 10_000);
      }
    });
    return () => source.close();
  }, [props.events]);
  const show = (rials: string) => formatToman(BigInt(rials), props.locale);
  const { balance, held, available } = amounts.value;
  return (
    <div class="wallet-balance" data-live={live.value ? "on" : "off"}>
      <ul class="stats wallet-stats" aria-live="polite">
        <li class="card stat">
          <span class="label">{props.labels.balance}</span>
          <span class="value" id="wallet-balance" data-rials={balance}>{show(balance)}</span>
        </li>
        <li class="card stat">
          <span class="label">{props.labels.held}</span>
          <span class="value" id="wallet-held" data-rials={held}>{show(held)}</span>
        </li>
        <li class="card stat stat-primary">
          <span class="label">{props.labels.available}</span>
          <span class="value" id="wallet-available" data-rials={available}>{show(available)}</span>
        </li>
      </ul>
      {live.value && <p class="live-indicator">{props.labels.live}</p>}
      <div class="toasts" role="status" aria-live="polite">
        {toasts.value.map((toast) => (
          <p class="toast" data-toast={toast.id} key={toast.id}>
            <span>{toast.text}</span>
            <button
              type="button"
              class="toast-close"
              aria-label={props.labels.close}
              onClick={() => toasts.value = toasts.value.filter((t) => t.id !== toast.id)}
            >
              ×
            </button>
          </p>
        ))}
      </div>
    </div>
  );
}

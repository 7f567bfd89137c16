/** The wallet's balance cards; in the browser they follow /wallet/events (SSE) and update when money moves. */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { formatToman } from "../lib/i18n/format.ts";

export interface LiveBalanceProps extends Record<string, unknown> {
  locale: "fa" | "en";
  /** Rials as decimal strings (JSON has no bigint). */
  balance: string;
  held: string;
  available: string;
  labels: { balance: string; held: string; available: string; live: string };
  /** Where the server streams wallet changes. */
  events: string;
}

interface Amounts {
  balance: string;
  held: string;
  available: string;
}

export function LiveBalance(props: LiveBalanceProps) {
  const amounts = useSignal<Amounts>({
    balance: props.balance,
    held: props.held,
    available: props.available,
  });
  const live = useSignal(false);
  useEffect(() => {
    const source = new EventSource(props.events);
    source.addEventListener("open", () => live.value = true);
    source.addEventListener("error", () => live.value = false);
    source.addEventListener("balance", (event) => {
      const data = JSON.parse((event as MessageEvent).data) as Amounts;
      amounts.value = { balance: data.balance, held: data.held, available: data.available };
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
    </div>
  );
}

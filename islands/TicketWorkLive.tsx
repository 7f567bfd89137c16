/**
 * The staff work page's live part: follows /admin/tickets/:id/events (SSE) for new messages and for other
 * agents' presence, and tells the server when this agent starts replying (POST …/presence).
 */
import { useSignal } from "@preact/signals";
import { useLiveSource } from "./use_live_source.ts";
import { dateTimeFormat } from "../lib/i18n/format.ts";

const CLOCK = { timeZone: "Asia/Tehran", hour: "2-digit", minute: "2-digit" } as const;

export interface TicketWorkLiveProps extends Record<string, unknown> {
  events: string;
  presenceUrl: string;
  /** Presence as rendered by the server (other agents viewing / replying). */
  presence: string;
  locale: "fa" | "en";
  labels: {
    customer: string;
    staff: string;
    internal: string;
    newMessages: string;
    /** "{email} is viewing" with the {email} placeholder. */
    viewing: string;
    replying: string;
  };
}

interface LiveMessage {
  id: string;
  author_role: "customer" | "staff" | "system";
  author: string;
  body: string;
  internal: boolean;
  created_at: string;
}

interface PresenceEntry {
  email: string;
  state: "viewing" | "replying";
}

export function TicketWorkLive(props: TicketWorkLiveProps) {
  const messages = useSignal<LiveMessage[]>([]);
  const presence = useSignal(props.presence);
  const live = useLiveSource(props.events, {
    message: (data) => {
      const message = data as LiveMessage;
      if (!messages.value.some((m) => m.id === message.id)) messages.value = [...messages.value, message];
    },
    presence: (data) => {
      presence.value = (data as PresenceEntry[]).map((p) =>
        (p.state === "replying" ? props.labels.replying : props.labels.viewing).replace("{email}", p.email)
      ).join(" · ");
    },
  }, () => {
    // Typing in the reply box tells the other agents (at most every 20 seconds).
    const box = document.getElementById("reply-body");
    let last = 0;
    const typing = () => {
      if (Date.now() - last < 20_000) return;
      last = Date.now();
      fetch(props.presenceUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "state=replying",
      }).catch(() => {});
    };
    box?.addEventListener("input", typing);
    return () => box?.removeEventListener("input", typing);
  });
  const time = (iso: string) =>
    dateTimeFormat(props.locale === "fa" ? "fa-IR" : "en-GB", CLOCK).format(new Date(iso));
  return (
    <div class="ticket-live" data-live={live.value ? "on" : "off"}>
      <p class="presence" aria-live="polite" data-presence={presence.value ? "others" : "none"}>
        {presence.value}
      </p>
      {messages.value.length > 0 && (
        <section aria-live="polite">
          <h2 class="visually-hidden">{props.labels.newMessages}</h2>
          <ol class="thread thread-live">
            {messages.value.map((m) => (
              <li
                class={`thread-message thread-${m.author_role}${m.internal ? " thread-internal" : ""}`}
                data-message={m.id}
                data-author-role={m.author_role}
              >
                <header class="thread-head">
                  <strong>
                    {m.author || (m.author_role === "customer" ? props.labels.customer : props.labels.staff)}
                  </strong>
                  {m.internal && <span class="badge badge-warning">{props.labels.internal}</span>}
                  <time dateTime={m.created_at}>{time(m.created_at)}</time>
                </header>
                <div class="thread-body">{m.body}</div>
              </li>
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}

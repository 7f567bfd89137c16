/** The staff queue's live list: follows /admin/tickets/events (SSE) and names each ticket a customer just wrote on. */
import { useSignal } from "@preact/signals";
import { useLiveSource } from "./use_live_source.ts";

export interface TicketQueueLiveProps extends Record<string, unknown> {
  labels: { heading: string };
  /** Where the server streams new customer messages. */
  events: string;
}

interface Arrival {
  ticket_id: string;
  number: string;
  subject: string;
}

export function TicketQueueLive(props: TicketQueueLiveProps) {
  const arrivals = useSignal<Arrival[]>([]);
  const live = useLiveSource(props.events, {
    message: (data) => {
      const arrival = data as Arrival;
      arrivals.value = [arrival, ...arrivals.value.filter((a) => a.ticket_id !== arrival.ticket_id)].slice(
        0,
        10,
      );
    },
  });
  return (
    <div class="queue-live" data-live={live.value ? "on" : "off"} aria-live="polite">
      {arrivals.value.length > 0 && (
        <div class="alert alert-info">
          <strong>{props.labels.heading}</strong>
          <ul class="queue-arrivals">
            {arrivals.value.map((a) => (
              <li data-arrival={a.ticket_id}>
                <a href={`/admin/tickets/${a.ticket_id}`}>
                  <bdi dir="ltr">{a.number}</bdi> <bdi>{a.subject}</bdi>
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/**
 * New support replies on a customer's open ticket, without a reload: follows the ticket's SSE stream
 * (/tickets/:id/events) and shows each message the server rendered with the same Thread markup as the page.
 * Without JavaScript nothing is lost: the replies are on the page at the next load.
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";

export interface LiveRepliesProps extends Record<string, unknown> {
  /** Where the server streams new replies (SSE, event `message`, data `{id, html}`). */
  events: string;
  /** The heading over replies that arrived live. */
  label: string;
}

interface Reply {
  id: string;
  html: string;
}

export function LiveReplies(props: LiveRepliesProps) {
  const replies = useSignal<Reply[]>([]);
  const live = useSignal(false);
  useEffect(() => {
    const source = new EventSource(props.events);
    source.addEventListener("open", () => live.value = true);
    source.addEventListener("error", () => live.value = false);
    source.addEventListener("message", (event) => {
      const reply = JSON.parse((event as MessageEvent).data) as Reply;
      if (!replies.value.some((r) => r.id === reply.id)) replies.value = [...replies.value, reply];
    });
    return () => source.close();
  }, [props.events]);
  return (
    <div class="live-replies" data-live={live.value ? "on" : "off"} aria-live="polite">
      {replies.value.length > 0 && <p class="live-indicator">{props.label}</p>}
      {replies.value.map((reply) => (
        <div key={reply.id} data-live-message={reply.id} dangerouslySetInnerHTML={{ __html: reply.html }} />
      ))}
    </div>
  );
}

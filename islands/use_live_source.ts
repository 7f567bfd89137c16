/** Follows a Server-Sent Events stream while the island is mounted: JSON data per event name, and whether it is connected. */
import { type Signal, useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";

export function useLiveSource(
  url: string,
  handlers: Record<string, (data: unknown) => void>,
  onMount?: () => (() => void) | void,
): Signal<boolean> {
  const live = useSignal(false);
  useEffect(() => {
    const source = new EventSource(url);
    source.addEventListener("open", () => live.value = true);
    source.addEventListener("error", () => live.value = false);
    for (const [name, handle] of Object.entries(handlers)) {
      source.addEventListener(name, (event) => handle(JSON.parse((event as MessageEvent).data)));
    }
    const cleanup = onMount?.();
    return () => {
      source.close();
      cleanup?.();
    };
  }, [url]);
  return live;
}

/** Marks a server-rendered component for hydration in the browser (see islands/_entry.ts). */
import type { ComponentType } from "preact";

/**
 * Wraps `Component` so its server render is placed in an element naming the island and carrying its
 * props as JSON; the browser bundle hydrates exactly those elements. Props must be JSON-serializable.
 */
export function island<P extends Record<string, unknown>>(name: string, Component: ComponentType<P>) {
  return function IslandRoot(props: P) {
    return (
      <div data-island={name} data-props={JSON.stringify(props)} class="island">
        <Component {...props} />
      </div>
    );
  };
}

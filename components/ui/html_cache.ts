import { BoundedMap } from "../../lib/bounded_map.ts";

/**
 * A bounded least-recently-used cache of rendered HTML, for pieces of a page that never change for the same
 * inputs (a ledger entry's history row: an entry is never updated). The caller's key must hold every input
 * the HTML is rendered from; `get` renders on a miss. Map order is insertion order: a hit moves the key to the
 * end, and a full cache drops the first (least recently used) key.
 */
export class HtmlCache {
  readonly #entries: BoundedMap<string, string>;
  /** Renders done (misses) and renders saved (hits) since start, for tests and benches. */
  rendered = 0;
  reused = 0;

  constructor(readonly capacity: number) {
    this.#entries = new BoundedMap(capacity);
  }

  get(key: string, render: () => string): string {
    const html = this.#entries.get(key);
    if (html !== undefined) {
      this.reused++;
      this.#entries.delete(key);
      this.#entries.set(key, html);
      return html;
    }
    this.rendered++;
    const made = render();
    this.#entries.set(key, made);
    return made;
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }
}

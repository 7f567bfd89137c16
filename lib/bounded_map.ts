/**
 * A Map that holds at most `capacity` entries: adding a new key to a full map drops the oldest key first (Map
 * order is insertion order). For in-process caches of things that cannot change for the same key; a caller that
 * wants least-recently-used order deletes and re-sets a key on a hit.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(readonly capacity: number) {
    super();
    if (!(capacity >= 1)) throw new Error("a BoundedMap holds at least one entry");
  }

  override set(key: K, value: V): this {
    if (this.size >= this.capacity && !this.has(key)) this.delete(this.keys().next().value!);
    return super.set(key, value);
  }
}

/**
 * Serialized response bodies kept while every value they were made from is still the same object. Cached reads
 * (`CachedReads`) are shared and never changed in place: a change to their rows replaces them, so an unchanged
 * identity means an unchanged body. Keyed weakly by the first value, so a dropped cache entry frees its body.
 */
export class BodyMemo<K extends object> {
  readonly #bodies = new WeakMap<K, { parts: readonly unknown[]; body: string }>();

  /** The body `serialize` made for this key and these parts, or a new one. */
  body(key: K, parts: readonly unknown[], serialize: () => string): string {
    const kept = this.#bodies.get(key);
    if (kept && kept.parts.length === parts.length && kept.parts.every((part, i) => part === parts[i])) return kept.body;
    // Flattened once (a serializer's output is a rope): Node writes a flat string and the headers in one system call.
    const body = Buffer.from(serialize()).toString();
    this.#bodies.set(key, { parts, body });
    return body;
  }
}

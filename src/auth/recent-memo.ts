/**
 * The latest results of a costly pure function of a token (an HMAC), at most `limit` of them, oldest dropped first:
 * a client sends the same token with every request. It holds nothing a memory reader lacks already (the keys that
 * compute the results live in the same process).
 */
export class RecentMemo<V> {
  readonly #values = new Map<string, V>();

  constructor(private readonly limit: number) {}

  get(key: string, compute: (key: string) => V): V {
    const known = this.#values.get(key);
    if (known !== undefined) return known;
    const value = compute(key);
    if (this.#values.size >= this.limit) {
      const oldest = this.#values.keys().next();
      if (!oldest.done) this.#values.delete(oldest.value);
    }
    this.#values.set(key, value);
    return value;
  }
}

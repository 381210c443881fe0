/**
 * Tags name what a cached value was read from; a change to that names the same tag (see `Tx.invalidate`).
 * `user:<id>`: the user's row, memberships, tokens and sessions; `org:<id>`: the organization's row, settings,
 * permission overrides and member counts; `*`: everything.
 */
export const userTag = (id: number): string => `user:${id}`;
export const orgTag = (id: number): string => `org:${id}`;
export const ALL_TAGS = '*';
/** Any user's searched or sorted columns (names, e-mail, username, date joined): what a remembered search read. */
export const USER_PROFILES_TAG = 'user-profiles';

/** Receives the tags a write touched: the unit of work collects them (repositories call it from their write methods). */
export type ChangeSink = (...tags: string[]) => void;

/** Whether the cache may be trusted now (the change feed is live and has missed nothing). */
export interface CacheGuard {
  check(): boolean;
}

interface Entry {
  value: unknown;
  tags: readonly string[];
  expiresAt: number;
}

export interface ReadCacheOptions {
  /** Entries kept at most (least recently stored dropped first). */
  maxEntries?: number;
  /** A value is read again after this long, whatever happens: a backstop for a change that named no tag. */
  ttlMs?: number;
}

/**
 * Values read from the database, kept by key and dropped by tag. It serves nothing unless `guard` says the change
 * feed is live, so a change made by another server reaches this one as fast as the feed does (under a second on
 * PostgreSQL, at the next request on SQLite), and a change made here at the next request (the unit of work drops the
 * tags once it commits). A read that raced with a change is not stored.
 */
export class ReadCache {
  readonly #entries = new Map<string, Entry>();
  readonly #byTag = new Map<string, Set<string>>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  /** Moves on every invalidation: a read begun before it may hold old data and is not stored. */
  #generation = 0;
  readonly #partitions: ReadCache[] = [];

  constructor(
    private readonly guard: CacheGuard,
    options: ReadCacheOptions = {},
  ) {
    this.#maxEntries = options.maxEntries ?? 50_000;
    this.#ttlMs = options.ttlMs ?? 30_000;
  }

  /** The cached value, or `load()`'s (stored unless undefined or a change raced with it). */
  async get<T>(key: string, load: () => Promise<T>, tagsOf: (value: NonNullable<T>) => readonly string[]): Promise<T> {
    if (!this.guard.check()) return load();
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt > performance.now()) return entry.value as T;
    if (entry) this.#delete(key);
    const generation = this.#generation;
    const value = await load();
    if (value !== undefined && value !== null && this.guard.check() && generation === this.#generation) {
      this.#store(key, value, tagsOf(value as NonNullable<T>));
    }
    return value;
  }

  /**
   * A cache of its own size and lifetime, for a few large values (remembered searches) that must not crowd out the
   * many small ones, dropped by the same tags: whatever invalidates this cache invalidates the partition.
   */
  partition(options: ReadCacheOptions): ReadCache {
    const partition = new ReadCache(this.guard, options);
    this.#partitions.push(partition);
    return partition;
  }

  /** Drops every value read from what these tags name (`*`: everything). */
  invalidate(tags: Iterable<string>): void {
    const named = [...tags];
    if (named.includes(ALL_TAGS)) {
      this.clear();
      return;
    }
    this.#generation += 1;
    for (const partition of this.#partitions) partition.invalidate(named);
    for (const tag of named) for (const key of this.#byTag.get(tag) ?? []) this.#delete(key);
  }

  clear(): void {
    for (const partition of this.#partitions) partition.clear();
    this.#generation += 1;
    this.#entries.clear();
    this.#byTag.clear();
  }

  get size(): number {
    return this.#entries.size;
  }

  #store(key: string, value: unknown, tags: readonly string[]): void {
    this.#delete(key);
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#delete(oldest);
    }
    this.#entries.set(key, { value, tags, expiresAt: performance.now() + this.#ttlMs });
    for (const tag of tags) {
      let keys = this.#byTag.get(tag);
      if (!keys) this.#byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
  }

  #delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    for (const tag of entry.tags) {
      const keys = this.#byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.#byTag.delete(tag);
    }
  }
}

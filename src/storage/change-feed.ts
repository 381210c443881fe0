import type { Database as BetterSqlite3Database } from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type pg from 'pg';
import type { Database } from '#src/storage/schema.js';

/** What a subscriber hears: tags another process changed, or that it may have missed changes (drop everything). */
export interface ChangeHandlers {
  onTags(tags: readonly string[]): void;
  onReset(): void;
}

/**
 * How processes sharing one database tell each other that cached facts changed (see `ReadCache`). Only the database
 * factory builds one: PostgreSQL uses LISTEN/NOTIFY (delivered when the writing transaction commits, to every server);
 * SQLite, a file shared by processes of one machine, compares `PRAGMA data_version`, which moves whenever another
 * connection commits anything.
 */
export interface ChangeFeed {
  /** Inside `executor`'s transaction: every other process hears the tags once it commits, and never if it rolls back. */
  publish(executor: Kysely<Database>, tags: readonly string[]): Promise<void>;
  /** Starts listening (once); `stop` ends it. */
  subscribe(handlers: ChangeHandlers): Promise<void>;
  stop(): Promise<void>;
  /**
   * Before trusting a cached value: false unless subscribed and sure no change was missed. Synchronous and cheap
   * (SQLite reads `data_version` here and resets the subscriber when another process wrote).
   */
  check(): boolean;
}

/** SQLite: nothing to send, the file itself tells; `data_version` is per connection and ignores our own commits. */
export function sqliteChangeFeed(database: BetterSqlite3Database): ChangeFeed {
  const version = database.prepare('PRAGMA data_version').pluck();
  let handlers: ChangeHandlers | undefined;
  let seen = 0;
  // One read of data_version per turn of the event loop: the reads of one request run in one turn (cached values
  // need no I/O), and every new request starts in a new turn, so it still sees any commit made before it arrived.
  let checkedThisTurn = false;
  const nextTurn = (): void => {
    checkedThisTurn = false;
  };
  return {
    publish: async () => undefined,
    subscribe: async (h) => {
      handlers = h;
      seen = version.get() as number;
    },
    stop: async () => {
      handlers = undefined;
    },
    check: () => {
      if (!handlers || !database.open) return false;
      if (checkedThisTurn) return true;
      checkedThisTurn = true;
      setImmediate(nextTurn);
      const now = version.get() as number;
      if (now !== seen) {
        seen = now;
        handlers.onReset();
      }
      return true;
    },
  };
}

const CHANNEL = 'lsa_cache_changes';
/** NOTIFY payloads must stay under 8000 bytes. */
const PAYLOAD_LIMIT = 7000;
const RECONNECT_MS = 500;
/**
 * The listening connection answers a heartbeat this often. Notifications sent before a heartbeat arrive before its
 * answer, so a cache that trusts only a feed heard from within STALE_MS misses no change for longer than that, even
 * when the connection dies silently.
 */
const HEARTBEAT_MS = 250;
const STALE_MS = 900;

/** PostgreSQL: one dedicated LISTEN connection per process; while it is down, nothing cached is trusted. */
export function postgresChangeFeed(connect: () => pg.Client): ChangeFeed {
  let handlers: ChangeHandlers | undefined;
  let client: pg.Client | undefined;
  let listening = false;
  let timer: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let aliveAt = 0;

  const beat = (next: pg.Client): void => {
    heartbeat = setTimeout(() => {
      if (client !== next) return;
      next.query('SELECT 1').then(
        () => {
          aliveAt = performance.now();
          beat(next);
        },
        () => client === next && lost(),
      );
    }, HEARTBEAT_MS);
    heartbeat.unref();
  };

  const lost = (): void => {
    listening = false;
    if (heartbeat) clearTimeout(heartbeat);
    handlers?.onReset();
    const old = client;
    client = undefined;
    old?.removeAllListeners();
    old?.on('error', () => undefined);
    void old?.end().catch(() => undefined);
    if (handlers && !timer) {
      timer = setTimeout(() => void open(), RECONNECT_MS);
      timer.unref();
    }
  };

  const open = async (): Promise<void> => {
    timer = undefined;
    if (!handlers) return;
    const next = connect();
    client = next;
    next.on('error', lost);
    next.on('end', () => client === next && lost());
    next.on('notification', (message) => {
      if (message.channel !== CHANNEL || !handlers) return;
      const tags = (message.payload ?? '').split(',').filter(Boolean);
      handlers.onTags(tags);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANNEL}`);
      if (client !== next) return;
      // Whatever changed while we were not listening is unknown: start from nothing.
      handlers.onReset();
      aliveAt = performance.now();
      listening = true;
      beat(next);
    } catch {
      if (client === next) lost();
    }
  };

  return {
    publish: async (executor, tags) => {
      let payload = '';
      const flush = async (): Promise<void> => {
        if (payload) await sql`SELECT pg_notify(${CHANNEL}, ${payload})`.execute(executor);
        payload = '';
      };
      for (const tag of new Set(tags)) {
        if (payload.length + tag.length + 1 > PAYLOAD_LIMIT) await flush();
        payload = payload ? `${payload},${tag}` : tag;
      }
      await flush();
    },
    subscribe: async (h) => {
      if (handlers) return;
      handlers = h;
      await open();
    },
    stop: async () => {
      handlers = undefined;
      listening = false;
      if (timer) clearTimeout(timer);
      if (heartbeat) clearTimeout(heartbeat);
      timer = undefined;
      const old = client;
      client = undefined;
      old?.removeAllListeners();
      old?.on('error', () => undefined);
      await old?.end().catch(() => undefined);
    },
    check: () => listening && performance.now() - aliveAt < STALE_MS,
  };
}

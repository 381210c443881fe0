import type pg from 'pg';

type Pg = typeof pg;

/** pg itself (the change feed makes its own clients) and the pool the database runs on. */
export interface PostgresDriver {
  pg: Pg;
  pool: pg.Pool;
}

/**
 * pg asks at load whether it runs in a Cloudflare Worker; on Node 20, which has no `navigator`, it finds out by building
 * a fetch `Response`, which loads Node's whole fetch implementation: ~30 ms of every PostgreSQL CLI command. A
 * `navigator` that names Node (as Node 21 and later define it) answers at once; it is gone again after the load.
 */
async function importPg(): Promise<Pg> {
  const global = globalThis as { navigator?: unknown };
  if (global.navigator !== undefined) return (await import('pg')).default;
  global.navigator = { userAgent: 'Node.js' };
  try {
    return (await import('pg')).default;
  } finally {
    delete global.navigator;
  }
}

/** Loads pg and makes the pool: timestamps leave it as ISO strings and counts as numbers, the same as on SQLite. */
export async function openPostgresPool(url: string, poolSize: number): Promise<PostgresDriver> {
  const pg = await importPg();
  const TIMESTAMPTZ = 1184;
  const INT8 = 20;
  const parseTimestamp = pg.types.getTypeParser(TIMESTAMPTZ);
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === TIMESTAMPTZ) return (value: string) => (parseTimestamp(value) as Date).toISOString();
        if (oid === INT8) return (value: string) => Number(value);
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  return { pg, pool };
}

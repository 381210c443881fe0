/** Largest id a PostgreSQL `integer` column holds; larger ids cannot name a row and must not reach the database. */
export const MAX_ROW_ID = 2_147_483_647;
/** Bounds of any integer read from a request: PostgreSQL's `integer`, the widest column that stores one. */
export const MIN_INTEGER = -2_147_483_648;
export const MAX_INTEGER = 2_147_483_647;

/**
 * A unique-constraint error, wherever it came from: PostgreSQL (23505), SQLite
 * (SQLITE_CONSTRAINT_UNIQUE / "UNIQUE constraint failed"), or Strapi's document service, which
 * checks `unique: true` attributes itself and throws "This attribute must be unique". Callers use
 * it to tell "a concurrent request inserted the same row first" from a real failure.
 * The one copy: the cms imports it from here (`@skillyug/live/utils/db-errors`).
 */
export const isUniqueViolation = (error: any) =>
  error?.code === '23505' || error?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /unique/i.test(String(error?.message));

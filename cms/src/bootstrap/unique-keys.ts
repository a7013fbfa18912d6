import type { Core } from '@strapi/strapi';

/**
 * Strapi relations live in link tables, so "one enrollment per user and course" can't be a
 * composite constraint. Each row carries a key column instead, and this unique index makes
 * the database refuse a duplicate even when two requests race. Re-applied on every start
 * because Strapi's schema sync drops indexes it doesn't know about.
 */
const UNIQUE_KEYS = [
  { table: 'enrollments', column: 'user_course_key' },
  { table: 'lesson_progresses', column: 'user_lesson_key' },
  // Two sign-ups of one new email at the same instant must make one account (sign-up lowercases emails).
  { table: 'up_users', column: 'email' },
];

export async function ensureUniqueKeys(strapi: Core.Strapi) {
  const knex = strapi.db.connection;
  for (const { table, column } of UNIQUE_KEYS) {
    try {
      await knex.raw(`CREATE UNIQUE INDEX IF NOT EXISTS ?? ON ?? (??)`, [`${table}_${column}_uidx`, table, column]);
    } catch (error) {
      // Rows that already break the rule (from before the index) must be cleaned up by a person;
      // the app still starts, and says so on every start until they are.
      strapi.log.error(`[unique-keys] ${table}.${column} has duplicate values, so it can't be made unique: ${(error as Error).message}`);
    }
  }
}

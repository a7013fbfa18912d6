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
];

export async function ensureUniqueKeys(strapi: Core.Strapi) {
  const knex = strapi.db.connection;
  for (const { table, column } of UNIQUE_KEYS) {
    await knex.raw(`CREATE UNIQUE INDEX IF NOT EXISTS ?? ON ?? (??)`, [`${table}_${column}_uidx`, table, column]);
  }
}

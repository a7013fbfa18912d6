'use strict';

/**
 * Enrollments kept where they stand in a `status` column, which collides with Strapi 5's own
 * draft/published `status` (the admin showed "Choose here", the API answered "published"). The
 * attribute is now `state`. Strapi runs this before its schema sync, so the values are copied
 * while the old column still exists; the sync then drops `status`. Idempotent: nothing to do on a
 * fresh database (no table yet), on one already migrated (no `status` column), and a rerun after a
 * partial copy only fills the rows still missing a state.
 */
const TABLE = 'enrollments';

async function up(knex) {
  if (!(await knex.schema.hasTable(TABLE))) return;
  if (!(await knex.schema.hasColumn(TABLE, 'status'))) return;
  if (!(await knex.schema.hasColumn(TABLE, 'state'))) {
    await knex.schema.alterTable(TABLE, (table) => {
      table.string('state');
    });
  }
  await knex(TABLE)
    .whereNull('state')
    .update({ state: knex.raw('??', ['status']) });
}

async function down() {
  // Nothing to undo: the schema sync owns the columns, and the values now live in `state`.
}

module.exports = { up, down };

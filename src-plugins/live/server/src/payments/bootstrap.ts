import type { Core } from '@strapi/strapi';
import { loadEnv } from '@skillyug/config';

/**
 * Strapi's `unique` attribute is checked by the document service, not the database, and its
 * schema sync drops indexes it doesn't know about — so the real constraints are (re)created on
 * every start. A unique index allows any number of NULLs on both engines (payment ids are null
 * until paid). The partial index allows one unpaid order per student and course.
 */
const INDEXES = [
  `CREATE UNIQUE INDEX IF NOT EXISTS orders_razorpay_order_id_uidx ON orders (razorpay_order_id)`,
  `CREATE UNIQUE INDEX IF NOT EXISTS orders_razorpay_payment_id_uidx ON orders (razorpay_payment_id)`,
  `CREATE UNIQUE INDEX IF NOT EXISTS orders_open_order_uidx ON orders (user_course_key) WHERE status = 'created'`,
  `CREATE INDEX IF NOT EXISTS orders_status_created_at_idx ON orders (status, created_at)`,
  `CREATE UNIQUE INDEX IF NOT EXISTS payment_events_event_id_uidx ON payment_events (event_id)`,
];

const ACTIONS = [
  { uid: 'orders.read', displayName: 'Read orders' },
  { uid: 'orders.refund', displayName: 'Refund orders' },
  { uid: 'orders.reconcile', displayName: 'Reconcile payments' },
].map((action) => ({ ...action, section: 'plugins', pluginName: 'live', subCategory: 'payments' }));

export async function bootstrapPayments(strapi: Core.Strapi) {
  for (const sql of INDEXES) await strapi.db.connection.raw(sql);

  await (strapi.service('admin::permission') as any).actionProvider.registerMany(ACTIONS);

  const setup = strapi.plugin('live').service('gateway').setup();
  if (!setup.ready) strapi.log.warn(`[payments] ${setup.reason}`);
  else if (setup.mode === 'sandbox') strapi.log.info('[payments] sandbox checkout: no real money moves (set the RAZORPAY_* variables to take payments)');

  if (setup.ready && loadEnv('cms').NODE_ENV !== 'test') {
    strapi.cron.add({
      reconcilePayments: {
        task: async () => {
          await strapi.plugin('live').service('reconciliation').run({ minAgeMs: 2 * 60_000 });
        },
        options: { rule: '*/10 * * * *' },
      },
    });
  }
}

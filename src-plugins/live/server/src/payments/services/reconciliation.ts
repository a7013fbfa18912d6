import type { Core } from '@strapi/strapi';
import { RECONCILE_WINDOW_MS } from '../constants';
import { orders, type OrderRow } from '../store';
import { paymentService } from './registry';

export type ReconcileSummary = { checked: number; fulfilled: number; failed: number; errors: number; mode: string };

/**
 * Catches what webhooks missed: for recent orders with no payment applied yet, asks Razorpay
 * for the order's payments (GET /v1/orders/:id/payments) and applies a captured one through the
 * same fulfilment path. Safe to run from several processes at once (fulfilment is idempotent and
 * locked per order). Runs every 10 minutes, and from the admin panel on demand.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async run(options: { minAgeMs?: number; limit?: number } = {}): Promise<ReconcileSummary> {
    const gateway = paymentService(strapi, 'gateway');
    const fulfilment = paymentService(strapi, 'fulfilment');
    const receipts = paymentService(strapi, 'receipts');
    const { provider } = gateway.ready();
    const now = Date.now();
    const candidates = (await orders(strapi).findMany({
      where: {
        status: { $in: ['created', 'failed'] },
        razorpayOrderId: { $notNull: true },
        provider: provider.mode,
        createdAt: { $gte: new Date(now - RECONCILE_WINDOW_MS), $lte: new Date(now - (options.minAgeMs ?? 0)) },
      },
      select: ['id', 'documentId', 'status', 'amount', 'currency', 'razorpayOrderId'],
      orderBy: { createdAt: 'asc' },
      limit: options.limit ?? 100,
    } as any)) as OrderRow[];

    const summary: ReconcileSummary = { checked: 0, fulfilled: 0, failed: 0, errors: 0, mode: provider.mode };
    for (const order of candidates) {
      summary.checked++;
      try {
        const payments = await provider.fetchOrderPayments(order.razorpayOrderId!);
        const captured = payments.find(
          (p) => p.status === 'captured' && p.order_id === order.razorpayOrderId && p.amount === order.amount && p.currency === order.currency
        );
        if (captured) {
          const result = await fulfilment.fulfil(order.id, captured, 'reconcile');
          if (result.outcome === 'fulfilled') {
            summary.fulfilled++;
            void receipts.sendSafely(order.id);
          }
          continue;
        }
        const lastFailed = payments.filter((p) => p.status === 'failed').pop();
        if (order.status === 'created' && lastFailed && payments.every((p) => p.status === 'failed')) {
          const result = await fulfilment.markFailed(order.id, lastFailed, 'reconcile');
          if (result.outcome === 'failed') summary.failed++;
        }
      } catch (error) {
        summary.errors++;
        strapi.log.error(`[payments] reconciliation of order ${order.documentId} failed: ${(error as Error)?.message ?? error}`);
      }
    }
    if (summary.checked) strapi.log.info(`[payments] reconciliation: ${JSON.stringify(summary)}`);
    return summary;
  },
});

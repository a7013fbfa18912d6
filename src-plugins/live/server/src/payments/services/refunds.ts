import type { Core } from '@strapi/strapi';
import { ProviderError } from '../providers';
import { findOrder } from '../store';
import { badGateway, conflict, notFound } from '../../utils/http';
import { paymentService } from './registry';

/**
 * Full refunds from the admin panel. The idempotency key is derived from the order, so a retry
 * (a double click, a timeout, a second admin) asks Razorpay for the same refund instead of a new
 * one; Razorpay answers a repeated key with the refund it already made.
 */
export const refundIdempotencyKey = (orderDocumentId: string) => `refund_${orderDocumentId}`;

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async refund(orderDocumentId: string, admin: { id: number }) {
    const { provider } = paymentService(strapi, 'gateway').ready();
    const order = await findOrder(strapi, { documentId: orderDocumentId });
    const audit = { order: orderDocumentId, admin: admin.id };
    if (!order) throw notFound('Order not found', audit);
    if (order.status === 'refunded') return { order, alreadyRefunded: true };
    if (order.status !== 'paid' || !order.razorpayPaymentId) {
      throw conflict(`Only paid orders can be refunded; this one is ${order.status}`, { ...audit, reason: `status ${order.status}` });
    }
    if (order.provider !== provider.mode) {
      throw conflict(`This order was paid through ${order.provider}, which this server is not using now`, { ...audit, reason: 'provider changed' });
    }

    let refund;
    try {
      refund = await provider.refund(order.razorpayPaymentId, { amount: order.amount, notes: { orderId: order.documentId } }, refundIdempotencyKey(order.documentId));
    } catch (error) {
      const message = error instanceof ProviderError ? error.message : String(error);
      if (error instanceof ProviderError && error.status === 409) throw conflict('A refund for this order is already in progress; try again in a moment', audit);
      throw badGateway(`Razorpay did not make the refund: ${message}`, { ...audit, provider: message });
    }
    if (refund.status === 'failed') throw badGateway('Razorpay reports the refund as failed', { ...audit, refund: refund.id });

    const result = await paymentService(strapi, 'fulfilment').markRefunded(order.id, refund, 'admin', { event: 'refund.created', adminId: admin.id });
    strapi.log.info(`[payments] admin ${admin.id} refunded order ${order.documentId} (refund=${refund.id})`);
    return { order: result.order, alreadyRefunded: false };
  },
});

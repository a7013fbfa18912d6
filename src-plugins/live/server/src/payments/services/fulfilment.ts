import type { Core } from '@strapi/strapi';
import { ENROLLMENT_UID } from '../constants';
import { isValidPaymentSignature } from '../signatures';
import { ProviderError, type ProviderPayment, type ProviderRefund } from '../providers';
import { findOrder, orders, orderUserId, recordEvent, transition, withLockedOrder, type AuditEvent, type OrderRow } from '../store';
import { badGateway, badRequest, conflict, HttpError, notFound, paymentRequired } from '../../utils/http';
import { paymentService } from './registry';
import { countPaymentOutcome } from '../../utils/metrics';

type Source = AuditEvent['source'];
type Meta = { eventId?: string; event?: string; adminId?: number };
type Enrollment = { documentId: string; state: string; source: string; enrolledAt: string };

export type FulfilOutcome =
  | 'fulfilled' // this call moved the order to paid and granted access
  | 'already-paid' // the same payment had already been applied
  | 'paid-by-another-payment' // the order is paid; this is a second payment (refund it by hand)
  | 'refunded' // the order was refunded: nothing is granted again
  | 'mismatch' // the payment doesn't belong to the order or has another amount
  | 'not-captured';

/** Why a payment can't pay for an order, or null when it can. */
export function paymentMismatch(order: OrderRow, payment: ProviderPayment): string | null {
  if (!order.razorpayOrderId || payment.order_id !== order.razorpayOrderId) return 'the payment belongs to another order';
  if (payment.amount !== order.amount || payment.currency !== order.currency) {
    return `the payment is for ${payment.amount} ${payment.currency}, the order for ${order.amount} ${order.currency}`;
  }
  return null;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const enrollments = () => strapi.service(ENROLLMENT_UID as any) as any;
  const gateway = () => paymentService(strapi, 'gateway');

  const findEnrollment = async (order: OrderRow): Promise<Enrollment | null> =>
    strapi.db.query(ENROLLMENT_UID as any).findOne({ where: { userCourseKey: order.userCourseKey } }) as Promise<Enrollment | null>;

  const eventFields = (payment: ProviderPayment, source: Source, meta: Meta) => ({
    source,
    event: meta.event ?? (source === 'verify' ? 'checkout.verified' : source === 'reconcile' ? 'reconciled' : `payment.${payment.status}`),
    eventId: meta.eventId,
    paymentId: payment.id,
    adminId: meta.adminId,
  });

  const service = {
    /**
     * Applies a captured payment to an order: marks it paid and grants the enrollment, in one
     * transaction holding the order's row lock. Whoever gets the lock first (verify, a webhook,
     * reconciliation) does the work; everyone after sees "paid" and gets the same enrollment.
     * A paid or refunded order never moves back.
     */
    async fulfil(orderId: number, payment: ProviderPayment, source: Source, meta: Meta = {}) {
      return countPaymentOutcome('capture', await withLockedOrder(strapi, orderId, async (order) => {
        const base = eventFields(payment, source, meta);
        const mismatch = paymentMismatch(order, payment);
        if (mismatch) {
          strapi.log.warn(`[payments] refused ${source}: ${mismatch} (order=${order.documentId} payment=${payment.id})`);
          await recordEvent(strapi, order, { ...base, outcome: 'refused', detail: mismatch });
          return { outcome: 'mismatch' as FulfilOutcome, order, enrollment: null, detail: mismatch };
        }
        if (payment.status !== 'captured') return { outcome: 'not-captured' as FulfilOutcome, order, enrollment: null };

        if (order.status === 'paid') {
          if (order.razorpayPaymentId === payment.id) {
            return { outcome: 'already-paid' as FulfilOutcome, order, enrollment: await findEnrollment(order) };
          }
          strapi.log.warn(`[payments] order ${order.documentId} is already paid by ${order.razorpayPaymentId}; ${payment.id} is a second payment to refund by hand`);
          const updated = await recordEvent(strapi, order, { ...base, outcome: 'second payment', detail: `already paid by ${order.razorpayPaymentId}` });
          return { outcome: 'paid-by-another-payment' as FulfilOutcome, order: updated, enrollment: await findEnrollment(order) };
        }
        if (order.status === 'refunded') {
          const updated = await recordEvent(strapi, order, { ...base, outcome: 'ignored: order refunded' });
          return { outcome: 'refunded' as FulfilOutcome, order: updated, enrollment: null };
        }

        // created | failed → paid: the one place a purchase grants access.
        const paid = await transition(
          strapi,
          order,
          ['created', 'failed'],
          { status: 'paid', razorpayPaymentId: payment.id, paymentMethod: payment.method?.slice(0, 40) ?? null, paidAt: new Date(), failureReason: null },
          { ...base, outcome: 'paid' }
        );
        const { enrollment } = await enrollments().grant(orderUserId(order), order.courseDocumentId, 'purchase');
        await orders(strapi).update({ where: { id: order.id }, data: { enrollmentDocumentId: enrollment.documentId } });
        const otherPaid = await orders(strapi).count({ where: { userCourseKey: order.userCourseKey, status: 'paid', id: { $ne: order.id } } });
        if (otherPaid) {
          // e.g. an abandoned (superseded) order paid late after a newer one: the student paid twice.
          strapi.log.warn(`[payments] user ${orderUserId(order)} has paid for course ${order.courseDocumentId} more than once (order ${order.documentId}): refund one of the orders`);
        }
        strapi.log.info(`[payments] order ${order.documentId} paid via ${source} (payment=${payment.id}); enrollment ${enrollment.documentId}`);
        return { outcome: 'fulfilled' as FulfilOutcome, order: { ...paid, enrollmentDocumentId: enrollment.documentId }, enrollment: enrollment as Enrollment };
      }));
    },

    /** A failed attempt: only an unpaid order becomes "failed" (a later capture still pays it). */
    async markFailed(orderId: number, payment: ProviderPayment, source: Source, meta: Meta = {}) {
      return countPaymentOutcome('failure', await withLockedOrder(strapi, orderId, async (order) => {
        const base = eventFields(payment, source, meta);
        if (order.status !== 'created' || paymentMismatch(order, payment)) {
          const updated = await recordEvent(strapi, order, { ...base, outcome: `ignored: order is ${order.status}` });
          return { outcome: 'ignored', order: updated };
        }
        const reason = (payment.error_description ?? 'The payment failed').slice(0, 500);
        return { outcome: 'failed', order: await transition(strapi, order, ['created'], { status: 'failed', failureReason: reason }, { ...base, outcome: 'failed', detail: reason.slice(0, 200) }) };
      }));
    },

    /**
     * A full refund of the order's payment: the order becomes "refunded" and the purchase's
     * enrollment is revoked (unless another paid order or a non-purchase grant gives access).
     */
    async markRefunded(orderId: number, refund: ProviderRefund, source: Source, meta: Meta = {}) {
      return countPaymentOutcome('refund', await withLockedOrder(strapi, orderId, async (order) => {
        const base = { source, event: meta.event ?? 'refund', eventId: meta.eventId, paymentId: refund.payment_id, refundId: refund.id, adminId: meta.adminId };
        if (order.razorpayPaymentId && refund.payment_id !== order.razorpayPaymentId) {
          const updated = await recordEvent(strapi, order, { ...base, outcome: 'ignored: refund of another payment' });
          return { outcome: 'ignored', order: updated, revoked: false };
        }
        if (order.status === 'refunded') {
          const updated = await transition(strapi, order, ['refunded'], { refundStatus: refund.status, razorpayRefundId: order.razorpayRefundId ?? refund.id }, { ...base, outcome: 'already refunded' });
          return { outcome: 'already-refunded', order: updated, revoked: false };
        }
        const wasPaid = order.status === 'paid';
        const refunded = await transition(
          strapi,
          order,
          ['paid', 'created', 'failed'],
          { status: 'refunded', razorpayRefundId: refund.id, refundStatus: refund.status, refundedAt: new Date(), razorpayPaymentId: order.razorpayPaymentId ?? refund.payment_id },
          { ...base, outcome: 'refunded' }
        );
        let revoked = false;
        if (wasPaid) {
          const otherPaid = await orders(strapi).count({ where: { userCourseKey: order.userCourseKey, status: 'paid', id: { $ne: order.id } } });
          const enrollment = await findEnrollment(order);
          if (!otherPaid && enrollment?.state === 'active' && enrollment.source === 'purchase') {
            await enrollments().revoke(orderUserId(order), order.courseDocumentId, 'refunded');
            revoked = true;
          }
        }
        strapi.log.info(`[payments] order ${order.documentId} refunded via ${source} (refund=${refund.id}${revoked ? ', access revoked' : ''})`);
        return { outcome: 'refunded', order: refunded, revoked };
      }));
    },

    /**
     * Checkout's success callback, checked the way Razorpay asks: the signature (HMAC of
     * order_id|payment_id with the key secret, compared in constant time), that the order is the
     * caller's, then the payment itself fetched from Razorpay (its order, amount and status) —
     * never the browser's word. Idempotent: a repeat returns the same enrollment.
     */
    async verify(userId: number, input: { razorpay_order_id: string; razorpay_payment_id: string; razorpay_signature: string }) {
      const { provider, secrets } = gateway().ready();
      const audit = { user: userId, order: input.razorpay_order_id, payment: input.razorpay_payment_id };
      if (!isValidPaymentSignature(secrets.keySecret, input.razorpay_order_id, input.razorpay_payment_id, input.razorpay_signature)) {
        throw badRequest('Payment verification failed: the signature does not match this order and payment', { ...audit, reason: 'bad signature' });
      }
      const order = await findOrder(strapi, { razorpayOrderId: input.razorpay_order_id });
      if (!order) throw notFound('Order not found', { ...audit, reason: 'unknown order' });
      if (order.user?.id !== userId) throw notFound('Order not found', { ...audit, reason: `order belongs to user ${order.user?.id}` });

      if (order.status === 'paid' && order.razorpayPaymentId === input.razorpay_payment_id) {
        return { order, enrollment: await findEnrollment(order), alreadyPaid: true, pending: false };
      }
      if (order.status === 'paid') throw conflict('This order is already paid by another payment', { ...audit, reason: 'paid by another payment' });
      if (order.status === 'refunded') throw conflict('This order was refunded', { ...audit, reason: 'order refunded' });

      let payment: ProviderPayment;
      try {
        payment = await provider.fetchPayment(input.razorpay_payment_id);
      } catch (error) {
        if (error instanceof ProviderError && error.isNotFound) throw badRequest('Unknown payment', { ...audit, reason: 'provider does not know the payment' });
        throw badGateway('The payment provider could not be reached to confirm the payment; try again', { ...audit, provider: String((error as Error).message) });
      }
      const mismatch = paymentMismatch(order, payment);
      if (mismatch) {
        await recordEvent(strapi, order, { source: 'verify', event: 'checkout.verified', paymentId: payment.id, outcome: 'refused', detail: mismatch });
        throw badRequest(`Payment verification failed: ${mismatch}`, { ...audit, reason: mismatch });
      }
      if (payment.status === 'failed') {
        await service.markFailed(order.id, payment, 'verify');
        throw paymentRequired(`The payment failed: ${payment.error_description ?? 'declined'}`, { ...audit, reason: 'payment failed' });
      }
      if (payment.status === 'refunded') throw conflict('This payment was refunded', { ...audit, reason: 'payment refunded' });
      if (payment.status !== 'captured') {
        // Authorized but not yet captured: the payment.captured webhook (or reconciliation) completes it.
        return { order: (await findOrder(strapi, { id: order.id }))!, enrollment: null, alreadyPaid: false, pending: true };
      }

      const result = await service.fulfil(order.id, payment, 'verify');
      switch (result.outcome) {
        case 'fulfilled':
        case 'already-paid':
          return { order: result.order, enrollment: result.enrollment, alreadyPaid: result.outcome === 'already-paid', pending: false };
        case 'refunded':
          throw conflict('This order was refunded', { ...audit, reason: 'order refunded' });
        case 'paid-by-another-payment':
          throw conflict('This order is already paid by another payment', { ...audit, reason: 'paid by another payment' });
        default:
          throw new HttpError(400, 'ValidationError', 'Payment verification failed', {}, { ...audit, reason: result.outcome });
      }
    },

    findEnrollment,
    findOrderById: (id: number) => findOrder(strapi, { id }),
  };
  return service;
};

import type { Core } from '@strapi/strapi';
import { EVENT_UID } from '../constants';
import { isValidWebhookSignature, sha256Hex } from '../signatures';
import { paymentEventPayload, refundEventPayload, webhookEnvelope } from '../contracts';
import { findOrder } from '../store';
import { isUniqueViolation } from '../../utils/db-errors';
import { badRequest, HttpError, validate } from '../../utils/http';
import { paymentService } from './registry';

type Outcome = { outcome: string; fulfilledOrderId?: number; orderId?: number };

const HANDLED = ['payment.captured', 'order.paid', 'payment.failed', 'refund.processed'];

/**
 * Razorpay webhooks, the source of truth for payments: a student who closes the tab before
 * Checkout's callback still gets the course. Each delivery is authenticated by its signature over
 * the raw body, deduplicated on x-razorpay-event-id, and applied through the same fulfilment
 * path as verify, so the order of arrival (webhook before or after verify, retries, duplicates)
 * doesn't matter.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const events = () => strapi.db.query(EVENT_UID as any);
  const seen = async (eventId: string) => Boolean(await events().findOne({ where: { eventId }, select: ['id'] }));

  async function dispatch(event: string, payload: unknown, eventId: string): Promise<Outcome & { razorpayOrderId?: string; razorpayPaymentId?: string }> {
    const fulfilment = paymentService(strapi, 'fulfilment');
    const meta = { eventId, event };

    if (event === 'payment.captured' || event === 'order.paid' || event === 'payment.failed') {
      const payment = validate(paymentEventPayload, payload).payment.entity;
      const ids = { razorpayOrderId: payment.order_id ?? undefined, razorpayPaymentId: payment.id };
      const order = payment.order_id ? await findOrder(strapi, { razorpayOrderId: payment.order_id }) : null;
      if (!order) {
        strapi.log.info(`[payments] webhook ${event} for an order we don't know (${payment.order_id ?? 'none'}): ignored`);
        return { outcome: 'unknown-order', ...ids };
      }
      if (event === 'payment.failed') {
        const result = await fulfilment.markFailed(order.id, payment, 'webhook', meta);
        return { outcome: result.outcome, orderId: order.id, ...ids };
      }
      const result = await fulfilment.fulfil(order.id, payment, 'webhook', meta);
      return { outcome: result.outcome, orderId: order.id, fulfilledOrderId: result.outcome === 'fulfilled' ? order.id : undefined, ...ids };
    }

    if (event === 'refund.processed') {
      const { refund, payment } = validate(refundEventPayload, payload);
      const ids = { razorpayOrderId: payment?.entity.order_id ?? undefined, razorpayPaymentId: refund.entity.payment_id };
      const order =
        (await findOrder(strapi, { razorpayPaymentId: refund.entity.payment_id })) ??
        (payment?.entity.order_id ? await findOrder(strapi, { razorpayOrderId: payment.entity.order_id }) : null);
      if (!order) return { outcome: 'unknown-order', ...ids };
      // Only a full refund ends access; a partial one (made in Razorpay's dashboard) is recorded.
      const refundedSoFar = payment?.entity.amount_refunded ?? refund.entity.amount;
      if (refundedSoFar < order.amount) {
        await paymentService(strapi, 'orders').recordEvent(order, { source: 'webhook', event, eventId, refundId: refund.entity.id, outcome: 'partial refund: access kept' });
        strapi.log.warn(`[payments] partial refund ${refund.entity.id} on order ${order.documentId}: recorded, access kept`);
        return { outcome: 'partial-refund', orderId: order.id, ...ids };
      }
      const result = await fulfilment.markRefunded(order.id, refund.entity, 'webhook', meta);
      return { outcome: result.outcome, orderId: order.id, ...ids };
    }

    return { outcome: 'ignored' };
  }

  return {
    /**
     * Handles one delivery. `rawBody` is the body exactly as received (the signature covers its
     * bytes, not a re-serialization). Returns what happened; throws a 4xx for deliveries that
     * aren't Razorpay's, and lets anything else fail with a 5xx so that Razorpay retries.
     */
    async handle(input: { rawBody: string | undefined; signature: string | undefined; eventId: string | undefined }) {
      const { secrets } = paymentService(strapi, 'gateway').ready();
      if (!input.signature) throw badRequest('Missing X-Razorpay-Signature header', { reason: 'missing signature' });
      if (input.rawBody === undefined || input.rawBody === '') throw badRequest('Missing JSON body', { reason: 'no body' });
      if (!isValidWebhookSignature(secrets.webhookSecret, input.rawBody, input.signature)) {
        throw new HttpError(401, 'UnauthorizedError', 'Invalid webhook signature', {}, { reason: 'bad signature', eventId: input.eventId });
      }
      let json: unknown;
      try {
        json = JSON.parse(input.rawBody);
      } catch {
        throw badRequest('The body is not JSON', { reason: 'not json' });
      }
      const envelope = validate(webhookEnvelope, json);
      if (input.eventId !== undefined && !/^[A-Za-z0-9_.:-]{1,100}$/.test(input.eventId)) {
        throw badRequest('Malformed x-razorpay-event-id header', { reason: 'bad event id' });
      }
      // Razorpay always sends the event id; without one, identical bodies are still deduplicated.
      const eventId = input.eventId ?? `sha256:${sha256Hex(input.rawBody)}`;
      const event = envelope.event;

      if (!HANDLED.includes(event)) return { event, eventId, outcome: 'ignored', duplicate: false };
      if (await seen(eventId)) return { event, eventId, outcome: 'duplicate', duplicate: true };

      let result: Outcome;
      try {
        // The event row and its effects commit together: a failure leaves no trace, so Razorpay's
        // retry is processed afresh; a concurrent duplicate fails on the event id's unique index.
        result = await strapi.db.transaction(async () => {
          await events().create({ data: { eventId, event, receivedAt: new Date() } });
          const outcome = await dispatch(event, envelope.payload, eventId);
          await events().update({
            where: { eventId },
            data: { outcome: outcome.outcome, razorpayOrderId: outcome.razorpayOrderId ?? null, razorpayPaymentId: outcome.razorpayPaymentId ?? null },
          });
          return outcome;
        });
      } catch (error) {
        if (error instanceof HttpError) throw error;
        if (isUniqueViolation(error) && (await seen(eventId))) return { event, eventId, outcome: 'duplicate', duplicate: true };
        throw error;
      }

      if (result.fulfilledOrderId) void paymentService(strapi, 'receipts').sendSafely(result.fulfilledOrderId);
      return { event, eventId, outcome: result.outcome, duplicate: false };
    },
  };
};

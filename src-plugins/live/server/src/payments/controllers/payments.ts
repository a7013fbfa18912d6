import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import { createOrderBody, emptyQuery, listMineQuery, orderDocumentId, razorpayOrderId, sandboxPayBody, verifyBody } from '../contracts';
import { conflict, validate, type Ctx } from '../../utils/http';
import { toStudentOrder } from '../services/orders';
import { guarded } from './guard';
import { paymentService, type PaymentServices } from '../services/registry';

const UNPARSED_BODY = Symbol.for('unparsedBody');
const orderRef = z.union([orderDocumentId, razorpayOrderId], { error: 'must be an order id or a Razorpay order id' });
const enrollmentView = (enrollment: any, courseDocumentId: string) =>
  enrollment
    ? { documentId: enrollment.documentId, state: enrollment.state, source: enrollment.source, enrolledAt: enrollment.enrolledAt, course: { documentId: courseDocumentId } }
    : null;
const header = (ctx: Ctx, name: string) => ctx.get(name) || undefined;

/** The content API of payments: thin handlers — validate, one service call, an explicit response shape. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const service = <K extends keyof PaymentServices>(name: K) => paymentService(strapi, name);

  return {
    /** POST /api/payments/orders {courseId} → what Razorpay Checkout needs. */
    createOrder: guarded(strapi, 'create order', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const { courseId } = validate(createOrderBody, ctx.request.body ?? {});
      const userId = ctx.state.user!.id;
      const { order, checkout, reused } = await service('orders').createForCourse(userId, courseId);
      ctx.status = reused ? 200 : 201;
      ctx.body = { data: { order: toStudentOrder(order), checkout }, meta: { reused } };
    }),

    /** POST /api/payments/verify {razorpay_order_id, razorpay_payment_id, razorpay_signature} */
    verify: guarded(strapi, 'verify', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const input = validate(verifyBody, ctx.request.body ?? {});
      const result = await service('fulfilment').verify(ctx.state.user!.id, input);
      if (!result.pending && !result.alreadyPaid) void service('receipts').sendSafely(result.order.id);
      ctx.status = result.pending ? 202 : 200;
      ctx.body = {
        data: { order: toStudentOrder(result.order), enrollment: enrollmentView(result.enrollment, result.order.courseDocumentId) },
        meta: {
          alreadyPaid: result.alreadyPaid,
          pending: result.pending,
          ...(result.pending ? { message: 'The payment is authorised but not captured yet: access is granted as soon as it is' } : {}),
        },
      };
    }),

    /** GET /api/payments/orders — the caller's orders, newest first. */
    listMine: guarded(strapi, 'list orders', async (ctx) => {
      const { page, pageSize } = validate(listMineQuery, ctx.query);
      const { results, pagination } = await service('orders').listForUser(ctx.state.user!.id, page, pageSize);
      ctx.body = { data: results.map(toStudentOrder), meta: { pagination } };
    }),

    /** GET /api/payments/orders/:id — one of the caller's orders (our id or the order_… id). */
    findMine: guarded(strapi, 'read order', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const id = validate(orderRef, ctx.params.id);
      ctx.body = { data: toStudentOrder(await service('orders').findForUser(ctx.state.user!.id, id)), meta: {} };
    }),

    /**
     * POST /api/payments/sandbox/pay {razorpay_order_id, outcome?} — development only: plays
     * Razorpay Checkout for one of the caller's orders and answers what Checkout's handler gets.
     */
    sandboxPay: guarded(strapi, 'sandbox pay', async (ctx) => {
      const sandbox = service('gateway').sandbox();
      validate(emptyQuery, ctx.query);
      const { razorpay_order_id, outcome } = validate(sandboxPayBody, ctx.request.body ?? {});
      const order = await service('orders').findForUser(ctx.state.user!.id, razorpay_order_id);
      if (order.status === 'paid' || order.status === 'refunded') throw conflict(`This order is already ${order.status}`, { order: order.documentId });
      const { payment, checkout } = await sandbox.pay(razorpay_order_id, outcome);
      if (checkout) {
        ctx.body = { data: checkout, meta: { sandbox: true } };
        return;
      }
      // What Checkout's payment.failed callback receives; Razorpay would also send payment.failed.
      await service('fulfilment').markFailed(order.id, payment, 'sandbox', { event: 'payment.failed' });
      ctx.body = {
        data: { error: { code: payment.error_code, description: payment.error_description, source: 'customer', step: 'payment_authorization', reason: 'payment_failed', metadata: { order_id: razorpay_order_id, payment_id: payment.id } } },
        meta: { sandbox: true },
      };
    }),

    /** POST /api/payments/webhook — Razorpay's deliveries, authenticated by X-Razorpay-Signature. */
    webhook: guarded(strapi, 'webhook', async (ctx) => {
      const body = ctx.request.body as Record<string | symbol, unknown> | undefined;
      const rawBody = body?.[UNPARSED_BODY] as string | undefined;
      if (rawBody === undefined && body && Object.keys(body).length > 0) {
        throw new Error('[payments] the raw request body is not available: enable includeUnparsed in the strapi::body middleware');
      }
      const result = await service('webhooks').handle({
        rawBody,
        signature: header(ctx, 'x-razorpay-signature'),
        eventId: header(ctx, 'x-razorpay-event-id'),
      });
      ctx.status = 200;
      ctx.body = { data: { received: true, ...result }, meta: {} };
    }),
  };
};

import type { Core } from '@strapi/strapi';
import {
  COURSE_UID,
  ENROLLMENT_UID,
  MIN_AMOUNT_PAISE,
  ORDER_UID,
  REUSE_UNPAID_ORDER_MS,
  USER_UID,
} from '../constants';
import { findOrder, orders, recordEvent, transition, type OrderRow } from '../store';
import { isUniqueViolation } from '../../utils/db-errors';
import { ProviderError } from '../providers';
import { badGateway, badRequest, conflict, HttpError, notFound } from '../../utils/http';
import { paymentService } from './registry';

/** An unpaid order whose provider order never got created (a crash mid-way) is abandoned after this. */
const STUCK_WITHOUT_PROVIDER_ORDER_MS = 30_000;
const iso = (value: string | Date | null) => (value ? new Date(value).toISOString() : null);

/** What a student sees of an order: no secrets, no audit trail, no internal keys. */
export const toStudentOrder = (order: OrderRow) => ({
  documentId: order.documentId,
  status: order.status,
  amount: order.amount,
  currency: order.currency,
  course: { documentId: order.courseDocumentId, title: order.courseTitle },
  razorpayOrderId: order.razorpayOrderId,
  razorpayPaymentId: order.razorpayPaymentId,
  failureReason: order.failureReason,
  createdAt: iso(order.createdAt),
  paidAt: iso(order.paidAt),
  refundedAt: iso(order.refundedAt),
});

/** The admin panel's view: everything but internal keys. */
export const toAdminOrder = (order: OrderRow) => ({
  ...toStudentOrder(order),
  id: order.id,
  provider: order.provider,
  receipt: order.receipt,
  razorpayRefundId: order.razorpayRefundId,
  refundStatus: order.refundStatus,
  paymentMethod: order.paymentMethod,
  enrollmentDocumentId: order.enrollmentDocumentId,
  updatedAt: iso(order.updatedAt),
  user: order.user ? { id: order.user.id, email: order.user.email ?? null, username: order.user.username ?? null } : null,
  events: order.events ?? [],
});

type Course = { documentId: string; title: string; slug: string; price: number; currency: string; isFree: boolean };
type User = { id: number; email: string; username: string; displayName?: string | null };

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const gateway = () => paymentService(strapi, 'gateway');

  const openOrder = (userCourseKey: string) => findOrder(strapi, { userCourseKey, status: 'created' });

  /** Can this unpaid order be handed out again for the course as it is now? */
  const reusable = (order: OrderRow, course: Course) =>
    Boolean(order.razorpayOrderId) &&
    order.amount === course.price &&
    order.currency === course.currency &&
    order.provider === gateway().mode() &&
    Date.now() - new Date(order.createdAt).getTime() < REUSE_UNPAID_ORDER_MS;

  /**
   * Order creations in flight in this process, by student and course: a concurrent request (a
   * double click, two tabs) waits for that creation itself instead of watching the database.
   */
  const creating = new Map<string, Promise<{ order: OrderRow; reused: boolean }>>();

  /**
   * Another process is creating the same order (its row exists, its provider order id not yet):
   * wait for that row to get its provider order id, re-reading it as the provider call takes its
   * usual few hundred milliseconds; give up with a 409 the student can retry.
   */
  async function awaitOtherProcess(userCourseKey: string): Promise<OrderRow> {
    const deadline = Date.now() + 5_000;
    for (let delayMs = 25; Date.now() < deadline; delayMs = Math.min(delayMs * 2, 400)) {
      const order = await openOrder(userCourseKey);
      if (!order) break;
      if (order.razorpayOrderId) return order;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
    throw conflict('An order for this course is being created right now; try again in a moment');
  }

  /** Retires an unpaid order that can't be reused. It can still be fulfilled if it gets paid later. */
  async function supersede(order: OrderRow, reason: string) {
    await orders(strapi)
      .updateMany({ where: { id: order.id, status: 'created' }, data: { status: 'failed', failureReason: reason } })
      .catch(() => undefined);
  }

  return {
    toStudentOrder,
    toAdminOrder,

    /**
     * An order for a published paid course the caller doesn't own, priced from the database. An
     * unpaid order for the same course is reused while it is still valid, so asking twice (or a
     * double click) never creates two provider orders; the partial unique index on open orders
     * settles concurrent requests.
     */
    async createForCourse(userId: number, courseDocumentId: string) {
      const { order, reused } = await this.orderForCourse(userId, courseDocumentId);
      return { order, reused, checkout: await this.checkoutFor(order, userId) };
    },

    async orderForCourse(userId: number, courseDocumentId: string): Promise<{ order: OrderRow; reused: boolean }> {
      const userCourseKey = `${userId}:${courseDocumentId}`;
      const inFlight = creating.get(userCourseKey);
      if (inFlight) return { order: (await inFlight).order, reused: true };
      const creation = this.createOrReuse(userId, courseDocumentId, userCourseKey);
      creating.set(userCourseKey, creation);
      try {
        return await creation;
      } finally {
        creating.delete(userCourseKey);
      }
    },

    async createOrReuse(userId: number, courseDocumentId: string, userCourseKey: string): Promise<{ order: OrderRow; reused: boolean }> {
      const { provider } = gateway().ready();
      const course = (await strapi.documents(COURSE_UID as any).findOne({
        documentId: courseDocumentId,
        status: 'published',
        fields: ['title', 'slug', 'price', 'currency', 'isFree'],
      } as any)) as unknown as Course | null;
      if (!course) throw notFound('Course not found: it does not exist or is not published', { course: courseDocumentId });
      if (course.isFree || !(course.price > 0)) {
        throw new HttpError(400, 'PaymentNotRequiredError', 'This course is free: enroll with POST /api/courses/:id/enroll instead', {}, { course: courseDocumentId });
      }
      if (course.price < MIN_AMOUNT_PAISE) {
        throw badRequest(`This course can't be bought online: its price is below the ₹${MIN_AMOUNT_PAISE / 100} minimum`, { course: courseDocumentId });
      }
      if (await strapi.service(ENROLLMENT_UID as any).isEnrolled(userId, courseDocumentId)) {
        throw conflict('You already own this course', { course: courseDocumentId });
      }

      const open = await openOrder(userCourseKey);
      if (open && reusable(open, course)) return { order: open, reused: true };
      if (open && !open.razorpayOrderId && Date.now() - new Date(open.createdAt).getTime() < STUCK_WITHOUT_PROVIDER_ORDER_MS) {
        return { order: await awaitOtherProcess(userCourseKey), reused: true };
      }
      if (open) await supersede(open, open.amount !== course.price ? 'Superseded: the course price changed' : 'Superseded: expired unpaid order');

      let created: { documentId: string; id: number };
      try {
        created = (await strapi.documents(ORDER_UID as any).create({
          data: {
            user: userId,
            course: courseDocumentId,
            courseDocumentId,
            courseTitle: course.title.slice(0, 200),
            userCourseKey,
            amount: course.price,
            currency: course.currency,
            status: 'created',
            provider: provider.mode,
            events: [],
          },
        } as any)) as any;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        return { order: await awaitOtherProcess(userCourseKey), reused: true };
      }

      const row = (await findOrder(strapi, { id: created.id }))!;
      try {
        const remote = await provider.createOrder({
          amount: course.price,
          currency: course.currency,
          receipt: created.documentId,
          notes: { orderId: created.documentId, userId: String(userId), courseId: courseDocumentId, course: course.title.slice(0, 200) },
        });
        if (remote.amount !== course.price || remote.currency !== course.currency) {
          throw new ProviderError(`the provider order has ${remote.amount} ${remote.currency}`, 502);
        }
        const order = await transition(
          strapi,
          row,
          ['created'],
          { razorpayOrderId: remote.id, receipt: created.documentId },
          { source: 'checkout', event: 'order.created', detail: remote.id }
        );
        return { order, reused: false };
      } catch (error) {
        const message = error instanceof ProviderError ? error.message : String(error);
        await transition(strapi, row, ['created'], { status: 'failed', failureReason: `Provider order not created: ${message}`.slice(0, 500) }, {
          source: 'checkout',
          event: 'order.create_failed',
          detail: message.slice(0, 200),
        }).catch(() => undefined);
        if (error instanceof ProviderError) throw badGateway('The payment provider could not create the order; try again', { provider: message });
        throw error;
      }
    },

    /** The options Razorpay Checkout is opened with (snake_case, as Checkout names them). */
    async checkoutFor(order: OrderRow, userId: number) {
      const user = (await strapi.db.query(USER_UID as any).findOne({ where: { id: userId }, select: ['email', 'displayName'] })) as User | null;
      const { provider } = gateway().ready();
      return {
        mode: provider.mode,
        key: provider.keyId,
        order_id: order.razorpayOrderId,
        amount: order.amount,
        currency: order.currency,
        name: 'Skillyug',
        description: order.courseTitle,
        prefill: { name: user?.displayName ?? '', email: user?.email ?? '' },
        notes: { orderId: order.documentId },
      };
    },

    async findByRazorpayOrderId(razorpayOrderId: string) {
      return findOrder(strapi, { razorpayOrderId });
    },

    /** One of the caller's orders, by our id or the Razorpay order id; someone else's is "not found". */
    async findForUser(userId: number, id: string) {
      const order = await findOrder(strapi, id.startsWith('order_') ? { razorpayOrderId: id } : { documentId: id });
      if (!order || order.user?.id !== userId) throw notFound('Order not found', { order: id });
      return order;
    },

    async listForUser(userId: number, page: number, pageSize: number) {
      const where = { user: { id: userId } };
      const [results, total] = await Promise.all([
        orders(strapi).findMany({ where, orderBy: { createdAt: 'desc' }, offset: (page - 1) * pageSize, limit: pageSize, populate: { user: { select: ['id'] } } } as any),
        orders(strapi).count({ where }),
      ]);
      return { results: results as OrderRow[], pagination: { page, pageSize, pageCount: Math.ceil(total / pageSize), total } };
    },

    /** The admin list: filters on status, course and creation date (from inclusive, to exclusive). */
    async adminList(query: { status?: string; course?: string; from?: string; to?: string; page: number; pageSize: number }) {
      const createdAt: Record<string, Date> = {};
      if (query.from) createdAt.$gte = new Date(query.from);
      if (query.to) createdAt.$lt = new Date(query.to);
      const where = {
        ...(query.status ? { status: query.status } : {}),
        ...(query.course ? { courseDocumentId: query.course } : {}),
        ...(Object.keys(createdAt).length ? { createdAt } : {}),
      };
      const { page, pageSize } = query;
      const [results, total] = await Promise.all([
        orders(strapi).findMany({
          where,
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          offset: (page - 1) * pageSize,
          limit: pageSize,
          populate: { user: { select: ['id', 'email', 'username'] } },
        } as any),
        orders(strapi).count({ where }),
      ]);
      return { results: results as OrderRow[], pagination: { page, pageSize, pageCount: Math.ceil(total / pageSize), total } };
    },

    async adminFindOne(documentId: string) {
      const order = await findOrder(strapi, { documentId });
      if (!order) throw notFound('Order not found', { order: documentId });
      return order;
    },

    /** The courses that have orders, for the admin filter. */
    async courseOptions() {
      const rows = (await orders(strapi).findMany({ select: ['courseDocumentId', 'courseTitle'], orderBy: { courseTitle: 'asc' } } as any)) as OrderRow[];
      const seen = new Map<string, string>();
      for (const row of rows) if (!seen.has(row.courseDocumentId)) seen.set(row.courseDocumentId, row.courseTitle ?? row.courseDocumentId);
      return [...seen].map(([documentId, title]) => ({ documentId, title }));
    },

    recordEvent: (order: OrderRow, event: Parameters<typeof recordEvent>[2]) => recordEvent(strapi, order, event),
  };
};

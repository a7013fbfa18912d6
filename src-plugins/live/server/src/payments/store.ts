import type { Core } from '@strapi/strapi';
import { MAX_ORDER_EVENTS, ORDER_UID, type OrderStatus } from './constants';
import { notFound } from '../utils/http';

/** One line of an order's audit trail: what happened, from where, with which provider ids. */
export type AuditEvent = {
  at: string;
  source: 'checkout' | 'verify' | 'webhook' | 'reconcile' | 'admin' | 'sandbox';
  event: string;
  outcome?: string;
  eventId?: string;
  paymentId?: string;
  refundId?: string;
  detail?: string;
  adminId?: number;
};

export type OrderRow = {
  id: number;
  documentId: string;
  status: OrderStatus;
  amount: number;
  currency: string;
  provider: 'razorpay' | 'sandbox';
  receipt: string | null;
  razorpayOrderId: string | null;
  razorpayPaymentId: string | null;
  razorpayRefundId: string | null;
  refundStatus: 'pending' | 'processed' | 'failed' | null;
  paymentMethod: string | null;
  failureReason: string | null;
  enrollmentDocumentId: string | null;
  courseDocumentId: string;
  courseTitle: string | null;
  userCourseKey: string;
  paidAt: string | Date | null;
  refundedAt: string | Date | null;
  createdAt: string | Date;
  updatedAt: string | Date;
  events: AuditEvent[] | null;
  user?: { id: number; email?: string; username?: string; displayName?: string | null } | null;
};

const USER_FIELDS = { user: { select: ['id', 'email', 'username', 'displayName'] } } as const;

export const orders = (strapi: Core.Strapi) => strapi.db.query(ORDER_UID as any);

export async function findOrder(strapi: Core.Strapi, where: Record<string, unknown>): Promise<OrderRow | null> {
  return orders(strapi).findOne({ where, populate: USER_FIELDS as any });
}

/** The user an order belongs to (its relation, or the key it was created with if the user is gone). */
export const orderUserId = (order: OrderRow) => order.user?.id ?? Number(order.userCourseKey.split(':')[0]);

export const withEvent = (order: OrderRow, event: Omit<AuditEvent, 'at'>): AuditEvent[] =>
  [...(order.events ?? []), { at: new Date().toISOString(), ...event }].slice(-MAX_ORDER_EVENTS);

/**
 * Runs `fn` on a fresh copy of the order inside a transaction that holds the order's row lock
 * (SELECT … FOR UPDATE on PostgreSQL; SQLite has one connection, so its transactions are
 * already serialized). Everything that changes an order's status goes through here, so two
 * deliveries of the same payment — verify, webhooks, reconciliation — decide one at a time,
 * each seeing what the previous one committed. Nested calls join the outer transaction.
 * Never call the provider (network) inside `fn`.
 */
export async function withLockedOrder<T>(strapi: Core.Strapi, orderId: number, fn: (order: OrderRow) => Promise<T>): Promise<T> {
  return strapi.db.transaction(async ({ trx }) => {
    const table = strapi.getModel(ORDER_UID as any).collectionName!;
    const lock = trx(table).select('id').where({ id: orderId });
    if (strapi.db.dialect.client === 'postgres') lock.forUpdate();
    if (!(await lock.first())) throw notFound('Order not found', { orderId });
    const order = await findOrder(strapi, { id: orderId });
    return fn(order!);
  });
}

/**
 * Moves an order from one of `from` to a new state, guarded in SQL (UPDATE … WHERE id = ? AND
 * status IN (…)), and appends to its audit trail. Under the row lock the guard always holds; it
 * is there so that no code path can ever move an order out of a state it didn't see — paid
 * orders in particular never go back.
 */
export async function transition(
  strapi: Core.Strapi,
  order: OrderRow,
  from: OrderStatus[],
  data: Record<string, unknown>,
  event: Omit<AuditEvent, 'at'>
): Promise<OrderRow> {
  const { count } = await orders(strapi).updateMany({
    where: { id: order.id, status: { $in: from } },
    data: { ...data, events: withEvent(order, event) },
  });
  if (count !== 1) throw new Error(`[payments] order ${order.id} was not in ${from.join('|')} (it is ${order.status})`);
  return (await findOrder(strapi, { id: order.id }))!;
}

/** Adds to the audit trail without changing the state. */
export async function recordEvent(strapi: Core.Strapi, order: OrderRow, event: Omit<AuditEvent, 'at'>): Promise<OrderRow> {
  const events = withEvent(order, event);
  await orders(strapi).update({ where: { id: order.id }, data: { events } });
  return { ...order, events };
}

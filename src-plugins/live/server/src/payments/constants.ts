export const ORDER_UID = 'plugin::live.order';
export const EVENT_UID = 'plugin::live.payment-event';
export const ENROLLMENT_UID = 'api::enrollment.enrollment';
export const COURSE_UID = 'api::course.course';
export const USER_UID = 'plugin::users-permissions.user';

export type OrderStatus = 'created' | 'paid' | 'failed' | 'refunded';

/** An unpaid order younger than this is handed out again instead of creating a new one. */
export const REUSE_UNPAID_ORDER_MS = 24 * 60 * 60 * 1000;
/** Razorpay's smallest order (₹1). */
export const MIN_AMOUNT_PAISE = 100;
/** How far back reconciliation looks for orders without a known payment. */
export const RECONCILE_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
/** The audit trail kept on each order. */
export const MAX_ORDER_EVENTS = 50;

/** Admin-panel actions (registered as plugin::live.orders.*). */
export const ADMIN_ACTIONS = {
  read: 'plugin::live.orders.read',
  refund: 'plugin::live.orders.refund',
  reconcile: 'plugin::live.orders.reconcile',
} as const;

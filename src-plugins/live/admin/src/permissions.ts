/** The admin RBAC actions the server registers for payments (plugin::live.orders.*). */
export const PERMISSIONS = {
  read: [{ action: 'plugin::live.orders.read', subject: null }],
  refund: [{ action: 'plugin::live.orders.refund', subject: null }],
  reconcile: [{ action: 'plugin::live.orders.reconcile', subject: null }],
};

/** For useRBAC: one stable array → allowedActions.canRead / canRefund / canReconcile. */
export const ORDER_ACTIONS = [...PERMISSIONS.read, ...PERMISSIONS.refund, ...PERMISSIONS.reconcile];

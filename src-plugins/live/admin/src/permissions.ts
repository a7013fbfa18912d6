/** The admin RBAC actions the server registers for payments (plugin::live.orders.*). */
export const PERMISSIONS = {
  read: [{ action: 'plugin::live.orders.read', subject: null }],
  refund: [{ action: 'plugin::live.orders.refund', subject: null }],
  reconcile: [{ action: 'plugin::live.orders.reconcile', subject: null }],
};

/** For useRBAC: one stable array → allowedActions.canRead / canRefund / canReconcile. */
export const ORDER_ACTIONS = [...PERMISSIONS.read, ...PERMISSIONS.refund, ...PERMISSIONS.reconcile];

/** The admin RBAC actions the server registers for live sessions (plugin::live.sessions.*). */
export const SESSION_PERMISSIONS = {
  read: [{ action: 'plugin::live.sessions.read', subject: null }],
  create: [{ action: 'plugin::live.sessions.create', subject: null }],
  update: [{ action: 'plugin::live.sessions.update', subject: null }],
  delete: [{ action: 'plugin::live.sessions.delete', subject: null }],
  /** Go live / End. */
  control: [{ action: 'plugin::live.sessions.control', subject: null }],
  /** Reveal and regenerate the OBS stream key. */
  streamKey: [{ action: 'plugin::live.sessions.stream-key', subject: null }],
};

/**
 * For useRBAC: one stable array → allowedActions.canRead / canCreate / canUpdate / canDelete /
 * canControl / canStreamKey (useRBAC names an action after its last segment, hyphens removed).
 */
export const SESSION_ACTIONS = [
  ...SESSION_PERMISSIONS.read,
  ...SESSION_PERMISSIONS.create,
  ...SESSION_PERMISSIONS.update,
  ...SESSION_PERMISSIONS.delete,
  ...SESSION_PERMISSIONS.control,
  ...SESSION_PERMISSIONS.streamKey,
];

/** The course outline (server/src/authoring) opens for whoever may read courses in the content manager. */
export const OUTLINE_PERMISSIONS = {
  read: [{ action: 'plugin::content-manager.explorer.read', subject: 'api::course.course' }],
};

import { ADMIN_ACTIONS } from '../constants';
import { adminAction as can } from '../../utils/admin-route';

/** Admin-panel routes, at /live/orders…, each behind its RBAC action. */
export default {
  type: 'admin',
  routes: [
    { method: 'GET', path: '/orders', handler: 'orders.find', config: can(ADMIN_ACTIONS.read) },
    { method: 'GET', path: '/orders/courses', handler: 'orders.courses', config: can(ADMIN_ACTIONS.read) },
    { method: 'POST', path: '/orders/reconcile', handler: 'orders.reconcile', config: can(ADMIN_ACTIONS.reconcile) },
    { method: 'GET', path: '/orders/:id', handler: 'orders.findOne', config: can(ADMIN_ACTIONS.read) },
    { method: 'POST', path: '/orders/:id/refund', handler: 'orders.refund', config: can(ADMIN_ACTIONS.refund) },
  ],
};

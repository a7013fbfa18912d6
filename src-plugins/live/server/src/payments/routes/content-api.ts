import { jsonBody } from '../../utils/routes';
import { createOrderBody, verifyBody, sandboxPayBody, listMineQuery } from '../contracts';

/**
 * The payment endpoints students (and Razorpay) call, at /api/payments/… — `config.prefix: ''`
 * takes them out of the plugin's /api/live namespace. Student routes need the users-permissions
 * actions plugin::live.payments.* (granted to the student role in cms/src/bootstrap/site-roles.ts);
 * the webhook is public and authenticated by its signature.
 */
const student = { prefix: '', policies: ['global::is-student'] };
const json = jsonBody;

export default {
  type: 'content-api',
  routes: [
    { method: 'POST', path: '/payments/orders', handler: 'payments.createOrder', config: student, request: json(createOrderBody) },
    { method: 'GET', path: '/payments/orders', handler: 'payments.listMine', config: student, request: { query: listMineQuery.shape } },
    { method: 'GET', path: '/payments/orders/:id', handler: 'payments.findMine', config: student },
    { method: 'POST', path: '/payments/verify', handler: 'payments.verify', config: student, request: json(verifyBody) },
    { method: 'POST', path: '/payments/sandbox/pay', handler: 'payments.sandboxPay', config: student, request: json(sandboxPayBody) },
    { method: 'POST', path: '/payments/webhook', handler: 'payments.webhook', config: { prefix: '', auth: false, policies: [] } },
  ],
};

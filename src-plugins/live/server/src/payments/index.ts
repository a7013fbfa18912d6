import contentTypes from './content-types';
import controllers from './controllers';
import services from './services';
import routes from './routes';
import { bootstrapPayments } from './bootstrap';

/** Payments: orders, Razorpay checkout and webhooks, refunds, reconciliation. */
export default { contentTypes, controllers, services, routes, bootstrap: bootstrapPayments };

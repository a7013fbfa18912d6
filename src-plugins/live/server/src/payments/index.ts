import contentTypes from './content-types';
import controllers from './controllers';
import services from './services';
import routes from './routes';
import { bootstrapPayments } from './bootstrap';
import { defineModule } from '../modules';

/** Payments: orders, Razorpay checkout and webhooks, refunds, reconciliation. */
export default defineModule({ name: 'payments', contentTypes, controllers, services, routes, bootstrap: bootstrapPayments });

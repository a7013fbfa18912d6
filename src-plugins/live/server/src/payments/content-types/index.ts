import order from './order';
import paymentEvent from './payment-event';

export default { order, 'payment-event': paymentEvent };

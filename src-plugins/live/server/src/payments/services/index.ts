import gateway from './gateway';
import orders from './orders';
import fulfilment from './fulfilment';
import webhooks from './webhooks';
import reconciliation from './reconciliation';
import refunds from './refunds';
import receipts from './receipts';

export default { gateway, orders, fulfilment, webhooks, reconciliation, refunds, receipts };

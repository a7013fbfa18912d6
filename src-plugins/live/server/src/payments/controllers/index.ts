import payments from './payments';
import orders from './orders';

export default { payments, orders };

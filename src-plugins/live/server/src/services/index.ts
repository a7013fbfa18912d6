import health from './health';
import payments from '../payments/services';
import sessions from '../sessions/services';

export default { health, ...payments, ...sessions };

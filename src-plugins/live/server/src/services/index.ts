import health from './health';
import payments from '../payments/services';

export default { health, ...payments };

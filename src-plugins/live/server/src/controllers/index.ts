import health from './health';
import payments from '../payments/controllers';

export default { health, ...payments };

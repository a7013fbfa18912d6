import health from './health';
import payments from '../payments/controllers';
import sessions from '../sessions/controllers';

export default { health, ...payments, ...sessions };

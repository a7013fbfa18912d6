import payments from '../payments/content-types';
import sessions from '../sessions/content-types';

export default { ...payments, ...sessions };

import payments from '../payments/content-types';

export default { ...payments };

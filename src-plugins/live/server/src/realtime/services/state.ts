import { loadEnv } from '@skillyug/config';
import { createRealtimeState, type RealtimeState } from '../state';
import { redis } from '../../utils/redis';

/** The shared limits and presence: in Redis with REDIS_URL, in this process without. */
export default (): RealtimeState => createRealtimeState(redis(), loadEnv('cms').REDIS_KEY_PREFIX);

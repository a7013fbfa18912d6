import { createGuard } from '../../utils/guard';

/** Live-session handlers: refusals become Strapi's error envelope plus a `[live]` audit line. */
export const guarded = createGuard('live');

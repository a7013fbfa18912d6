import { createGuard } from '../../utils/guard';

/** Payment handlers: refusals become Strapi's error envelope plus a `[payments]` audit line. */
export const guarded = createGuard('payments');

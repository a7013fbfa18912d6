import { createGuard } from '../../utils/guard';

/** Outline handlers: refusals become Strapi's error envelope plus an `[authoring]` audit line. */
export const guarded = createGuard('authoring');

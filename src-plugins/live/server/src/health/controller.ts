import type { Core } from '@strapi/strapi';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async check(ctx: any) {
    ctx.body = await strapi.plugin('live').service('health').report();
  },
});

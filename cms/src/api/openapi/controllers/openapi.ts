export default {
  /** GET /api/openapi.json */
  async document(ctx: any) {
    ctx.set('Cache-Control', 'no-store'); // who may call what follows the roles' current permissions
    ctx.body = await strapi.service('api::openapi.openapi').document();
  },
};

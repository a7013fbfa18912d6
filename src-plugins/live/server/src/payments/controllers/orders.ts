import type { Core } from '@strapi/strapi';
import { adminListQuery, emptyQuery, orderDocumentId } from '../contracts';
import { validate } from '../../utils/http';
import { toAdminOrder } from '../services/orders';
import { guarded } from './guard';
import { paymentService, type PaymentServices } from '../services/registry';

/** The admin panel's orders: a read-only list, a full refund, reconciliation on demand. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const service = <K extends keyof PaymentServices>(name: K) => paymentService(strapi, name);

  return {
    find: guarded(strapi, 'admin list orders', async (ctx) => {
      const query = validate(adminListQuery, ctx.query);
      const { results, pagination } = await service('orders').adminList(query);
      ctx.body = {
        data: results.map((order: any) => ({ ...toAdminOrder(order), events: undefined })),
        meta: { pagination, payments: service('gateway').describe() },
      };
    }),

    findOne: guarded(strapi, 'admin read order', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const id = validate(orderDocumentId, ctx.params.id);
      ctx.body = { data: toAdminOrder(await service('orders').adminFindOne(id)), meta: {} };
    }),

    courses: guarded(strapi, 'admin order courses', async (ctx) => {
      validate(emptyQuery, ctx.query);
      ctx.body = { data: await service('orders').courseOptions(), meta: {} };
    }),

    refund: guarded(strapi, 'admin refund', async (ctx) => {
      const id = validate(orderDocumentId, ctx.params.id);
      validate(emptyQuery, ctx.request.body ?? {});
      const { order, alreadyRefunded } = await service('refunds').refund(id, { id: ctx.state.user!.id });
      ctx.body = { data: toAdminOrder(order), meta: { alreadyRefunded } };
    }),

    reconcile: guarded(strapi, 'admin reconcile', async (ctx) => {
      validate(emptyQuery, ctx.request.body ?? {});
      ctx.body = { data: await service('reconciliation').run({ minAgeMs: 0 }), meta: {} };
    }),
  };
};

import type { Core } from '@strapi/strapi';
import payments from './payments';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  await payments.bootstrap(strapi);
  strapi.log.debug('[live] bootstrapped');
};

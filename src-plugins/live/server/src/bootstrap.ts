import type { Core } from '@strapi/strapi';
import payments from './payments';
import sessions from './sessions';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  await payments.bootstrap(strapi);
  await sessions.bootstrap(strapi);
  strapi.log.debug('[live] bootstrapped');
};

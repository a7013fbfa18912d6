import type { Core } from '@strapi/strapi';
import sessions from './sessions';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  await sessions.destroy(strapi);
};

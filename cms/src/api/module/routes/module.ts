import { factories } from '@strapi/strapi';

export default factories.createCoreRouter('api::module.module', { only: ['find', 'findOne'] });

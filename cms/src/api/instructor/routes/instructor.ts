import { factories } from '@strapi/strapi';

export default factories.createCoreRouter('api::instructor.instructor', { only: ['find', 'findOne'] });

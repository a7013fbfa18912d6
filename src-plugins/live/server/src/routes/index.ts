import payments from '../payments/routes';

export default {
  'content-api': {
    type: 'content-api',
    routes: [
      {
        method: 'GET',
        path: '/health',
        handler: 'health.check',
        config: { auth: false, policies: [] },
      },
      ...payments['content-api'].routes,
    ],
  },
  admin: {
    type: 'admin',
    routes: [
      {
        method: 'GET',
        path: '/health',
        handler: 'health.check',
        config: { policies: ['admin::isAuthenticatedAdmin'] },
      },
      ...payments.admin.routes,
    ],
  },
};

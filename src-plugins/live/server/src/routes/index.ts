import payments from '../payments/routes';
import sessions from '../sessions/routes';

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
      ...sessions['content-api'].routes,
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
      ...sessions.admin.routes,
      ...payments.admin.routes,
    ],
  },
};

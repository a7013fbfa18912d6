import { loadEnv } from '@skillyug/config';

export default () => {
  const env = loadEnv('cms');
  return {
    'users-permissions': {
      config: {
        jwtSecret: env.JWT_SECRET,
        jwtManagement: 'refresh',
        sessions: { accessTokenLifespan: 15 * 60, maxRefreshTokenLifespan: 30 * 24 * 60 * 60 },
        register: { allowedFields: [] },
      },
    },
    live: { enabled: true, resolve: '../src-plugins/live' },
  };
};

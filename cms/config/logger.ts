import { winston, formats } from '@strapi/logger';
import { loadEnv } from '@skillyug/config';

export default () => {
  // The transport's level is a minimum (warn keeps warn and error); no level filter on top.
  const level = loadEnv('cms').LOG_LEVEL;
  return {
    transports: [
      new winston.transports.Console({
        level,
        format: formats.prettyPrint({ timestamps: 'YYYY-MM-DD HH:mm:ss.SSS' }),
      }),
    ],
  };
};

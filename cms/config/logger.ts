import { winston, formats } from '@strapi/logger';
import { loadEnv } from '@skillyug/config';

export default () => {
  const level = loadEnv('cms').LOG_LEVEL;
  return {
    transports: [
      new winston.transports.Console({
        level,
        format: winston.format.combine(formats.levelFilter(level), formats.prettyPrint({ timestamps: 'YYYY-MM-DD HH:mm:ss.SSS' })),
      }),
    ],
  };
};

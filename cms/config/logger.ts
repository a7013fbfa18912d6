import { winston, formats } from '@strapi/logger';
import { loadEnv } from '@skillyug/config';
import { escapeLogControlChars } from '../src/utils/log-safety';

export default () => {
  // The transport's level is a minimum (warn keeps warn and error); no level filter on top.
  const level = loadEnv('cms').LOG_LEVEL;
  return {
    transports: [
      new winston.transports.Console({
        level,
        // Request input (URLs, query keys, error messages quoting them) can't forge lines or drive the terminal.
        format: winston.format.combine(escapeLogControlChars(), formats.prettyPrint({ timestamps: 'YYYY-MM-DD HH:mm:ss.SSS' })),
      }),
    ],
  };
};

import { winston, formats } from '@strapi/logger';
import { loadEnv, logFormat } from '@skillyug/config';
import { escapeLogControlChars } from '../src/utils/log-safety';
import { jsonLines, withRequestContext } from '../src/utils/json-log';

export default () => {
  const env = loadEnv('cms');
  // The transport's level is a minimum (warn keeps warn and error); no level filter on top.
  const level = env.LOG_LEVEL;
  if (logFormat(env) === 'json') {
    return {
      // Replaces Strapi's default logger format (pretty print, colours): the level stays plain and the request is stamped at the log call.
      format: withRequestContext(),
      transports: [new winston.transports.Console({ level, format: jsonLines() })],
    };
  }
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

import { winston } from '@strapi/logger';
import { jsonLogLine, type LogFields } from '@skillyug/config';
import { currentRequest } from '@skillyug/live/utils/request-context';

const MESSAGE = Symbol.for('message');
const LEVEL = Symbol.for('level');

/** The request fields a log call may pass (the request-log middleware passes all of them for its line). */
const REQUEST_FIELDS = ['requestId', 'userId', 'route', 'method', 'status', 'durationMs'] as const;

/**
 * Stamps an entry with the request it was written in (id, user, route), at the moment it is
 * logged: the logger's own format runs synchronously in the log call, where the request's
 * AsyncLocalStorage context is still current (a transport may write later, outside it).
 */
export const withRequestContext = winston.format((logged) => {
  // `log.error(error)` logs the Error itself; transports copy an entry's enumerable fields only, which an Error's message and stack aren't.
  const info = logged instanceof Error ? { ...logged, message: logged.message, stack: logged.stack } : logged;
  const request = currentRequest();
  if (request) {
    info.requestId ??= request.requestId;
    info.userId ??= request.userId;
    info.route ??= request.route;
  }
  return info;
});

/**
 * One JSON object per line: time (ISO), level, message, the request's fields when known, and an
 * error's stack. Only these fields: whatever else a caller attached to the entry (an options
 * object, an error's own properties) stays out of the log. JSON escapes newlines and control
 * characters, so nothing a request puts into a message can forge a second entry.
 */
export const jsonLines = winston.format((info) => {
  const fields: LogFields = {
    time: new Date().toISOString(),
    level: String(info[LEVEL] ?? info.level),
    message: typeof info.message === 'string' ? info.message : String(info.message),
  };
  for (const name of REQUEST_FIELDS) {
    const value = info[name];
    if (value !== undefined && value !== null) (fields as Record<string, unknown>)[name] = value;
  }
  if (typeof info.stack === 'string') fields.stack = info.stack;
  info[MESSAGE] = jsonLogLine(fields);
  return info;
});

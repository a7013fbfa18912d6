import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import http from 'node:http';
import Koa from 'koa';
import request from 'supertest';
import { createLogger, winston } from '@strapi/logger';
import { resetEnvCache } from '@skillyug/config';
import loggerConfig from '../../../config/logger';
import requestLog from '../../middlewares/request-log';

/**
 * The production log format as configured (cms/config/logger.ts with LOG_FORMAT=json): the
 * logger's own format and its console transport's, with the transport writing into an array.
 */
function jsonLogger() {
  Object.assign(process.env, { LOG_FORMAT: 'json', LOG_LEVEL: 'http', SKILLYUG_ENV_FILE: path.join(os.tmpdir(), 'skillyug-no-env-file') });
  resetEnvCache();
  const config = loggerConfig() as { format?: any; transports: any[] };
  delete process.env.LOG_FORMAT;
  resetEnvCache();
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ level: 'http', format: config.format, transports: [new winston.transports.Stream({ stream, format: config.transports[0].format })] });
  return { logger, lines, entries: () => lines.map((line) => JSON.parse(line)) };
}

/** A Koa app with the request-log middleware first, as in cms/config/middlewares.ts, and routes standing in for Strapi's. */
function appWith(logger: ReturnType<typeof jsonLogger>['logger']) {
  const app = new Koa();
  app.silent = true;
  app.use(requestLog(undefined, { strapi: { log: logger } as any }));
  app.use(async (ctx, next) => {
    // What Strapi's router and authentication leave on the context.
    if (ctx.path.startsWith('/api/courses/')) (ctx as any)._matchedRoute = '/api/courses/:id';
    if (ctx.get('authorization') === 'Bearer student-7') ctx.state = { ...ctx.state, user: { id: 7 }, auth: { strategy: { name: 'users-permissions' } } };
    if (ctx.get('authorization') === 'Bearer admin-3') ctx.state = { ...ctx.state, user: { id: 3 }, auth: { strategy: { name: 'admin' } } };
    await next();
  });
  app.use(async (ctx) => {
    if (ctx.path === '/boom') throw Object.assign(new Error('database said no'), { status: 503, expose: true });
    logger.warn(`looked up course ${ctx.path.split('/').pop()}`);
    ctx.body = { ok: true };
  });
  return http.createServer(app.callback());
}

describe('JSON logs (LOG_FORMAT=json)', () => {
  it('write a request line with the request id, user, route pattern, status and duration, and no secrets', async () => {
    const log = jsonLogger();
    const res = await request(appWith(log.logger))
      .get('/api/courses/42?token=playback-secret&code=123456&populate=*')
      .set('X-Request-Id', 'site-req-0001')
      .set('Authorization', 'Bearer student-7');
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('site-req-0001');

    const entries = log.entries();
    const requestLine = entries.find((entry) => entry.level === 'http');
    expect(requestLine).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      level: 'http',
      message: expect.stringMatching(/^GET \/api\/courses\/42\?token=\*\*\*&code=\*\*\*&populate=\* \(\d+ ms\) 200$/),
      requestId: 'site-req-0001',
      userId: '7',
      route: '/api/courses/:id',
      method: 'GET',
      status: 200,
      durationMs: expect.any(Number),
    });
    expect(log.lines.join('\n')).not.toMatch(/playback-secret|123456/);
    // A line written while serving the request carries the request's id, user and route too.
    expect(entries.find((entry) => entry.level === 'warn')).toEqual({
      time: expect.any(String),
      level: 'warn',
      message: 'looked up course 42',
      requestId: 'site-req-0001',
      userId: '7',
      route: '/api/courses/:id',
    });
  });

  it("replace an unacceptable X-Request-Id and tell admins' ids apart from students'", async () => {
    const log = jsonLogger();
    const server = appWith(log.logger);
    const forged = await request(server).get('/api/courses/1').set('X-Request-Id', 'bad id "quoted" <x>').set('Authorization', 'Bearer admin-3');
    expect(forged.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const anonymous = await request(server).get('/api/courses/1');
    expect(anonymous.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(anonymous.headers['x-request-id']).not.toBe(forged.headers['x-request-id']);
    const [adminLine, anonymousLine] = log.entries().filter((entry) => entry.level === 'http');
    expect(adminLine).toMatchObject({ requestId: forged.headers['x-request-id'], userId: 'admin:3' });
    expect(anonymousLine.requestId).toBe(anonymous.headers['x-request-id']);
    expect(anonymousLine).not.toHaveProperty('userId');
  });

  it('echo the id on an error that escapes every middleware, and log its status', async () => {
    const log = jsonLogger();
    const res = await request(appWith(log.logger)).get('/boom').set('X-Request-Id', 'boom-request-1');
    expect(res.status).toBe(503);
    expect(res.headers['x-request-id']).toBe('boom-request-1');
    expect(log.entries().find((entry) => entry.level === 'http')).toMatchObject({ requestId: 'boom-request-1', status: 503, message: expect.stringMatching(/^GET \/boom \(\d+ ms\) 503$/) });
  });

  it('keep every entry on one line: newlines, terminal escapes and line separators in a message are escaped, an error keeps its stack', () => {
    const log = jsonLogger();
    log.logger.warn('[live] refused: "\n{"time":"x","level":"error","message":"forged"}" \u001b[31m \u2028 \u009b');
    log.logger.error(new Error('select failed\nforged line'));
    expect(log.lines).toHaveLength(2);
    for (const line of log.lines) expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    const [warning, error] = log.entries();
    expect(warning.message).toBe('[live] refused: "\n{"time":"x","level":"error","message":"forged"}" \u001b[31m \u2028 \u009b');
    expect(warning.level).toBe('warn');
    expect(error).toMatchObject({ level: 'error', message: 'select failed\nforged line', stack: expect.stringMatching(/^Error: select failed\nforged line\n\s+at /) });
    // Outside a request: no request fields at all.
    expect(warning).not.toHaveProperty('requestId');
  });
});

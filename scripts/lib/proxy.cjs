// A small local stand-in for the ALB in front of several processes (npm run ops:cluster and the
// ops tests): HTTP and WebSocket upgrades passed through, a cookie that keeps a client on the
// process it first reached (ALB's "duration-based stickiness"), round-robin for new clients, and
// readiness checks that take a process out while its /api/ready fails (and a connection refused
// takes it out at once). Not for production: no TLS, request bodies are buffered in memory.
// CommonJS so the ops tests (jest, CommonJS) load the very same code as `npm run ops:cluster`.
const http = require('node:http');
const net = require('node:net');
const { EventEmitter } = require('node:events');

/** Readiness checks without an answer, in a row, that take a process out. */
const UNHEALTHY_THRESHOLD = 2;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

/** The value of one cookie in a Cookie header, or undefined. */
function cookieValue(header, name) {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/**
 * @param {{ name: string, targets: { id: string, url: string }[], readyPath?: string, checkIntervalMs?: number, log?: (line: string) => void }} options
 * Events: 'out' (id, why) when a target is taken out, 'in' (id) when it is back.
 */
function createProxy({ name, targets, readyPath = '/api/ready', checkIntervalMs = 1_000, log = () => {} }) {
  const events = new EventEmitter();
  const cookie = `SKYLB_${name.replace(/\W/g, '')}`;
  const pool = targets.map((target) => ({ ...target, base: new URL(target.url), inService: true, checking: false, websockets: 0, silent: 0 }));
  let next = 0;
  let timer;
  /** Upgraded (WebSocket) connections: the HTTP server no longer tracks them. */
  const tunnels = new Set();

  const setState = (target, inService, why) => {
    if (target.inService === inService) return;
    target.inService = inService;
    log(`[proxy:${name}] ${target.id} ${inService ? 'back in service' : `out of service (${why})`}`);
    events.emit(inService ? 'in' : 'out', target.id, why);
  };

  /** The sticky target when it is in service, else the next in service (round-robin); `exclude`: already tried. */
  function pick(cookieHeader, exclude = new Set()) {
    const sticky = cookieValue(cookieHeader, cookie);
    const stuck = pool.find((t) => t.id === sticky && t.inService && !exclude.has(t));
    if (stuck) return { target: stuck, fresh: false };
    const live = pool.filter((t) => t.inService && !exclude.has(t));
    if (live.length === 0) return null;
    const target = live[next++ % live.length];
    return { target, fresh: true };
  }

  async function check(target) {
    if (target.checking) return;
    target.checking = true;
    try {
      const response = await fetch(new URL(readyPath, target.base), { signal: AbortSignal.timeout(Math.max(2_000, checkIntervalMs)) });
      await response.arrayBuffer().catch(() => undefined);
      target.silent = 0;
      // The process says it can't take traffic (a 503 while it drains): out at once.
      setState(target, response.ok, `${readyPath} answered ${response.status}`);
    } catch (error) {
      // No answer: out after two in a row (a busy process may miss one check), as ALB's unhealthy threshold.
      target.silent += 1;
      if (target.silent >= UNHEALTHY_THRESHOLD) setState(target, false, `${readyPath} unreachable: ${error.cause?.code ?? error.message}`);
    } finally {
      target.checking = false;
    }
  }

  const forwardedHeaders = (req) => {
    const headers = {};
    for (const [key, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(key)) headers[key] = value;
    const peer = req.socket.remoteAddress ?? '';
    headers['x-forwarded-for'] = req.headers['x-forwarded-for'] ? `${req.headers['x-forwarded-for']}, ${peer}` : peer;
    headers['x-forwarded-proto'] = 'http';
    headers['x-forwarded-host'] = req.headers.host ?? '';
    return headers;
  };

  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const tried = new Set();
    const attempt = () => {
      const chosen = pick(req.headers.cookie, tried);
      if (!chosen) {
        res.writeHead(503, { 'Content-Type': 'text/plain', 'Retry-After': '5' });
        return res.end('No process is in service');
      }
      const { target, fresh } = chosen;
      tried.add(target);
      const headers = forwardedHeaders(req);
      if (body.length) headers['content-length'] = String(body.length);
      const upstream = http.request({ host: target.base.hostname, port: target.base.port, method: req.method, path: req.url, headers, agent: false });
      upstream.on('response', (answer) => {
        const out = { ...answer.headers };
        for (const key of HOP_BY_HOP) delete out[key];
        if (fresh) out['set-cookie'] = [...[answer.headers['set-cookie'] ?? []].flat(), `${cookie}=${target.id}; Path=/; HttpOnly; SameSite=Lax`];
        res.writeHead(answer.statusCode ?? 502, out);
        answer.pipe(res);
      });
      upstream.on('error', (error) => {
        // Refused: nothing reached the process, so another may take the request (as ALB does for a target going away).
        if (error.code === 'ECONNREFUSED' && !res.headersSent) {
          setState(target, false, 'connection refused');
          return attempt();
        }
        if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
        res.end();
      });
      upstream.end(body);
    };
    attempt();
  });

  server.on('upgrade', (req, socket, head) => {
    const tried = new Set();
    socket.on('error', () => socket.destroy());
    const attempt = () => {
      const chosen = pick(req.headers.cookie, tried);
      if (!chosen) return socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      const { target } = chosen;
      tried.add(target);
      const upstream = net.connect(Number(target.base.port), target.base.hostname);
      tunnels.add(upstream).add(socket);
      upstream.once('close', () => tunnels.delete(upstream));
      socket.once('close', () => tunnels.delete(socket));
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        target.websockets += 1;
        upstream.once('close', () => (target.websockets -= 1));
        const headers = { ...forwardedHeaders(req), connection: 'Upgrade', upgrade: req.headers.upgrade };
        const lines = Object.entries(headers).flatMap(([key, value]) => [value].flat().map((v) => `${key}: ${v}`));
        upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
        if (head?.length) upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', (error) => {
        if (!connected && error.code === 'ECONNREFUSED') {
          setState(target, false, 'connection refused');
          return attempt();
        }
        socket.destroy();
      });
      upstream.on('close', () => socket.destroy());
      socket.on('close', () => upstream.destroy());
    };
    attempt();
  });

  return {
    events,
    cookie,
    server,
    /** Listens on `port` (0: any) on 127.0.0.1 and starts the readiness checks; resolves with the URL. */
    async listen(port = 0, host = '127.0.0.1') {
      await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, resolve);
      });
      timer = setInterval(() => pool.forEach((target) => void check(target)), checkIntervalMs);
      timer.unref();
      return `http://${host}:${server.address().port}`;
    },
    inService: (id) => pool.find((t) => t.id === id)?.inService ?? false,
    /** WebSocket connections open to a target now (what "sockets per task" counts). */
    websockets: (id) => pool.find((t) => t.id === id)?.websockets ?? 0,
    async close() {
      clearInterval(timer);
      server.closeAllConnections?.();
      for (const tunnel of tunnels) tunnel.destroy();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

module.exports = { createProxy };

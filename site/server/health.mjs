/**
 * The site's probes, answered by server.mjs before the page cache and before Astro:
 *  - GET /api/health (and its old name /healthz): liveness — the process answers; calls nothing,
 *    so an API outage never gets the site's containers restarted.
 *  - GET /api/ready: readiness — `api` (Strapi's own /api/ready answers 200 within TIMEOUT_MS) and,
 *    when REDIS_URL is set, `redis` (the cache-invalidation subscriber is connected); 503 naming
 *    what is down, with Retry-After. While the process drains after SIGTERM: 503 "shutting down".
 * The same contract as Strapi's pair (src-plugins/live/server/src/health). No host names in answers.
 */
const TIMEOUT_MS = 1_500;
const RETRY_AFTER_SECONDS = 5;
const LIVENESS_PATHS = new Set(['/api/health', '/healthz']);
const READINESS_PATH = '/api/ready';

/**
 * @param {object} options
 * @param {string} options.apiUrl Strapi's base URL (API_URL)
 * @param {() => ({ status: string } | null)} [options.redis] the process's Redis connection, null without REDIS_URL
 * @param {() => boolean} [options.isDraining] true once SIGTERM has started the drain
 * @param {(message: string) => void} [options.log]
 * @param {number} [options.timeoutMs]
 * @returns {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => boolean}
 *   answers a probe and returns true, or returns false for every other request
 */
export function createHealthRoutes({ apiUrl, redis = () => null, isDraining = () => false, log = console.warn, timeoutMs = TIMEOUT_MS }) {
  const readyUrl = new URL('/api/ready', apiUrl);
  /** What was down at the last readiness check, so a change is logged once, not on every probe. */
  let lastDown = '';

  async function checkApi() {
    try {
      const response = await fetch(readyUrl, { signal: AbortSignal.timeout(timeoutMs), headers: { Accept: 'application/json' } });
      await response.body?.cancel();
      return response.ok ? { result: 'ok' } : { result: 'down', reason: `Strapi's /api/ready answered ${response.status}` };
    } catch (error) {
      return { result: 'down', reason: error?.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : String(error?.cause?.code ?? error?.message ?? error) };
    }
  }

  async function readiness() {
    if (isDraining()) return { status: 'unavailable', down: ['shutting down'], checks: {} };
    const api = await checkApi();
    const reasons = api.reason ? [`api: ${api.reason}`] : [];
    /** @type {Record<string, string>} */
    const checks = { api: api.result };
    const client = redis();
    if (client) {
      checks.redis = client.status === 'ready' ? 'ok' : 'down';
      if (checks.redis === 'down') reasons.push(`redis: connection ${client.status}`);
    }
    const down = Object.keys(checks).filter((name) => checks[name] === 'down');
    const summary = down.join(', ');
    if (summary !== lastDown) log(summary ? `[site] not ready: ${reasons.join('; ')}` : `[site] ready again (was down: ${lastDown})`);
    lastDown = summary;
    return down.length ? { status: 'unavailable', down, checks } : { status: 'ready', checks };
  }

  const send = (req, res, status, body, headers = {}) => {
    const json = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(json), ...headers });
    res.end(req.method === 'HEAD' ? undefined : json);
  };

  return function answerHealth(req, res) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = (req.url ?? '/').split('?')[0];
    if (LIVENESS_PATHS.has(path)) {
      send(req, res, 200, { status: 'ok' });
      return true;
    }
    if (path !== READINESS_PATH) return false;
    readiness().then(
      (answer) => send(req, res, answer.status === 'ready' ? 200 : 503, answer, answer.status === 'ready' ? {} : { 'Retry-After': String(RETRY_AFTER_SECONDS) }),
      (error) => {
        log(`[site] readiness check failed: ${error?.stack ?? error}`);
        send(req, res, 500, { status: 'error' });
      }
    );
    return true;
  };
}

import { generate } from '@strapi/openapi';
import { loadEnv } from '@skillyug/config';

/**
 * The content API's OpenAPI 3.1 document, built from the routes Strapi has registered (so it can't
 * miss one): Strapi's own generator (@strapi/openapi) describes each route and the content types'
 * schemas; this adds what it leaves out — the /api prefix, the path parameters of custom routes, and
 * who may call each route (public, students with their site token, mentors with their admin token,
 * or a route's own credential such as a webhook signature).
 */

type RouteAuth = false | { scope?: string[]; strategies?: unknown[] } | undefined;
type ContentApiRoute = { method: string; path: string; config?: { auth?: RouteAuth; policies?: unknown[] } };
type Operation = Record<string, any> & { parameters?: { name: string; in: string }[] };

const SECURITY_SCHEMES = {
  userJwt: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'A site user\'s (student\'s) users-permissions access token: `POST /api/auth/local` answers `{ jwt, refreshToken }`; ' +
      'the access token lives 15 minutes, `POST /api/auth/refresh` exchanges the refresh token for a new one, and a ' +
      'password reset or logout ends the session at once. What a token may call follows its role\'s permissions ' +
      '(see each operation\'s `x-roles`).',
  },
  adminToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'A mentor\'s or admin\'s admin-panel access token (from `POST /admin/login`), accepted on `/api/live/*` by the ' +
      '`live-admin` strategy. Which sessions it may read or change follows the admin role: `plugin::live.sessions.*` ' +
      'actions, limited for mentors by the "own live sessions" condition.',
  },
  razorpaySignature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Razorpay-Signature',
    description: 'HMAC-SHA256 of the raw body with RAZORPAY_WEBHOOK_SECRET (Razorpay signs its webhook deliveries).',
  },
  ivsEventsSecret: {
    type: 'apiKey',
    in: 'header',
    name: 'X-IVS-Events-Secret',
    description: 'IVS_EVENTS_SECRET, sent by the EventBridge API destination that forwards Amazon IVS stream events.',
  },
  playbackToken: {
    type: 'apiKey',
    in: 'query',
    name: 'token',
    description: 'The short-lived, per-viewer playback token in the URL that `GET /api/live/sessions/{id}/join` returns.',
  },
  previewToken: {
    type: 'apiKey',
    in: 'query',
    name: 'token',
    description: "The short-lived draft-preview token the admin panel's Preview button puts in the site's /preview URL (10 minutes, one course).",
  },
} as const;

/** Public routes (auth: false) that check a credential of their own in the controller. */
const OWN_CREDENTIAL: Record<string, 'razorpaySignature' | 'ivsEventsSecret' | 'playbackToken' | 'previewToken'> = {
  'POST /api/payments/webhook': 'razorpaySignature',
  'POST /api/live/events/ivs': 'ivsEventsSecret',
  'GET /api/live/play/:stream': 'playbackToken',
  'GET /api/previews/course': 'previewToken',
};

const LIVE_ADMIN_STRATEGY = 'live-admin';

/** Koa's `/sessions/:id` is OpenAPI's `/sessions/{id}`; Koa serves `/upload/` as `/upload`. */
export const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z_]\w*)/g, '{$1}').replace(/(.)\/$/, '$1');

/** users-permissions action → the site roles (by type: public, student, …) granted it, as stored now. */
async function rolesByAction(): Promise<Map<string, string[]>> {
  const permissions = await strapi.db
    .query('plugin::users-permissions.permission')
    .findMany({ select: ['action'], populate: { role: { select: ['type'] } } });
  const roles = new Map<string, string[]>();
  for (const { action, role } of permissions as { action: string; role?: { type: string } }[]) {
    if (role) roles.set(action, [...(roles.get(action) ?? []), role.type]);
  }
  return roles;
}

/** Who may call a route: its OpenAPI security requirements and a sentence for people. */
function accessOf(route: ContentApiRoute, roles: Map<string, string[]>) {
  const auth = route.config?.auth;
  if (auth === false) {
    const own = OWN_CREDENTIAL[`${route.method} ${route.path}`];
    return own
      ? { security: [{ [own]: [] }], text: `Authenticated by its own credential: ${SECURITY_SCHEMES[own].name}.`, extensions: {} }
      : { security: [], text: 'Public.', extensions: {} };
  }
  const action = auth?.scope?.[0];
  const granted = (action && roles.get(action)) || [];
  const strategies = (auth?.strategies ?? []).map((s) => (typeof s === 'string' ? s : (s as { name?: string })?.name));
  const forMentors = strategies.includes(LIVE_ADMIN_STRATEGY);

  const security: Record<string, string[]>[] = [];
  if (forMentors) security.push({ adminToken: [] });
  security.push({ userJwt: [] });
  if (granted.includes('public')) security.push({}); // no token needed: the public role holds the action

  const sentences = [
    forMentors
      ? 'Mentors and admins: their admin-panel token; which sessions they may act on follows their admin role (RBAC with the "own live sessions" condition).'
      : null,
    granted.length > 0
      ? `Site users: allowed for the ${granted.join(', ')} role${granted.length > 1 ? 's' : ''} (users-permissions action \`${action}\`).`
      : `Site users: no role holds its action \`${action}\`.`,
    route.config?.policies?.includes('global::is-student') ? 'Only student accounts (global::is-student).' : null,
  ];
  return {
    security,
    text: sentences.filter(Boolean).join(' '),
    extensions: { 'x-strapi-action': action, 'x-roles': granted },
  };
}

/** Custom routes' path parameters, which Strapi's generator only lists when a route declares them. */
function withPathParameters(operation: Operation, path: string): Operation {
  const declared = new Set((operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name));
  const missing = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name).filter((name) => !declared.has(name));
  if (missing.length === 0) return operation;
  return {
    ...operation,
    parameters: [...missing.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })), ...(operation.parameters ?? [])],
  };
}

export default () => {
  // The routes are fixed once Strapi has started: describe them once (over a second of work).
  let described: ReturnType<typeof generate>['document'] | undefined;

  return {
    async document() {
      const prefix = strapi.config.get('api.rest.prefix', '/api') as string;
      const document = (described ??= generate(strapi, { type: 'content-api' }).document);
      const generated = (document.paths ?? {}) as Record<string, Record<string, Operation>>;
      const roles = await rolesByAction();
      const routesMap = (await strapi.contentAPI.getRoutesMap()) as Record<string, ContentApiRoute[]>;

      const paths: Record<string, Record<string, Operation>> = {};
      for (const [owner, routes] of Object.entries(routesMap)) {
        for (const route of routes) {
          const path = toOpenApiPath(route.path);
          const method = route.method.toLowerCase();
          const base: Operation = generated[path.slice(prefix.length)]?.[method] ?? {
            operationId: `${owner}/${method}${path.replace(/\W+/g, '_')}`,
            responses: { default: { description: 'JSON `{ data, meta }`, or `{ data: null, error: { status, name, message, details } }`' } },
          };
          const access = accessOf(route, roles);
          paths[path] ??= {};
          paths[path][method] = {
            ...withPathParameters(base, path),
            description: [base.description, access.text].filter(Boolean).join('\n\n'),
            security: access.security,
            ...access.extensions,
          };
        }
      }

      const { security: _generatorDefault, ...rest } = document;
      return {
        ...rest,
        info: {
          title: 'Skillyug API',
          version: document.info?.version ?? '0.0.0',
          description:
            'The content API of Skillyug: the catalog (public), accounts and learning (students, with a users-permissions token), ' +
            'payments (students; Razorpay webhooks), and live classes (students join; mentors and admins manage them with their ' +
            'admin-panel token). Each operation says who may call it; errors are `{ data: null, error: { status, name, message, details } }`.',
        },
        servers: [{ url: loadEnv('cms').PUBLIC_URL, description: 'This Strapi' }],
        components: { ...document.components, securitySchemes: SECURITY_SCHEMES },
        paths,
      };
    },
  };
};

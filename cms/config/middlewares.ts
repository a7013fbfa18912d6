import { loadEnv, corsOrigins, storageOrigins } from '@skillyug/config';

export default () => {
  const env = loadEnv('cms');
  // Recordings' previews, posters and thumbnails (and media-library files) come from S3 or the CDN with UPLOAD_PROVIDER=s3.
  const storage = storageOrigins(env);
  const mediaSources = ["'self'", 'data:', 'blob:', ...storage];
  return [
    'global::request-log',
    // Counts every answer (503s included) under its route pattern; serves GET /api/metrics with METRICS_TOKEN.
    'global::metrics',
    'strapi::errors',
    {
      name: 'strapi::security',
      config: {
        contentSecurityPolicy: {
          useDefaults: true,
          directives: {
            // http: too when the S3 endpoint is (a local S3-compatible server): hls.js fetches IVS recordings' segments.
            'connect-src': ["'self'", 'https:', 'wss:', 'ws:', ...storage.filter((o) => o.startsWith('http:'))],
            'img-src': [...mediaSources, 'https://market-assets.strapi.io'],
            'media-src': mediaSources,
            'frame-ancestors': ["'self'"],
            upgradeInsecureRequests: null,
          },
        },
        crossOriginEmbedderPolicy: false,
        hsts: env.NODE_ENV === 'production' ? { maxAge: 31536000, includeSubDomains: true } : false,
        referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      },
    },
    {
      name: 'strapi::cors',
      config: {
        origin: corsOrigins(env),
        credentials: true,
        methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
        headers: ['Content-Type', 'Authorization', 'Origin', 'Accept'],
        keepHeaderOnError: true,
      },
    },
    // Database or Redis down: 503 + Retry-After for every request (not 401/500), recovering by itself.
    // After errors (it sees the thrown error first) and cors (its 503s stay readable), before anything that reads.
    'global::dependency-outage',
    'strapi::poweredBy',
    'strapi::query',
    {
      name: 'strapi::body',
      config: {
        jsonLimit: env.BODY_LIMIT_JSON,
        formLimit: env.BODY_LIMIT_JSON,
        textLimit: env.BODY_LIMIT_JSON,
        // Keeps the body as received next to the parsed one (ctx.request.body[Symbol.for('unparsedBody')]):
        // Razorpay's webhook signature covers the raw bytes, not a re-serialization.
        includeUnparsed: true,
        formidable: { maxFileSize: env.BODY_LIMIT_UPLOAD_MB * 1024 * 1024 },
      },
    },
    // Before the guard: only answers the guard let through (200s) are remembered, keyed by the exact URL,
    // so a repeat is served without parsing and checking its query again.
    'global::catalog-cache',
    'global::content-api-guard',
    'strapi::session',
    'strapi::favicon',
    // Lesson videos under /uploads only with a signed link (and signed links in the admin panel's answers).
    'global::protected-uploads',
    'strapi::public',
  ];
};

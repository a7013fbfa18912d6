/**
 * The site's Content-Security-Policy, in two halves:
 *  - built in (astro.config.mjs `experimental.csp`): `script-src` and `style-src` with the hashes
 *    of every inline script and style Astro renders (island bootstrap, small bundled scripts), plus
 *    the fixed directives below — nothing inline that isn't in the build runs;
 *  - added per response by the middleware (`withRuntimeSources`): the origins that depend on the
 *    deployment's configuration (Strapi's public URL for covers, lesson videos and live playback;
 *    the CDN or S3 bucket; Amazon IVS), which are not known when the image is built.
 */
import type { AstroConfig } from 'astro';
import { loadEnv, originOf, storageOrigins, type StorageOriginsEnv } from '@skillyug/config';

type CspDirective = NonNullable<Exclude<AstroConfig['experimental']['csp'], boolean>['directives']>[number];

/** Razorpay Checkout: its script, its iframes, the API it talks to from the page. */
export const RAZORPAY = {
  script: 'https://checkout.razorpay.com',
  frames: ['https://api.razorpay.com', 'https://checkout.razorpay.com'],
  connect: ['https://api.razorpay.com', 'https://lumberjack.razorpay.com'],
};

/**
 * Fixed directives (astro.config.mjs). Workers: the IVS player starts its WebAssembly worker from
 * a blob: URL (mpegts.js does too when its worker is on). Media Source Extensions play from blob:.
 */
export const STATIC_DIRECTIVES: CspDirective[] = [
  "default-src 'self'",
  "base-uri 'self'",
  "object-src 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  `frame-src ${RAZORPAY.frames.join(' ')}`,
  "worker-src 'self' blob:",
  "font-src 'self'",
  "manifest-src 'self'",
];

/** `script-src` besides the hashes: the site's bundles, Razorpay's checkout.js, and WebAssembly (IVS player). */
export const SCRIPT_SOURCES = ["'self'", "'wasm-unsafe-eval'", RAZORPAY.script];


/** The same host over WebSocket (live WS-FLV through Strapi's port). */
const webSocketOrigin = (httpOrigin: string) => httpOrigin.replace(/^http/, 'ws');

type SourceEnv = Pick<
  ReturnType<typeof loadEnv>,
  'PUBLIC_URL' | 'LIVE_PROVIDER' | 'RAZORPAY_KEY_ID'
> &
  Partial<Pick<ReturnType<typeof loadEnv>, 'CHAT_PROVIDER' | 'AWS_REGION' | 'IVSCHAT_MESSAGING_URL'>> &
  StorageOriginsEnv;

/** CHAT_PROVIDER=ivs-chat: the classroom sends chat messages over IVS Chat's messaging WebSocket. */
function ivsChatSources(env: SourceEnv): string[] {
  if (env.CHAT_PROVIDER !== 'ivs-chat') return [];
  if (env.IVSCHAT_MESSAGING_URL) return [originOf(env.IVSCHAT_MESSAGING_URL)].filter((o): o is string => Boolean(o));
  return env.AWS_REGION ? [`wss://edge.ivschat.${env.AWS_REGION}.amazonaws.com`] : [];
}

/** Where signed storage URLs point (UPLOAD_PROVIDER=s3): shared with the admin panel's CSP. */
export { storageOrigins };

/** The directives whose origins come from configuration. */
export function runtimeDirectives(env: SourceEnv): string[] {
  const strapi = originOf(env.PUBLIC_URL)!;
  // Uploaded files (covers, lesson videos) are served by Strapi itself; recordings on disk too
  // (its signed /api/live/files route). In S3 their signed URLs point at the bucket or the CDN:
  // a recording's poster (img-src), an MP4 (media-src), an HLS recording's playlists and
  // segments, which hls.js fetches (connect-src).
  const storage = storageOrigins(env);
  const files = [strapi, ...storage];
  const ivs = env.LIVE_PROVIDER === 'ivs' ? ['https://*.live-video.net'] : [];
  const razorpay = env.RAZORPAY_KEY_ID ? RAZORPAY.connect : [];
  return [
    `img-src 'self' data: ${files.join(' ')}`,
    `media-src 'self' blob: ${[...files, ...ivs].join(' ')}`,
    `connect-src 'self' ${[strapi, webSocketOrigin(strapi), ...storage, ...ivs, ...ivsChatSources(env), ...razorpay].join(' ')}`,
  ];
}

/**
 * The draft preview's pages are shown inside the Strapi admin's preview pane: their policy lets
 * the admin's origin (Strapi's PUBLIC_URL) frame them, instead of the build's `frame-ancestors
 * 'none'`. Every other page stays unframable.
 */
export function framableByAdmin(policy: string, env: Pick<SourceEnv, 'PUBLIC_URL'> = loadEnv('site')): string {
  const admin = originOf(env.PUBLIC_URL)!;
  return policy.replace(/frame-ancestors[^;]*/, `frame-ancestors 'self' ${admin}`);
}

/** Astro's policy (from the build) with the configured origins appended. */
export function withRuntimeSources(policy: string, env: SourceEnv = loadEnv('site')): string {
  const base = policy.trim().replace(/;+\s*$/, '');
  return `${base}; ${runtimeDirectives(env).join('; ')}`;
}

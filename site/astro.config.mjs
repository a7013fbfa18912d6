// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import react from '@astrojs/react';
import tailwindcss from '@tailwindcss/vite';
import { loadEnv } from '@skillyug/config';
import { SCRIPT_SOURCES, STATIC_DIRECTIVES } from './src/lib/csp.ts';

const env = loadEnv('site');

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  integrations: [react()],
  // Baked into the build as the standalone server's defaults; `astro dev` passes its own flags.
  server: { host: env.SITE_HOST, port: env.SITE_PORT },
  // The toolbar is a development aid nobody here uses; it also adds scripts to every page.
  devToolbar: { enabled: false },
  experimental: {
    // Content-Security-Policy response header on every page: script-src/style-src carry the hashes
    // of the inline scripts and styles in the build; the origins that depend on configuration are
    // appended by the middleware (src/lib/csp.ts). Not applied by `astro dev`.
    csp: {
      algorithm: 'SHA-256',
      directives: STATIC_DIRECTIVES,
      scriptDirective: { resources: SCRIPT_SOURCES },
      styleDirective: { resources: ["'self'"] },
    },
  },
  security: {
    // Rejects cross-site form posts to on-demand pages (CSRF); keep it on.
    checkOrigin: true,
    // Since 5.14 Astro ignores the Host header unless it matches a pattern here, and the origin
    // check then compares against http://localhost and refuses every same-site form. Any host is
    // accepted (and a proxy's X-Forwarded-Proto/Host): the site builds no link from the request's
    // host — canonical, Open Graph and email links come from SITE_URL — and a cross-site form still
    // carries the attacker's Origin, so it is still refused. The domain isn't known at build time.
    allowedDomains: [{ protocol: 'http' }, { protocol: 'https' }],
  },
  vite: {
    // A broken request (anyone's, from anywhere that reaches the dev server) must not cover the
    // page a student is looking at with a stack trace and file paths.
    server: { hmr: { overlay: false } },
    // Types only: @tailwindcss/vite is typed against the hoisted Vite, Astro 5 against its own Vite 6.
    // @ts-expect-error Plugin types from two Vite copies (withastro/astro#14030)
    plugins: [tailwindcss()],
    // The config package is a CommonJS workspace link: Node must load it, Vite must not bundle it.
    ssr: { external: ['@skillyug/config'] },
  },
});

// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import react from '@astrojs/react';
import tailwindcss from '@tailwindcss/vite';
import { loadEnv } from '@skillyug/config';

const env = loadEnv('site');

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  integrations: [react()],
  // Baked into the build as the standalone server's defaults; `astro dev` passes its own flags.
  server: { host: env.SITE_HOST, port: env.SITE_PORT },
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
    // Types only: @tailwindcss/vite is typed against the hoisted Vite, Astro 5 against its own Vite 6.
    // @ts-expect-error Plugin types from two Vite copies (withastro/astro#14030)
    plugins: [tailwindcss()],
    // The config package is a CommonJS workspace link: Node must load it, Vite must not bundle it.
    ssr: { external: ['@skillyug/config'] },
  },
});

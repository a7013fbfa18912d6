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
  // Rejects cross-site form posts to on-demand pages; keep it on.
  security: { checkOrigin: true },
  vite: {
    // Types only: @tailwindcss/vite is typed against the hoisted Vite, Astro 5 against its own Vite 6.
    // @ts-expect-error Plugin types from two Vite copies (withastro/astro#14030)
    plugins: [tailwindcss()],
    // The config package is a CommonJS workspace link: Node must load it, Vite must not bundle it.
    ssr: { external: ['@skillyug/config'] },
  },
});

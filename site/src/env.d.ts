/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** The signed-in student, loaded by the middleware (null for visitors). */
    user: import('./lib/api').User | null;
    /** Their Strapi access token, for server-side API calls only (never rendered). */
    token: string | null;
    refreshToken: string | null;
    /** A one-shot message from the previous request (after a redirect). */
    flash: import('./lib/flash').Flash | null;
    /** Set by public catalog pages: this response is the same for every visitor and may be cached. */
    cacheable: boolean;
    /** The visitor's address (forwarded to Strapi's sign-in rate limits): see lib/client-address.ts. */
    clientIp: string | undefined;
    /** The TCP peer's address, passed in by server.mjs (Astro's clientAddress prefers X-Forwarded-For). */
    socketAddress?: string;
  }
}

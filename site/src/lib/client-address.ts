import { isIP } from 'node:net';

/**
 * The visitor's address, as this site can vouch for it. Sign-in calls send it to Strapi in
 * `X-Forwarded-For`, and Strapi's per-IP limits count it, so it must not be something the
 * visitor wrote.
 *
 * Astro's `clientAddress` is the FIRST `X-Forwarded-For` entry when the header is present —
 * whatever the client sent. Instead: with no proxy in front of the site (`trustedHops` 0) it is
 * the socket's peer; behind N proxies that each append the address they saw, it is the entry the
 * outermost trusted proxy added, N from the right of the chain `[...X-Forwarded-For, socket]`.
 * Entries further left were written by the client and are ignored. A chain shorter than N (a
 * request that bypassed a proxy) gives its leftmost entry, as koa's `maxIpsCount` does.
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | null | undefined, trustedHops: number): string | undefined {
  const socket = normalise(socketAddress);
  if (trustedHops <= 0 || !socket) return socket;
  const forwarded = (forwardedFor ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const chain = [...forwarded, socket];
  const chosen = normalise(chain[Math.max(0, chain.length - 1 - trustedHops)]);
  // A trusted proxy writes addresses; anything else means it is misconfigured: count the proxy.
  return chosen ?? socket;
}

/** An IP address without the IPv4-mapped IPv6 prefix, or undefined when it isn't one. */
function normalise(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  return isIP(plain) ? plain : undefined;
}

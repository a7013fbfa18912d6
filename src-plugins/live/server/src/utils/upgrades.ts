import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * One `upgrade` listener on Strapi's HTTP server, dispatching WebSocket upgrades by path to the
 * module that owns the prefix (the local provider's WS-FLV playback, socket.io). Several
 * listeners that each guess whether a request is theirs end with one destroying the other's
 * socket; here every prefix has exactly one owner and anything unclaimed is answered 404.
 */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

type Routes = Map<string, UpgradeHandler>;
const byServer = new WeakMap<Server, Routes>();

function pathOf(req: IncomingMessage): string {
  const raw = req.url ?? '/';
  const query = raw.indexOf('?');
  return query === -1 ? raw : raw.slice(0, query);
}

function refuse(socket: Duplex) {
  if (socket.writable) socket.write('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  socket.destroy();
}

/** Routes upgrades whose path starts with `prefix` to `handler`. A prefix has one owner. */
export function routeUpgrades(server: Server, prefix: string, handler: UpgradeHandler) {
  let routes = byServer.get(server);
  if (!routes) {
    const table: Routes = new Map();
    routes = table;
    byServer.set(server, table);
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      // A client that drops mid-handshake must not take the process down with an unhandled 'error'.
      socket.on('error', () => socket.destroy());
      const path = pathOf(req);
      for (const [owned, handle] of table) {
        if (path.startsWith(owned)) {
          handle(req, socket, head);
          return;
        }
      }
      refuse(socket);
    });
  }
  if (routes.has(prefix)) throw new Error(`[live] WebSocket upgrades under ${prefix} already have a handler`);
  routes.set(prefix, handler);
  return () => routes.delete(prefix);
}

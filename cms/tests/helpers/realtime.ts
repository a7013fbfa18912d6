import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import type { TestApp } from './strapi';
import { waitFor } from './wait';
import type { Auth } from './live';

/** What a test client saw: every event in arrival order, chat messages by seq. */
export type ClassClient = {
  socket: Socket;
  events: { name: string; payload: any }[];
  messages: () => any[];
  ready: () => any | undefined;
  /** Emits with an ack and resolves with it. */
  call: (event: string, payload?: unknown) => Promise<any>;
  waitForEvent: (name: string, match?: (payload: any) => boolean, timeoutMs?: number) => Promise<any>;
  close: () => void;
};

/** Strapi listening on a loopback port (socket.io needs a real server); returns its base URL. */
export async function listen(app: TestApp): Promise<string> {
  const server = app.strapi.server.httpServer;
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The realtime grant a join gives `auth` (student or admin). */
export async function grantOf(app: TestApp, auth: Auth, sessionId: string) {
  const res = await app.http.get(`/api/live/sessions/${sessionId}/join`).set(auth);
  if (res.status !== 200 || !res.body.data.realtime) throw new Error(`join answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.data.realtime as { url: string; path: string; token: string; capabilities: string[] };
}

/** A socket.io client as the site's would connect (WebSocket first), recording what it receives. */
export function connectClient(baseUrl: string, auth: Record<string, unknown> | (() => Record<string, unknown>), options: { transports?: string[] } = {}): ClassClient {
  const events: { name: string; payload: any }[] = [];
  const socket = io(baseUrl, {
    path: '/realtime/',
    transports: options.transports ?? ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: typeof auth === 'function' ? (cb: (data: object) => void) => cb(auth()) : auth,
  });
  socket.onAny((name, payload) => events.push({ name, payload }));
  socket.on('connect_error', (error: any) => events.push({ name: 'connect_error', payload: { message: error.message, data: error.data } }));
  socket.on('disconnect', (reason) => events.push({ name: 'disconnect', payload: reason }));
  const messages = () => {
    const bySeq = new Map<number, any>();
    for (const e of events) {
      if (e.name === 'chat:message') bySeq.set(e.payload.seq, e.payload);
      if (e.name === 'ready') for (const m of e.payload.messages) bySeq.set(m.seq, m);
    }
    return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  };
  return {
    socket,
    events,
    messages,
    ready: () => events.find((e) => e.name === 'ready')?.payload,
    call: (event, payload = {}) => socket.timeout(5_000).emitWithAck(event, payload),
    waitForEvent: (name, match = () => true, timeoutMs = 5_000) =>
      waitFor(() => events.find((e) => e.name === name && match(e.payload))?.payload, timeoutMs, `the ${name} event`),
    close: () => socket.close(),
  };
}

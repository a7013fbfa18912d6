import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Core } from '@strapi/strapi';
import { Server, type Socket } from 'socket.io';
import Redis from 'ioredis';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { corsOrigins, loadEnv } from '@skillyug/config';
import {
  allClientEvents,
  handshakeAuth,
  MAX_EVENT_BYTES,
  REALTIME_PATH,
  type AnyClientEvent,
  type HandshakeError,
  type ServerEvents,
} from '../contracts';
import { RealtimeError } from '../errors';
import { verifyRealtimeToken } from '../token';
import { standingOf } from '../store';
import { realtimeSecret, type Participant } from './grants';
import { realtimeService } from './registry';
import { routeUpgrades } from '../../utils/upgrades';
import { requireSessionLean, type SessionRow } from '../../sessions/store';
import { HttpError } from '../../utils/http';
import { connectionFailureOf } from '../../utils/db-errors';
import { outageMessage, RETRY_AFTER_SECONDS, type DependencyMonitor } from '../../utils/dependency-monitor';

type SocketData = { who: Participant; sessionId: string; connId: string };
type ClassSocket = Socket<Record<string, (...args: any[]) => void>, Record<string, (...args: any[]) => void>, Record<string, never>, SocketData>;

const sessionRoom = (documentId: string) => `session:${documentId}`;
const moderatorRoom = (documentId: string) => `moderators:${documentId}`;
const userRoom = (documentId: string, kind: Participant['kind'], userId: number) => `user:${documentId}:${kind}:${userId}`;

/** Events a socket may send per second before it is told to slow down, and before it is cut off. */
const EVENTS_PER_SECOND = 20;
const EVENTS_PER_SECOND_CUTOFF = 200;

class HandshakeRefusal extends Error {
  readonly data: { code: HandshakeError; message: string };
  constructor(code: HandshakeError, message: string) {
    super(code);
    this.data = { code, message };
  }
}

/**
 * The socket.io server of the live classroom, on Strapi's own HTTP server and port under
 * REALTIME_PATH: WebSocket first, long-polling as the fallback. Its WebSocket upgrades come
 * through the plugin's one upgrade dispatcher (utils/upgrades.ts). With REDIS_URL, rooms span
 * every Strapi process over the Redis streams adapter (it resumes after a Redis blip without
 * losing packets). The handshake presents a realtime token (services/grants.ts); every client
 * event is validated against contracts.ts and answered with an ack.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  let io: Server | null = null;
  let adapterClient: Redis | null = null;
  const dependencies = (): DependencyMonitor => strapi.plugin('live').service('dependencies');
  /** Client events (and disconnect clean-ups) still running: a drain waits for them (their writes land). */
  const inFlight = new Set<Promise<unknown>>();
  /** Set by drain(): new connections are refused at the transport, so clients keep retrying (elsewhere). */
  let refusing = false;
  let announced = false;
  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    const done = () => inFlight.delete(work);
    work.then(done, done);
    return work;
  };

  /**
   * Graceful shutdown, first step (cms/src/ops/shutdown.ts): tells this process's clients it is
   * going ('server:draining', and 'bye' with reconnect: true for clients that only know that);
   * they carry on here until drain() closes their transports.
   */
  function announceDraining() {
    if (!io || announced) return;
    announced = true;
    const bye: ServerEvents['bye'] = { reason: 'shutdown', message: 'The server is restarting: reconnecting…', reconnect: true };
    io.local.emit('server:draining', { message: bye.message });
    io.local.emit('bye', bye);
  }

  async function authenticate(socket: ClassSocket): Promise<{ who: Participant; row: SessionRow; lastSeq?: number; mutedUntil: Date | null }> {
    const auth = handshakeAuth.safeParse(socket.handshake.auth ?? {});
    if (!auth.success) {
      const given = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
      throw given === undefined ? new HandshakeRefusal('no-token', 'Connect with the realtime token from joining the class') : new HandshakeRefusal('bad-token', 'The handshake is malformed: send { token, lastSeq? }');
    }
    const check = verifyRealtimeToken(realtimeSecret(), auth.data.token);
    if (!check.ok) {
      const messages = { 'no-token': 'Connect with the realtime token from joining the class', 'bad-token': 'This realtime token is not valid', 'expired-token': 'This realtime token has expired: join the class again for a fresh one' };
      throw new HandshakeRefusal(check.reason, messages[check.reason]);
    }
    const { claims } = check;
    let row: SessionRow;
    try {
      row = await requireSessionLean(strapi, claims.sessionId);
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) throw new HandshakeRefusal('class-over', 'This class no longer exists');
      throw error;
    }
    if (row.status !== 'SCHEDULED' && row.status !== 'LIVE') throw new HandshakeRefusal('class-over', row.status === 'CANCELLED' ? 'This class was cancelled' : 'This class has ended');
    const standing = claims.kind === 'student' ? await standingOf(strapi, row.id, claims.userId) : { banned: false, mutedUntil: null };
    if (standing.banned) throw new HandshakeRefusal('banned', 'You were removed from this class by its mentor');
    const { sessionId: _session, expiresAt: _expiry, ...who } = claims;
    return { who, row, lastSeq: auth.data.lastSeq, mutedUntil: standing.mutedUntil };
  }

  /** One client event: validated, dispatched to the chat service, answered with an ack. */
  async function handle(socket: ClassSocket, event: AnyClientEvent, payload: unknown) {
    const { who, sessionId } = socket.data;
    const parsed = allClientEvents[event].safeParse(payload ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new RealtimeError('bad-request', issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message);
    }
    const body = parsed.data as any;
    const row = await requireSessionLean(strapi, sessionId);
    const classroom = realtimeService(strapi, 'realtimeClassroom');
    if (classroom.handles(event)) return classroom.handle(event, who, row, body);
    const chat = realtimeService(strapi, 'realtimeChat');
    switch (event) {
      case 'chat:send': {
        const message = await chat.send(who, row, body.text, body.clientId);
        return { ok: true, message, ...(body.clientId ? { clientId: body.clientId } : {}) };
      }
      case 'chat:sync': {
        const resumed = await chat.resume(row, body.afterSeq);
        return { ok: true, messages: resumed.messages, truncated: resumed.truncated };
      }
      case 'chat:delete':
        await chat.deleteMessage(who, row, body.seq);
        return { ok: true };
      case 'chat:mute': {
        const until = await chat.mute(who, row, body.userId, body.minutes);
        return { ok: true, until: until?.toISOString() ?? null };
      }
      case 'chat:ban':
        await chat.ban(who, row, body.userId, body.reason);
        return { ok: true };
      case 'chat:slow-mode':
        await chat.slowMode(who, row, body.seconds);
        return { ok: true, seconds: body.seconds };
      case 'presence:list':
        if (!who.capabilities.includes('moderate')) throw new RealtimeError('forbidden', "Only the class's mentor or an admin can see who is watching");
        return { ok: true, viewers: await realtimeService(strapi, 'realtimePresence').viewers(sessionId) };
    }
  }

  function listen(socket: ClassSocket) {
    let windowStart = Date.now();
    let eventsInWindow = 0;
    socket.onAny((event: string, ...args: unknown[]) => {
      const ack = typeof args.at(-1) === 'function' ? (args.at(-1) as (reply: unknown) => void) : null;
      const reply = (value: unknown) => ack?.(value);
      const now = Date.now();
      if (now - windowStart >= 1000) {
        windowStart = now;
        eventsInWindow = 0;
      }
      eventsInWindow += 1;
      if (eventsInWindow > EVENTS_PER_SECOND_CUTOFF) {
        socket.disconnect(true);
        return;
      }
      if (eventsInWindow > EVENTS_PER_SECOND) {
        reply(new RealtimeError('rate-limited', 'Too many events: slow down', { retryAfterSeconds: 1 }).toAck());
        return;
      }
      if (!Object.hasOwn(allClientEvents, event)) {
        reply(new RealtimeError('unknown-event', `There is no event "${String(event).slice(0, 40)}"`).toAck());
        return;
      }
      const payloadArgs = ack ? args.slice(0, -1) : args;
      if (payloadArgs.length > 1) {
        reply(new RealtimeError('bad-request', 'Send one payload object').toAck());
        return;
      }
      const payload = payloadArgs[0];
      let size = 0;
      try {
        size = Buffer.byteLength(JSON.stringify(payload ?? {}));
      } catch {
        size = Infinity;
      }
      if (size > MAX_EVENT_BYTES) {
        reply(new RealtimeError('too-large', `The payload is larger than ${MAX_EVENT_BYTES} bytes`).toAck());
        return;
      }
      track(handle(socket, event as AnyClientEvent, payload)).then(reply, (error: unknown) => {
        if (error instanceof RealtimeError) return reply(error.toAck());
        if (error instanceof HttpError && error.status < 500) return reply(new RealtimeError('not-found', error.message).toAck());
        if (connectionFailureOf(error)) {
          return void dependencies()
            .check()
            .then((down) => reply(new RealtimeError('unavailable', outageMessage(down.length ? down : ['database']), { retryAfterSeconds: RETRY_AFTER_SECONDS }).toAck()));
        }
        strapi.log.error(`[live] realtime ${String(event)} failed: ${(error as Error).message}`);
        reply(new RealtimeError('unavailable', 'Something went wrong on our side: try again').toAck());
      });
    });
  }

  async function onConnection(socket: ClassSocket, row: SessionRow, lastSeq: number | undefined, mutedUntil: Date | null) {
    const { who } = socket.data;
    // Listening before anything awaits: events the client sends right away aren't dropped.
    listen(socket);
    const presence = realtimeService(strapi, 'realtimePresence');
    socket.on('disconnect', () => {
      track(presence.disconnected(row, socket.data.connId)).catch((error: Error) => strapi.log.warn(`[live] presence: ${error.message}`));
    });
    const rooms = [sessionRoom(row.documentId), userRoom(row.documentId, who.kind, who.userId)];
    if (who.capabilities.includes('moderate')) rooms.push(moderatorRoom(row.documentId));
    await socket.join(rooms);
    // From here on every change reaches this socket; reads must be at least this fresh.
    const joinedAt = performance.now();
    await presence.connected(row, who, socket.data.connId);
    // CHAT_PROVIDER=ivs-chat: while someone is in the class, this process reads its IVS room.
    realtimeService(strapi, 'realtimeChatRooms').connected(row);
    const chat = realtimeService(strapi, 'realtimeChat');
    // Joined the room first, read second: anything stored in between is pushed and read (the client de-duplicates).
    const [resumed, viewers, classroom] = await Promise.all([
      chat.resume(row, lastSeq, joinedAt),
      presence.recentCount(row.documentId),
      realtimeService(strapi, 'realtimeClassroom').state(who, row, joinedAt),
    ]);
    const ready: ServerEvents['ready'] = {
      session: { id: row.documentId, status: row.status, startedAt: row.startedAt ? new Date(row.startedAt).toISOString() : null },
      me: { id: who.userId, name: who.name, role: who.role, capabilities: who.capabilities },
      ...resumed,
      slowModeSeconds: row.chatSlowModeSeconds ?? 0,
      viewers,
      mutedUntil: mutedUntil?.toISOString() ?? null,
      classroom,
    };
    socket.emit('ready', ready);
  }

  return {
    async start() {
      const env = loadEnv('cms');
      const server = new Server({
        path: REALTIME_PATH,
        serveClient: false,
        transports: ['websocket', 'polling'],
        cors: { origin: corsOrigins(env), methods: ['GET', 'POST'] },
        // A sanity bound per packet; events above MAX_EVENT_BYTES are refused with an ack below it.
        maxHttpBufferSize: 64 * 1024,
        pingInterval: 20_000,
        pingTimeout: 20_000,
        // A handshake refused here is a transport error to the client: its reconnection carries on.
        allowRequest: (_req, callback) => callback(refusing ? 'draining' : null, !refusing),
      });
      if (env.REDIS_URL) {
        adapterClient = new Redis(env.REDIS_URL);
        adapterClient.on('error', (error) => strapi.log.warn(`[live] realtime Redis: ${error.message}`));
        server.adapter(createAdapter(adapterClient, { streamName: `${env.REDIS_KEY_PREFIX}socket.io`, sessionKeyPrefix: `${env.REDIS_KEY_PREFIX}sio:session:`, blockTimeInMs: 1_000 }));
      }
      const http = strapi.server.httpServer;
      const before = new Set(http.listeners('upgrade'));
      server.attach(http);
      // engine.io adds its own 'upgrade' listener that destroys other paths' sockets after a
      // second; ours routes by path instead, so take it back out.
      for (const listener of http.listeners('upgrade')) {
        if (!before.has(listener)) http.removeListener('upgrade', listener as (...args: any[]) => void);
      }
      routeUpgrades(http, REALTIME_PATH, (req, socket, head) => server.engine.handleUpgrade(req, socket as any, head));

      server.use((socket, next) => {
        // During an outage (global::dependency-outage answers HTTP 503) a join is refused with the same
        // plain sentence, without touching the database; the client retries.
        const down = dependencies().knownDown();
        if (down.length > 0) return next(new HandshakeRefusal('unavailable', outageMessage(down)));
        authenticate(socket as ClassSocket).then(
          ({ who, row, lastSeq, mutedUntil }) => {
            (socket as ClassSocket).data = { who, sessionId: row.documentId, connId: randomUUID() };
            (socket as any).skillyug = { row, lastSeq, mutedUntil };
            next();
          },
          (error: unknown) => {
            if (error instanceof HandshakeRefusal) return next(error);
            if (connectionFailureOf(error)) {
              // The monitor logs the outage once; a join storm doesn't log one line per socket.
              return dependencies()
                .check()
                .then((found) => next(new HandshakeRefusal('unavailable', outageMessage(found.length ? found : ['database']))));
            }
            strapi.log.error(`[live] realtime handshake failed: ${(error as Error).message}`);
            next(new HandshakeRefusal('unavailable', 'The classroom is temporarily unavailable: try again'));
          }
        );
      });
      server.on('connection', (socket) => {
        const { row, lastSeq, mutedUntil } = (socket as any).skillyug as { row: SessionRow; lastSeq?: number; mutedUntil: Date | null };
        onConnection(socket as ClassSocket, row, lastSeq, mutedUntil).catch((error: Error) => {
          strapi.log.error(`[live] realtime connection setup failed: ${error.message}`);
          socket.disconnect(true);
        });
      });
      io = server;
      realtimeService(strapi, 'realtimePresence').start();
      realtimeService(strapi, 'realtimeClassroom').start();
    },

    announceDraining,

    /**
     * Graceful shutdown, second step: closes every client's transport — not a socket.io
     * disconnect, after which a client would stay away — so each client's own reconnection takes
     * it to another process (the load balancer has stopped routing here), where it resumes after
     * its lastSeq and re-sends what wasn't acked. Resolves when the client events already running
     * here have finished (their writes are stored; a re-send of the same clientId gets the stored
     * message), or at `deadline`.
     */
    async drain(deadline: number): Promise<{ sockets: number; unfinished: number }> {
      const server = io;
      if (!server) return { sockets: 0, unfinished: 0 };
      announceDraining();
      refusing = true;
      const sockets = [...server.of('/').sockets.values()];
      // engine.io flushes what is queued (the notices) before it closes each transport.
      for (const socket of sockets) socket.conn.close();
      while (inFlight.size > 0 && Date.now() < deadline) {
        const left = deadline - Date.now();
        await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => setTimeout(resolve, left).unref())]);
      }
      return { sockets: sockets.length, unfinished: inFlight.size };
    },

    /** Tells every client of this process to reconnect elsewhere, then closes (Strapi closes the HTTP server). */
    async stop() {
      realtimeService(strapi, 'realtimePresence').stop();
      realtimeService(strapi, 'realtimeClassroom').stop();
      const server = io;
      io = null;
      if (!server) return;
      const bye: ServerEvents['bye'] = { reason: 'shutdown', message: 'The server is restarting: reconnecting…', reconnect: true };
      server.local.emit('bye', bye);
      server.local.disconnectSockets(true);
      server.engine.close();
      await new Promise<void>((resolve) => {
        const adapter = server.of('/').adapter as { close?: () => void | Promise<void> };
        Promise.resolve(adapter.close?.()).finally(resolve);
      });
      await adapterClient?.quit().catch(() => adapterClient?.disconnect());
      adapterClient = null;
    },

    /** Connections open on this process (the live_connected_sockets gauge). */
    connectedSockets(): number {
      return io?.engine.clientsCount ?? 0;
    },

    toSession<E extends keyof ServerEvents>(documentId: string, event: E, payload: ServerEvents[E]) {
      io?.to(sessionRoom(documentId)).emit(event, payload);
    },

    /** The class's moderators (mentor, admins) on every process: full poll views, live counts, the meter. */
    toModerators<E extends keyof ServerEvents>(documentId: string, event: E, payload: ServerEvents[E]) {
      io?.to(moderatorRoom(documentId)).emit(event, payload);
    },

    /** This process's sockets only (figures every process computes itself). */
    toSessionLocal<E extends keyof ServerEvents>(documentId: string, event: E, payload: ServerEvents[E]) {
      io?.local.to(sessionRoom(documentId)).emit(event, payload);
    },

    toUser<E extends keyof ServerEvents>(documentId: string, kind: Participant['kind'], userId: number, event: E, payload: ServerEvents[E]) {
      io?.to(userRoom(documentId, kind, userId)).emit(event, payload);
    },

    /** Says why, then disconnects every connection of the user in this class (on every process). */
    disconnectUser(documentId: string, kind: Participant['kind'], userId: number, bye: ServerEvents['bye']) {
      const room = userRoom(documentId, kind, userId);
      io?.to(room).emit('bye', bye);
      io?.in(room).disconnectSockets(true);
    },

    /** The class ended or was cancelled: everyone is told, then disconnected. */
    closeClass(documentId: string, bye: ServerEvents['bye']) {
      io?.to(sessionRoom(documentId)).emit('bye', bye);
      io?.in(sessionRoom(documentId)).disconnectSockets(true);
    },
  };
};

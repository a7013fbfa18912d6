/**
 * node-media-server (NMS) 4.4.3 embedded in the Strapi process, fenced in:
 *
 * - Default deny. NMS can't refuse a publisher or player from its event listeners (their return
 *   value is ignored), but it checks a signed URL (`sign` in the stream query) when
 *   `auth.publish`/`auth.play` are on. The secret is random per start and never leaves this module;
 *   before asking the provider, every `sign` a client sent is stripped, and a valid one is added
 *   only to sessions the provider admits. Everything else fails NMS's own check.
 * - NMS forwards a session's RTMP audio/video to the stream even when its publish was refused (and
 *   from RTMP *players*); refused sessions get their packet callback replaced and are disconnected.
 * - Its HTTP server (HTTP-FLV, WS-FLV) listens on 127.0.0.1 only and serves nothing but requests
 *   the provider handed over in-process; anything reaching the port directly gets a 403.
 * - NMS calls process.exit(1) when a port is busy and crashes on an exception in a socket handler;
 *   both are intercepted, so a bad port is an error from start() and bad input drops one client.
 * - NMS keeps module-level state (its event emitter, config, logger): one instance per process,
 *   and stop() removes what start() added.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Server as NetServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import NodeMediaServer from 'node-media-server';
import NmsContext from 'node-media-server/src/core/context.js';
import NmsRecordSession from 'node-media-server/src/session/record_session.js';
import nmsLogger from 'node-media-server/src/core/logger.js';
import { LiveProviderError } from '../types';

type NmsSession = NodeMediaServer.NmsSession;
type NmsPacket = NodeMediaServer.NmsPacket;
type NmsBroadcast = NodeMediaServer.NmsBroadcast;

export type Logger = {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
};

/** The provider's decisions and observations. Each call is guarded: a throw is logged and denies. */
export type MediaServerHooks = {
  /** An RTMP publish is starting: return a packet observer to admit it, null to refuse it. */
  admitPublisher(session: NmsSession): ((packet: NmsPacket) => void) | null;
  /** A player is starting; `handedOverFor` is the channel the provider handed this request over for. */
  admitPlayer(session: NmsSession, handedOverFor: string | undefined): boolean;
  publishStarted(session: NmsSession): void;
  /** After the reconnect grace: the publish is over. */
  publishEnded(session: NmsSession): void;
  playStarted(session: NmsSession): void;
  playEnded(session: NmsSession): void;
  /** A recording file is complete: NMS closed it (after the reconnect grace) and its bytes are on disk. */
  recordingClosed(recording: { channelId: string; file: string; endedAt: Date }): void;
};

export type MediaServerOptions = {
  rtmpPort: number;
  httpPort: number;
  /** Holds NMS's store; a fresh temporary folder (removed on stop) when absent. */
  workDir?: string;
  /** Where recordings are written (`<recordDir>/live/<channelId>/<ms>.flv`); no recording without it. Kept across restarts. */
  recordDir?: string;
  logger: Logger;
  hooks: MediaServerHooks;
};

/** NMS's stream app: OBS's server URL ends in /live and the stream path is /live/<channelId>. */
export const STREAM_APP = 'live';
/** An RTMP connection that sends nothing for this long is dead (OBS sends media continuously). */
const RTMP_IDLE_TIMEOUT_MS = 30_000;
/** Lifetime of the signatures added for NMS's check, which runs right after the listener returns. */
const SIGN_TTL_SECONDS = 60;

/** NMS's Context is per process; a second running instance would share (and overwrite) it. */
let runningInstance: EmbeddedMediaServer | null = null;

export class EmbeddedMediaServer {
  private nms: NodeMediaServer | null = null;
  private authSecret = '';
  private ownedWorkDir: string | null = null;
  private readonly subscriptions: [string, (session: NmsSession) => void][] = [];
  private originalNmsLog: typeof nmsLogger.log | null = null;
  /** Requests the provider authorized and handed over → the channel they were authorized for. */
  private readonly handedOver = new WeakMap<IncomingMessage, string>();

  constructor(private readonly options: MediaServerOptions) {}

  async start(): Promise<void> {
    if (this.nms) return;
    if (runningInstance) {
      throw new LiveProviderError('The local media server is already running in this process (node-media-server allows one instance per process).', 500);
    }
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the process-wide singleton guard, not an alias for a closure
    runningInstance = this;
    try {
      await this.startServers();
    } catch (error) {
      await this.stop().catch(() => undefined);
      throw error;
    }
  }

  private async startServers(): Promise<void> {
    const { rtmpPort, httpPort, logger } = this.options;
    let workDir = this.options.workDir;
    if (!workDir) {
      workDir = await mkdtemp(path.join(tmpdir(), 'skillyug-live-local-'));
      this.ownedWorkDir = workDir;
    }
    this.authSecret = randomBytes(32).toString('hex');
    this.routeNmsLogs();

    const nms = new NodeMediaServer({
      rtmp: { port: rtmpPort },
      http: { port: httpPort },
      store: { path: path.join(workDir, 'store') },
      webadmin: { enable: false },
      auth: { publish: true, play: true, secret: this.authSecret },
      // Never every stream: startRecording() records the channels whose session records.
      ...(this.options.recordDir ? { record: { path: this.options.recordDir, auto: false } } : {}),
    });
    this.nms = nms;
    // The constructor forces 'debug' (a line per RTMP chunk size change, per session, ...).
    nmsLogger.level = 'info';

    const httpServer = nms.httpServer.httpServer;
    const tcpServer = nms.rtmpServer.tcpServer;
    if (!httpServer || !tcpServer) throw new LiveProviderError('node-media-server did not create its servers (unexpected version?)', 500);
    this.serveOnlyHandedOver(httpServer);
    this.guardRtmpConnections(tcpServer);
    // NMS binds every listener to config.bind; the media HTTP port must stay on loopback while RTMP
    // listens on all interfaces (OBS connects from another machine). So its HTTP listen is done here.
    nms.httpServer.run = () => {
      httpServer.listen(httpPort, '127.0.0.1');
    };
    this.subscribe();

    const running = nms.run();
    // Listen errors are emitted asynchronously, so these replace NMS's exit-on-error handlers in time.
    const listening = Promise.all([
      listenOutcome(tcpServer, rtmpPort, 'LOCAL_RTMP_PORT', 'the local live RTMP ingest', logger),
      listenOutcome(httpServer, httpPort, 'LOCAL_MEDIA_HTTP_PORT', 'the local live media HTTP server', logger),
    ]);
    try {
      await listening;
    } finally {
      await running.catch(() => undefined);
    }
    // The store flushes and re-raises SIGINT/SIGTERM itself, which would cut Strapi's own graceful
    // shutdown short; stop() closes the store instead.
    const onSignal = nms.store._onSignal;
    if (onSignal) {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
    logger.info(`Local live ingest listening: RTMP on port ${rtmpPort}, media HTTP on 127.0.0.1:${httpPort}`);
  }

  async stop(): Promise<void> {
    const nms = this.nms;
    for (const [event, listener] of this.subscriptions.splice(0)) NmsContext.eventEmitter.off(event, listener);
    if (nms) {
      // Players handed over from Strapi live on Strapi's sockets, which NMS's stop() doesn't close.
      for (const session of [...NmsContext.sessions.values()]) {
        if (session.protocol === 'flv') safely(this.options.logger, 'closing a player', () => session.close());
      }
      await nms.stop();
      // Publishers' sockets close asynchronously and start NMS's reconnect grace; end those now.
      await new Promise((resolve) => setImmediate(resolve));
      for (const [streamPath, broadcast] of [...NmsContext.broadcasts]) {
        safely(this.options.logger, 'ending a broadcast', () => {
          if (broadcast.getPublishStatus() !== 'idle') broadcast._finishPublish();
        });
        NmsContext.broadcasts.delete(streamPath);
      }
      this.nms = null;
    }
    if (this.originalNmsLog) {
      nmsLogger.log = this.originalNmsLog;
      this.originalNmsLog = null;
    }
    if (this.ownedWorkDir) {
      await rm(this.ownedWorkDir, { recursive: true, force: true }).catch(() => undefined);
      this.ownedWorkDir = null;
    }
    if (runningInstance === this) runningInstance = null;
  }

  get running(): boolean {
    return this.nms !== null;
  }

  /** Serves an authorized HTTP-FLV request for `channelId` (rewrites req.url to NMS's path). */
  handOverRequest(req: IncomingMessage, res: ServerResponse, channelId: string): void {
    const server = this.requireHttpServer();
    this.handedOver.set(req, channelId);
    req.url = `/${STREAM_APP}/${channelId}.flv`;
    server.emit('request', req, res);
  }

  /** Serves an authorized WS-FLV upgrade for `channelId`. */
  handOverUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, channelId: string): void {
    const server = this.requireHttpServer();
    this.handedOver.set(req, channelId);
    req.url = `/${STREAM_APP}/${channelId}.flv`;
    server.emit('upgrade', req, socket, head);
  }

  /**
   * Records a publish that was just admitted (call from publishStarted). A reconnect within the
   * grace continues the file being written; returns that file, a new one's path, or null when
   * recording is unavailable (no recordDir, or NMS's store failed to open and its record server with it).
   * Same steps as NMS's own auto-record (record_server.js), which can't be limited to some streams.
   */
  startRecording(session: NmsSession): { file: string; resumed: boolean } | null {
    const recordServer = this.nms?.recordServer;
    const recordDir = this.options.recordDir;
    if (!recordServer?._running || !recordDir) return null;
    const active = recordServer._activeRecords.get(session.streamPath);
    if (active) {
      active.publisherId = session.id;
      return { file: active.filePath, resumed: true };
    }
    const file = path.join(recordDir, session.streamPath, `${Date.now()}.flv`);
    const recording = new NmsRecordSession(session, file);
    recording.run();
    // NMS keeps its record sessions in the same table as players and publishers (record_server.js does this).
    NmsContext.sessions.set(recording.id, recording as unknown as NmsSession);
    recordServer._activeRecords.set(session.streamPath, recording);
    return { file, resumed: false };
  }

  broadcast(channelId: string): NmsBroadcast | undefined {
    return this.nms ? NmsContext.broadcasts.get(`/${STREAM_APP}/${channelId}`) : undefined;
  }

  /** Cuts a connected publisher off (destroy, not end: a half-closed socket could keep sending). */
  disconnect(session: NmsSession): void {
    if (session.socket) session.socket.destroy();
    else session.close();
  }

  private requireHttpServer(): HttpServer {
    const server = this.nms?.httpServer.httpServer;
    if (!server) throw new LiveProviderError('The local media server is not running', 503);
    return server;
  }

  /** NMS writes to console.log; its lines go to the provider's logger instead. */
  private routeNmsLogs(): void {
    const { logger } = this.options;
    this.originalNmsLog ??= nmsLogger.log;
    nmsLogger.log = (message: string, level = 'info') => {
      if (nmsLogger.levels.indexOf(level) < nmsLogger.levels.indexOf(nmsLogger.level)) return;
      // Its "errors" are mostly refused publishes (a mistyped key): a warning, not an outage.
      if (level === 'error' || level === 'warn') logger.warn(`[media-server] ${message}`);
      else logger.debug(`[media-server] ${message}`);
    };
  }

  private subscribe(): void {
    const { hooks, logger } = this.options;
    const on = (event: string, listener: (session: NmsSession) => void) => {
      const guarded = (session: NmsSession) => safely(logger, `handling ${event}`, () => listener(session));
      NmsContext.eventEmitter.on(event, guarded);
      this.subscriptions.push([event, guarded]);
    };

    on('prePublish', (session) => {
      stripSign(session);
      let observe: ((packet: NmsPacket) => void) | null = null;
      if (session.protocol === 'rtmp' && session.rtmp && session.ip !== '') {
        observe = safely(logger, 'checking a publisher', () => hooks.admitPublisher(session)) ?? null;
      }
      if (observe) this.admitPublisher(session, observe);
      else this.refuse(session);
    });
    on('prePlay', (session) => {
      stripSign(session);
      const admitted =
        session.protocol === 'flv' &&
        !session.isPublisher &&
        safely(logger, 'checking a player', () => hooks.admitPlayer(session, session.req ? this.handedOver.get(session.req) : undefined)) === true;
      if (admitted) this.addSign(session);
      else this.refuse(session);
    });
    on('postPublish', (session) => hooks.publishStarted(session));
    on('donePublish', (session) => hooks.publishEnded(session));
    on('postPlay', (session) => hooks.playStarted(session));
    on('doneRecord', (session) => {
      const recording = session as unknown as NmsRecordSession;
      const closed = () => hooks.recordingClosed({ channelId: recording.streamName, file: recording.filePath, endedAt: new Date(recording.endTime || Date.now()) });
      // NMS emits doneRecord right after close(): the last bytes are flushed when 'close' fires.
      if (recording.fileStream.closed) closed();
      else recording.fileStream.once('close', () => safely(logger, 'handling a closed recording', closed));
    });
    on('donePlay', (session) => hooks.playEnded(session));
  }

  private addSign(session: NmsSession): void {
    const exp = Math.floor(Date.now() / 1000) + SIGN_TTL_SECONDS;
    const hash = createHash('md5').update(`${session.streamPath}-${exp}-${this.authSecret}`).digest('hex');
    session.streamQuery.sign = `${exp}-${hash}`;
  }

  private admitPublisher(session: NmsSession, observe: (packet: NmsPacket) => void): void {
    this.addSign(session);
    const rtmp = session.rtmp!;
    const forward = rtmp.onPacketCallback;
    let observerFailed = false;
    rtmp.onPacketCallback = (packet) => {
      try {
        observe(packet);
      } catch (error) {
        if (!observerFailed) this.options.logger.error(`Ingest stats failed on ${session.streamPath}: ${describe(error)}`);
        observerFailed = true;
      }
      forward(packet);
    };
  }

  /** Makes NMS's check fail (no sign) and keeps whatever the session sends out of the stream. */
  private refuse(session: NmsSession): void {
    if (session.rtmp) {
      session.rtmp.onPacketCallback = () => undefined;
      const socket = session.socket;
      // After NMS has answered (it ends the socket itself); destroy makes sure nothing lingers.
      if (socket) setImmediate(() => socket.destroy());
    }
  }

  /** Only requests handed over by the provider reach NMS's express app and WebSocket server. */
  private serveOnlyHandedOver(server: HttpServer): void {
    const appListeners = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (!this.handedOver.has(req)) {
        res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { status: 403, message: 'Forbidden' } }));
        return;
      }
      safely(this.options.logger, 'serving a player', () => appListeners.forEach((listener) => listener.call(server, req, res)));
    });

    const upgradeListeners = server.listeners('upgrade') as ((req: IncomingMessage, socket: Duplex, head: Buffer) => void)[];
    server.removeAllListeners('upgrade');
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!this.handedOver.has(req)) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        socket.destroy();
        return;
      }
      safely(this.options.logger, 'upgrading a player', () => upgradeListeners.forEach((listener) => listener.call(server, req, socket, head)));
    });

    // Players have nothing to send; NMS would feed WebSocket messages to its FLV parser (which can
    // throw on garbage, outside any try). Its own 'connection' listener ran first and attached them.
    this.nms?.httpServer.wsServer?.on('connection', (ws: NodeJS.EventEmitter) => {
      ws.removeAllListeners('message');
    });
  }

  /** NMS parses RTMP in the socket's 'data' handler with no try/catch: an exception there would end the process. */
  private guardRtmpConnections(tcpServer: NetServer): void {
    const { logger } = this.options;
    tcpServer.on('connection', (socket: Socket) => {
      socket.setTimeout(RTMP_IDLE_TIMEOUT_MS, () => socket.destroy());
      for (const listener of socket.listeners('data') as ((chunk: Buffer) => void)[]) {
        socket.removeListener('data', listener);
        socket.on('data', (chunk: Buffer) => {
          try {
            listener.call(socket, chunk);
          } catch (error) {
            logger.warn(`Disconnected an RTMP client sending malformed data (${socket.remoteAddress ?? 'unknown address'}): ${describe(error)}`);
            socket.destroy();
          }
        });
      }
    });
  }
}

/** A client's own `sign` must never reach NMS's check. */
function stripSign(session: NmsSession): void {
  if (!session.streamQuery || typeof session.streamQuery !== 'object') session.streamQuery = {};
  delete session.streamQuery.sign;
}

/**
 * Resolves once `server` listens; rejects with a message naming the port and its variable when it
 * can't. Replaces NMS's 'error' listeners (which call process.exit) for the server's whole life.
 */
function listenOutcome(server: NetServer, port: number, variable: string, what: string, logger: Logger): Promise<void> {
  server.removeAllListeners('error');
  return new Promise((resolve, reject) => {
    let listening = server.listening;
    if (listening) resolve();
    server.once('listening', () => {
      listening = true;
      resolve();
    });
    server.on('error', (error: NodeJS.ErrnoException) => {
      if (listening) {
        logger.error(`${what} on port ${port} failed: ${error.message}`);
        return;
      }
      const reason =
        error.code === 'EADDRINUSE'
          ? `port ${port} is already in use`
          : error.code === 'EACCES'
            ? `port ${port} needs privileges this process doesn't have`
            : error.message;
      reject(new LiveProviderError(`Can't start ${what}: ${reason}. Stop the other process or set ${variable} to a free port.`, 503, error.code));
    });
  });
}

function safely<T>(logger: Logger, what: string, run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    logger.error(`Local live provider: failed ${what}: ${describe(error)}`);
    return undefined;
  }
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

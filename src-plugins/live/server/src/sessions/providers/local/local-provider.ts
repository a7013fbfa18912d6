/**
 * The `local` live provider: an RTMP ingest (node-media-server) inside the Strapi process, the
 * default when no AWS is configured. OBS publishes to rtmp://<ingestHost>:<rtmpPort>/live with
 * the Stream Key `<channelId>?key=<secret>`; viewers play HTTP-FLV/WS-FLV through Strapi with a
 * short-lived per-viewer token. Keys live in memory (restoreChannel after a restart).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type NodeMediaServer from 'node-media-server';
import {
  LiveProviderError,
  type ChannelRecord,
  type LiveProvider,
  type Playback,
  type ProvisionedChannel,
  type RecordingFileEvent,
  type StreamEvent,
  type StreamHealth,
} from '../types';
import { describeHealth } from './health-report';
import { IngestStats, type IngestSnapshot } from './ingest-stats';
import { CHANNEL_ID_PATTERN, StreamKeyRegistry, newChannelId, newStreamSecret, obsStreamKey, secretFromObsStreamKey } from './keys';
import { EmbeddedMediaServer, STREAM_APP, type Logger } from './media-server';
import { hasRequestBody, parsePlayTarget, refusalForToken, refuseUpgrade, sendRefusal, type PlayTarget, type Refusal } from './play-requests';
import { signPlayToken, verifyPlayToken } from './play-token';

type NmsSession = NodeMediaServer.NmsSession;

export type LocalProviderOptions = {
  /** RTMP ingest port, on all interfaces (LOCAL_RTMP_PORT). */
  rtmpPort: number;
  /** NMS's own HTTP port, on 127.0.0.1 only; players go through Strapi (LOCAL_MEDIA_HTTP_PORT). */
  mediaHttpPort: number;
  /** The host name OBS connects to, e.g. 'localhost' or the machine's LAN name. */
  ingestHost: string;
  /** Strapi's public URL, e.g. http://localhost:1337; playback URLs are built on it. */
  publicUrl: string;
  /** At least 32 bytes; signs playback tokens. */
  secret: string;
  /** How long a dropped OBS may take to reconnect before the stream counts as ended. Default 10 s. */
  reconnectGraceMs?: number;
  /** NMS's store folder; default a fresh temporary folder per start. */
  workDir?: string;
  /** Where channels that record write their FLV files; no recording without it. */
  recordDir?: string;
  logger: Logger;
};

export type LocalIngestStats = IngestSnapshot & {
  publishStatus: 'publishing' | 'reconnecting' | 'idle';
  startedAt: string | null;
  /** When the current RTMP connection was admitted (ms since epoch). */
  connectedAt: number | null;
  viewerCount: number;
};

export type LocalLiveProvider = LiveProvider & {
  /** For Strapi's `GET /api/live/play/<channelId>.flv?token=…`: answers 4xx itself or streams FLV. */
  handlePlayRequest(req: IncomingMessage, res: ServerResponse): void;
  /** For the HTTP server's 'upgrade' event: false when the path isn't a play URL (leave it to others). */
  handlePlayUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** What the ingest measures for a channel; null for a channel it doesn't know (never created/restored, or retired and over). */
  ingestStats(channelId: string): LocalIngestStats | null;
};

/** A channel's stream as the ingest sees it. Outlives its key: 'ended' can follow a retire. */
type ChannelStream = {
  /** Set on the first admitted publish, cleared when the publish ends (after the grace). */
  startedAt: Date | null;
  publisher: NmsSession | null;
  connectedAt: number | null;
  stats: IngestStats | null;
  viewers: Map<string, NmsSession>;
};

const DEFAULT_RECONNECT_GRACE_MS = 10_000;

export function localProvider(options: LocalProviderOptions): LocalLiveProvider {
  const config = validateOptions(options);
  const { logger } = options;
  const keys = new StreamKeyRegistry();
  const streams = new Map<string, ChannelStream>();
  /** Stats made when a publisher is admitted, picked up when NMS confirms the publish. */
  const pendingStats = new WeakMap<NmsSession, IngestStats>();
  const listeners = new Set<(event: StreamEvent) => void | Promise<void>>();
  const recordingListeners = new Set<(event: RecordingFileEvent) => void | Promise<void>>();
  /** Channels whose session records (in memory like the keys: restoreChannel after a restart). */
  const recordingChannels = new Set<string>();
  const ingestServer = `rtmp://${config.ingestHost}:${config.rtmpPort}/${STREAM_APP}`;

  const streamOf = (channelId: string): ChannelStream => {
    let stream = streams.get(channelId);
    if (!stream) {
      stream = { startedAt: null, publisher: null, connectedAt: null, stats: null, viewers: new Map() };
      streams.set(channelId, stream);
    }
    return stream;
  };

  /** A retired channel's entry goes once nothing refers to it any more (no key, not live, no players). */
  const forgetIfDone = (channelId: string): void => {
    const stream = streams.get(channelId);
    if (stream && !stream.startedAt && stream.viewers.size === 0 && !keys.has(channelId)) streams.delete(channelId);
  };

  const emit = (event: StreamEvent): void => {
    for (const listener of listeners) {
      try {
        Promise.resolve(listener(event)).catch((error: unknown) =>
          logger.error(`Local live provider: a stream event listener failed (${event.type} ${event.channelId}): ${describe(error)}`)
        );
      } catch (error) {
        logger.error(`Local live provider: a stream event listener failed (${event.type} ${event.channelId}): ${describe(error)}`);
      }
    }
  };

  const emitRecording = (event: RecordingFileEvent): void => {
    for (const listener of recordingListeners) {
      Promise.resolve()
        .then(() => listener(event))
        .catch((error: unknown) => logger.error(`Local live provider: a recording listener failed (${event.type} ${event.channelId}): ${describe(error)}`));
    }
  };

  const mediaServer = new EmbeddedMediaServer({
    rtmpPort: config.rtmpPort,
    httpPort: config.mediaHttpPort,
    workDir: options.workDir,
    recordDir: options.recordDir,
    logger,
    hooks: {
      admitPublisher(session) {
        const channelId = session.streamName;
        const refuse = (reason: string) => {
          logger.warn(`Local live: refused an RTMP publish on channel ${channelId} from ${session.ip}: ${reason}`);
          return null;
        };
        if (session.streamApp !== STREAM_APP) return refuse(`unknown app "${session.streamApp}"`);
        if (!keys.has(channelId)) return refuse('unknown or retired channel');
        if (!keys.matches(channelId, session.streamQuery.key)) return refuse('wrong or missing stream key');
        // NMS refuses a second publisher only after forwarding its packets; don't let it get that far.
        if (session.broadcast.getPublishStatus() === 'publishing') return refuse('another encoder is already live on it');
        session.broadcast.publishGraceMs = config.reconnectGraceMs;
        const stats = new IngestStats();
        pendingStats.set(session, stats);
        return (packet) => stats.record(packet);
      },
      admitPlayer(session, handedOverFor) {
        return session.streamApp === STREAM_APP && handedOverFor === session.streamName;
      },
      publishStarted(session) {
        const stream = streamOf(session.streamName);
        stream.publisher = session;
        stream.connectedAt = Date.now();
        stream.stats = pendingStats.get(session) ?? new IngestStats();
        if (recordingChannels.has(session.streamName)) {
          const recording = mediaServer.startRecording(session);
          if (!recording) logger.warn(`Local live: channel ${session.streamName} should be recorded, but recording is unavailable (see the media server's log)`);
          else if (!recording.resumed) emitRecording({ channelId: session.streamName, type: 'started', at: new Date(), file: recording.file });
        }
        if (stream.startedAt) {
          logger.info(`Local live: channel ${session.streamName} resumed within the reconnect grace`);
          return;
        }
        stream.startedAt = new Date();
        logger.info(`Local live: channel ${session.streamName} started (publisher ${session.ip})`);
        emit({ channelId: session.streamName, type: 'started', at: stream.startedAt });
      },
      publishEnded(session) {
        const stream = streams.get(session.streamName);
        if (!stream?.startedAt) return;
        stream.startedAt = null;
        stream.publisher = null;
        stream.connectedAt = null;
        stream.stats = null;
        logger.info(`Local live: channel ${session.streamName} ended`);
        // NMS stamps endTime when the encoder dropped; the grace only delayed the news. A publish cut
        // off by retire/delete has none yet: it ends now.
        const endedAt = session.endTime > 0 ? new Date(session.endTime) : new Date();
        emit({ channelId: session.streamName, type: 'ended', at: endedAt });
        forgetIfDone(session.streamName);
      },
      playStarted(session) {
        streamOf(session.streamName).viewers.set(session.id, session);
      },
      recordingClosed({ channelId, file, endedAt }) {
        emitRecording({ channelId, type: 'ended', at: endedAt, file });
      },
      playEnded(session) {
        // NMS also reports refused players here; only admitted ones were counted.
        streams.get(session.streamName)?.viewers.delete(session.id);
        forgetIfDone(session.streamName);
      },
    },
  });

  /** Ends the channel's publish now (no grace) and closes its players: the session is over. */
  const endStream = (channelId: string): void => {
    const broadcast = mediaServer.broadcast(channelId);
    if (!broadcast) return;
    const publisher = broadcast.publisher;
    if (broadcast.getPublishStatus() !== 'idle') broadcast._finishPublish();
    if (publisher) mediaServer.disconnect(publisher);
    for (const viewer of [...broadcast.subscribers.values()]) viewer.close();
  };

  const disconnectPublisher = (channelId: string): void => {
    const broadcast = mediaServer.broadcast(channelId);
    if (broadcast?.publisher && broadcast.getPublishStatus() === 'publishing') mediaServer.disconnect(broadcast.publisher);
  };

  /** Why a player may not have this stream; null when it may. */
  const playRefusal = (target: PlayTarget): Refusal | null => {
    if (!mediaServer.running) return { status: 503, message: 'Live playback is not available right now' };
    const check = verifyPlayToken(config.secret, target.token, target.channelId);
    if (!check.ok) return refusalForToken(check);
    if (!streams.get(target.channelId)?.startedAt) return { status: 404, message: 'This stream is not live' };
    return null;
  };

  const requireLocalChannel = (channel: ChannelRecord): string => {
    if (channel.provider !== 'local' || !CHANNEL_ID_PATTERN.test(channel.channelId)) {
      throw new LiveProviderError(`Not a local live channel: ${channel.provider}/${channel.channelId}`, 409);
    }
    return channel.channelId;
  };

  return {
    name: 'local',

    async start() {
      await mediaServer.start();
    },

    async stop() {
      await mediaServer.stop();
      // Publishers and players went with the server; the next start begins from nothing live.
      streams.clear();
    },

    async createChannel({ sessionId, recording }) {
      const channelId = newChannelId();
      const secret = newStreamSecret();
      keys.set(channelId, secret);
      if (recording) recordingChannels.add(channelId);
      logger.debug(`Local live: created channel ${channelId} for session ${sessionId}`);
      return { provider: 'local', channelId, ingestServer, playbackUrl: '', streamKeyRef: null, streamKey: obsStreamKey(channelId, secret) } satisfies ProvisionedChannel;
    },

    async deleteChannel(channel) {
      const channelId = requireLocalChannel(channel);
      keys.forget(channelId);
      recordingChannels.delete(channelId);
      endStream(channelId);
      streams.delete(channelId);
    },

    async retireChannel(channel) {
      const channelId = requireLocalChannel(channel);
      keys.forget(channelId);
      recordingChannels.delete(channelId);
      endStream(channelId);
      forgetIfDone(channelId);
    },

    async regenerateStreamKey(channel) {
      const channelId = requireLocalChannel(channel);
      const secret = newStreamSecret();
      keys.set(channelId, secret);
      // The encoder using the old key goes; if it comes back with the new key within the grace,
      // viewers carry on without an 'ended'.
      disconnectPublisher(channelId);
      return { streamKey: obsStreamKey(channelId, secret), streamKeyRef: null };
    },

    async setRecording(channel, recording) {
      const channelId = requireLocalChannel(channel);
      if (recording) recordingChannels.add(channelId);
      else recordingChannels.delete(channelId);
    },

    restoreChannel(channel, streamKey, restored) {
      const channelId = requireLocalChannel(channel);
      const secret = typeof streamKey === 'string' ? secretFromObsStreamKey(channelId, streamKey) : null;
      if (!secret) {
        throw new LiveProviderError(`The stored stream key of local channel ${channelId} is not one this provider issued; regenerate it`, 409);
      }
      keys.set(channelId, secret);
      if (restored?.recording) recordingChannels.add(channelId);
      else recordingChannels.delete(channelId);
    },

    async putMetadata() {
      return false;
    },

    async streamHealth(channel): Promise<StreamHealth> {
      const channelId = requireLocalChannel(channel);
      const stream = streams.get(channelId);
      return describeHealth({
        publishStatus: mediaServer.broadcast(channelId)?.getPublishStatus() ?? 'idle',
        startedAt: stream?.startedAt ?? null,
        connectedAt: stream?.connectedAt ?? null,
        stats: stream?.stats?.snapshot() ?? null,
        viewerCount: stream?.viewers.size ?? 0,
        reconnectGraceMs: config.reconnectGraceMs,
      });
    },

    async playback(channel, viewer, ttlSeconds): Promise<Playback> {
      const channelId = requireLocalChannel(channel);
      if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) throw new LiveProviderError('ttlSeconds must be a positive number', 400);
      if (typeof viewer?.viewerId !== 'string' || viewer.viewerId.length === 0) throw new LiveProviderError('viewerId is required', 400);
      const expiresAt = Math.floor(Date.now() / 1000) + Math.ceil(ttlSeconds);
      const token = signPlayToken(config.secret, { channelId, viewerId: viewer.viewerId, expiresAt });
      const url = `${config.publicUrl}/api/live/play/${channelId}.flv?token=${encodeURIComponent(token)}`;
      return {
        kind: 'flv',
        url,
        wsUrl: url.replace(/^http/, 'ws'),
        expiresAt: new Date(expiresAt * 1000).toISOString(),
      };
    },

    onStreamEvent(listener) {
      listeners.add(listener);
    },

    onRecordingEvent(listener) {
      recordingListeners.add(listener);
    },

    handlePlayRequest(req, res) {
      try {
        const target = parsePlayTarget(req.url);
        if (!target) return sendRefusal(res, { status: 404, message: 'Not found' });
        if (req.method !== 'GET') return sendRefusal(res, { status: 405, message: 'Use GET' }, { allow: 'GET' });
        if (hasRequestBody(req)) return sendRefusal(res, { status: 400, message: 'A play request has no body' });
        const refusal = playRefusal(target);
        if (refusal) return sendRefusal(res, refusal);
        mediaServer.handOverRequest(req, res, target.channelId);
      } catch (error) {
        logger.error(`Local live: a play request failed: ${describe(error)}`);
        sendRefusal(res, { status: 500, message: 'Playback failed' });
      }
    },

    handlePlayUpgrade(req, socket, head) {
      const target = parsePlayTarget(req.url);
      if (!target) return false;
      try {
        const refusal = req.method !== 'GET' ? { status: 405, message: 'Use GET' } : playRefusal(target);
        if (refusal) refuseUpgrade(socket, refusal);
        else mediaServer.handOverUpgrade(req, socket, head, target.channelId);
      } catch (error) {
        logger.error(`Local live: a WebSocket play request failed: ${describe(error)}`);
        refuseUpgrade(socket, { status: 500, message: 'Playback failed' });
      }
      return true;
    },

    ingestStats(channelId) {
      const stream = streams.get(channelId);
      if (!stream && !keys.has(channelId)) return null;
      const snapshot = stream?.stats?.snapshot() ?? { firstMediaAt: null, lastVideoAt: null, bitrateKbps: null, fps: null, keyframeIntervalSeconds: null };
      return {
        ...snapshot,
        publishStatus: mediaServer.broadcast(channelId)?.getPublishStatus() ?? 'idle',
        startedAt: stream?.startedAt?.toISOString() ?? null,
        connectedAt: stream?.connectedAt ?? null,
        viewerCount: stream?.viewers.size ?? 0,
      };
    },
  };
}

type ValidatedOptions = Required<Omit<LocalProviderOptions, 'workDir' | 'recordDir' | 'logger'>>;

function validateOptions(options: LocalProviderOptions): ValidatedOptions {
  const port = (value: number, variable: string) => {
    if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${variable} must be a port number (1–65535), got ${String(value)}`);
    return value;
  };
  const rtmpPort = port(options.rtmpPort, 'LOCAL_RTMP_PORT');
  const mediaHttpPort = port(options.mediaHttpPort, 'LOCAL_MEDIA_HTTP_PORT');
  if (rtmpPort === mediaHttpPort) throw new Error(`LOCAL_RTMP_PORT and LOCAL_MEDIA_HTTP_PORT must differ (both are ${rtmpPort})`);
  if (!options.ingestHost || /[/:\s]/.test(options.ingestHost.replace(/^\[.*\]$/, 'ipv6'))) {
    throw new Error(`The local ingest host must be a host name or address without scheme or port, got "${options.ingestHost}"`);
  }
  let publicUrl: URL;
  try {
    publicUrl = new URL(options.publicUrl);
  } catch {
    throw new Error(`The public URL must be an absolute http(s) URL, got "${options.publicUrl}"`);
  }
  if (publicUrl.protocol !== 'http:' && publicUrl.protocol !== 'https:') throw new Error(`The public URL must be http(s), got "${options.publicUrl}"`);
  if (typeof options.secret !== 'string' || Buffer.byteLength(options.secret) < 32) {
    throw new Error('The local live provider secret must be at least 32 bytes');
  }
  const reconnectGraceMs = options.reconnectGraceMs ?? DEFAULT_RECONNECT_GRACE_MS;
  if (!Number.isFinite(reconnectGraceMs) || reconnectGraceMs < 0) throw new Error(`reconnectGraceMs must be ≥ 0, got ${reconnectGraceMs}`);
  return {
    rtmpPort,
    mediaHttpPort,
    ingestHost: options.ingestHost,
    publicUrl: `${publicUrl.origin}${publicUrl.pathname}`.replace(/\/+$/, ''),
    secret: options.secret,
    reconnectGraceMs,
  };
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

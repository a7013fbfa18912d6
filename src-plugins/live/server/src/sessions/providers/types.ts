/**
 * The one interface the live-session services talk to. `ivs` is Amazon IVS through
 * `@aws-sdk/client-ivs`; `local` is an RTMP ingest embedded in the Strapi process
 * (node-media-server), the default when no AWS is configured.
 */

export type LiveProviderName = 'ivs' | 'local';
export type ChannelType = 'STANDARD' | 'BASIC' | 'ADVANCED_SD' | 'ADVANCED_HD';

/** What a session keeps about its channel. None of it is secret. */
export type ChannelRecord = {
  provider: LiveProviderName;
  /** IVS: the channel ARN. Local: an opaque stream id (the RTMP path's last segment), never the key. */
  channelId: string;
  /** What OBS's "Server" field takes: `rtmps://<ingest>:443/app/` or `rtmp://host:1935/live`. */
  ingestServer: string;
  /** IVS: the channel's playback URL (useless without a token on a private channel). Local: ''. */
  playbackUrl: string;
  /** IVS: the stream key's ARN (to delete it on regenerate). Local: null. */
  streamKeyRef: string | null;
};

/** A channel just created, with its stream key: what OBS's "Stream Key" field takes. The key is a secret. */
export type ProvisionedChannel = ChannelRecord & { streamKey: string };

export type StreamHealth = {
  /** Media is arriving at the ingest right now. */
  live: boolean;
  /** IVS's health verdict; local: HEALTHY while media arrives at a sane rate, STARVING when it stalls. */
  health: 'HEALTHY' | 'STARVING' | 'UNKNOWN';
  startedAt: string | null;
  /** The provider's own viewer count where it has one (IVS GetStream), else null. */
  viewerCount: number | null;
  /** Measured over the last few seconds of ingest. null when unknown. */
  bitrateKbps: number | null;
  fps: number | null;
  keyframeIntervalSeconds: number | null;
  /** Human-readable problems for the mentor, e.g. "Keyframe interval is 8 s: set it to 2 s in OBS". */
  warnings: string[];
};

/** What the player needs. The URL is authorized for one viewer and expires. */
export type Playback = {
  /** `ivs`: an IVS playback URL with `?token=` (amazon-ivs-player). `flv`: HTTP-FLV (mpegts.js). */
  kind: 'ivs' | 'flv';
  url: string;
  /** Local only: the same stream over WebSocket-FLV. */
  wsUrl?: string;
  expiresAt: string;
};

/** A change of a channel's stream, whichever way the provider reports it. */
export type StreamEvent = {
  channelId: string;
  type: 'started' | 'ended';
  at: Date;
  /** The provider's id for this event (EventBridge `id`); used to drop duplicates. */
  eventId?: string;
  streamId?: string;
};

/**
 * A recording file the provider writes itself (local: the ingest records FLV while a channel that
 * records is published to). IVS records to S3 and reports through the webhook instead.
 */
export type RecordingFileEvent = {
  channelId: string;
  /** started: the file was opened; ended: it is complete and closed (after the reconnect grace). */
  type: 'started' | 'ended';
  at: Date;
  file: string;
};

export interface LiveProvider {
  readonly name: LiveProviderName;

  /** Creates a channel for one session. On failure nothing is left behind (a half-created channel is deleted). */
  createChannel(input: { sessionId: string; title: string; recording: boolean }): Promise<ProvisionedChannel>;
  /** Frees the channel (cancelled session). Deleting one that is already gone is not an error. */
  deleteChannel(channel: ChannelRecord): Promise<void>;
  /** A new stream key; the old one stops working at once. */
  regenerateStreamKey(channel: ChannelRecord): Promise<{ streamKey: string; streamKeyRef: string | null }>;
  /**
   * Tells the provider a channel's current key after a restart (the local ingest checks keys in
   * memory at publish time). IVS keeps keys itself and ignores this.
   */
  restoreChannel(channel: ChannelRecord, streamKey: string, options?: { recording: boolean }): void;
  /** Records the channel's streams from now on, or stops doing so (a scheduled session's switch). */
  setRecording(channel: ChannelRecord, recording: boolean): Promise<void>;
  /** The session ended: stop the stream and refuse further publishes on this channel. Idempotent. */
  retireChannel(channel: ChannelRecord): Promise<void>;
  /** Whether media is arriving, and how well. */
  streamHealth(channel: ChannelRecord): Promise<StreamHealth>;
  /** A playback URL for one viewer, valid for `ttlSeconds` (IVS caps it at 600 with a viewer id). */
  playback(channel: ChannelRecord, viewer: { viewerId: string; origin: string }, ttlSeconds: number): Promise<Playback>;
  /**
   * Timed metadata in the stream (IVS `PutMetadata`: ≤ 1 KB, 5 per second per channel); players
   * fire a cue when playback reaches it. False when the provider has none (local: the classroom
   * times cues from the player's measured delay instead).
   */
  putMetadata(channel: ChannelRecord, text: string): Promise<boolean>;
  /** Stream start/end as the provider sees it (local: publish/unpublish). IVS events come through the webhook instead. */
  onStreamEvent(listener: (event: StreamEvent) => void | Promise<void>): void;
  /** Recording files the provider writes itself (local). IVS never calls it: its recordings come through the webhook. */
  onRecordingEvent(listener: (event: RecordingFileEvent) => void | Promise<void>): void;
  /** Starts whatever the provider runs in-process (the local RTMP server). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A provider call that failed, in words a mentor can act on. */
export class LiveProviderError extends Error {
  constructor(
    message: string,
    /** The HTTP status to answer with: 502 provider failure, 503 throttled/unavailable, 409 state, 404 gone. */
    readonly status: number = 502,
    /** The provider's error name, e.g. ThrottlingException, ResourceNotFoundException. */
    readonly code?: string
  ) {
    super(message);
    this.name = 'LiveProviderError';
  }
}

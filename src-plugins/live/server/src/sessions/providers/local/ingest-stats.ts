/**
 * What one publisher's media looks like, measured from the RTMP messages as they arrive.
 * Bitrate uses arrival time (what the network delivers); frame rate and keyframe interval use the
 * encoder's own timestamps (dts), so a burst after a network hiccup doesn't read as 200 fps.
 */

/** The fields of an NMS packet this needs (see node-media-server.d.ts, NmsPacket). */
export type MediaPacket = { codec_type: number; flags: number; size: number; dts: number };

export type IngestSnapshot = {
  /** When the first media message of this publish arrived (ms since epoch). */
  firstMediaAt: number | null;
  /** When the last video frame arrived (ms since epoch): STARVING is measured from it. */
  lastVideoAt: number | null;
  bitrateKbps: number | null;
  fps: number | null;
  keyframeIntervalSeconds: number | null;
};

const VIDEO = 9;
const FLAG_KEYFRAME = 3;
const FLAG_INTER_FRAME = 4;
/** How many recent keyframes the interval is averaged over (a long GOP must fit, e.g. OBS's 8–10 s default). */
const KEYFRAMES_KEPT = 5;
/** Below this much data a rate is noise, so it is reported as unknown. */
const MIN_SPAN_MS = 1000;

export class IngestStats {
  private firstMediaAt: number | null = null;
  private lastVideoAt: number | null = null;
  /** Arrival time and size of every message in the window, oldest first. */
  private readonly arrivals: { at: number; bytes: number }[] = [];
  private windowBytes = 0;
  /** dts of the video frames within the window, oldest first. */
  private readonly frameDts: number[] = [];
  private readonly keyframeDts: number[] = [];
  private firstVideoDts: number | null = null;

  constructor(private readonly windowMs: number = 5000) {}

  record(packet: MediaPacket, now: number = Date.now()): void {
    this.firstMediaAt ??= now;
    this.arrivals.push({ at: now, bytes: packet.size });
    this.windowBytes += packet.size;
    while (this.arrivals.length > 0 && this.arrivals[0].at <= now - this.windowMs) {
      this.windowBytes -= this.arrivals.shift()!.bytes;
    }

    const isFrame = packet.codec_type === VIDEO && (packet.flags === FLAG_KEYFRAME || packet.flags === FLAG_INTER_FRAME);
    if (!isFrame) return;
    this.lastVideoAt = now;
    const last = this.frameDts[this.frameDts.length - 1];
    if (last !== undefined && packet.dts < last) {
      // The encoder's clock went back (restart, wrap): earlier measurements no longer line up.
      this.frameDts.length = 0;
      this.keyframeDts.length = 0;
      this.firstVideoDts = null;
    }
    this.firstVideoDts ??= packet.dts;
    this.frameDts.push(packet.dts);
    while (this.frameDts.length > 0 && this.frameDts[0] <= packet.dts - this.windowMs) this.frameDts.shift();
    if (packet.flags === FLAG_KEYFRAME) {
      this.keyframeDts.push(packet.dts);
      if (this.keyframeDts.length > KEYFRAMES_KEPT) this.keyframeDts.shift();
    }
  }

  snapshot(now: number = Date.now()): IngestSnapshot {
    return {
      firstMediaAt: this.firstMediaAt,
      lastVideoAt: this.lastVideoAt,
      bitrateKbps: this.bitrateKbps(now),
      fps: this.fps(),
      keyframeIntervalSeconds: this.keyframeIntervalSeconds(),
    };
  }

  private bitrateKbps(now: number): number | null {
    if (this.firstMediaAt === null) return null;
    const span = Math.min(this.windowMs, now - this.firstMediaAt);
    if (span < MIN_SPAN_MS) return null;
    // Messages older than the window are only dropped when the next one arrives: count what's inside.
    let bytes = this.windowBytes;
    for (const { at, bytes: size } of this.arrivals) {
      if (at > now - this.windowMs) break;
      bytes -= size;
    }
    return Math.round((bytes * 8) / span);
  }

  private fps(): number | null {
    const n = this.frameDts.length;
    if (n < 2) return null;
    const span = this.frameDts[n - 1] - this.frameDts[0];
    if (span < MIN_SPAN_MS) return null;
    return Math.round(((n - 1) * 1000 * 10) / span) / 10;
  }

  /**
   * The mean gap between recent keyframes; while a gap is still open and already longer than
   * that, the open gap (so a stalled or very long GOP shows up before the next keyframe arrives).
   */
  private keyframeIntervalSeconds(): number | null {
    const latest = this.frameDts[this.frameDts.length - 1];
    if (latest === undefined) return null;
    const lastKey = this.keyframeDts[this.keyframeDts.length - 1] ?? this.firstVideoDts!;
    const openGap = latest - lastKey;
    const keys = this.keyframeDts;
    if (keys.length < 2) return openGap > MIN_SPAN_MS ? round1(openGap / 1000) : null;
    const mean = (keys[keys.length - 1] - keys[0]) / (keys.length - 1);
    return round1(Math.max(mean, openGap) / 1000);
  }
}

const round1 = (value: number): number => Math.round(value * 10) / 10;

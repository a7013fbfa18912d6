import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { loadEnv } from '@skillyug/config';
import { z } from 'zod';
import { announceChange, findSession, sessions } from '../../sessions/store';
import type { ProcessingStage } from '../contracts';
import { locateFfmpeg, MediaError } from '../media/ffmpeg';
import { processRecordingMedia } from '../media/pipeline';
import { StorageError } from '../storage';
import { recordingPrefix, recordingWorkDir } from '../paths';
import { findRecording, numberOrNull, recordings, transitionRecording, type RecordingRow, type RecordingSegment, type StoredThumbnail } from '../store';
import { recordingsService } from './registry';
import { recordingsProcessed } from '../../utils/metrics';

/** A claimed job is this process's for this long; progress renews it. A crashed process's job is taken over after it lapses. */
const LEASE_MS = 60_000;
/** Progress is written at most this often (the panel polls every 2 s). */
const PROGRESS_EVERY_MS = 1000;
/** A job that keeps getting interrupted (the process dies mid-way each time) fails instead of looping. */
const MAX_ATTEMPTS = 3;
/** With nothing kicked, the worker still looks for jobs whose lease lapsed (another process died). */
const IDLE_POLL_MS = 30_000;

/** A failure whose message a mentor can act on (shown in the panel as the recording's failure reason). */
class ProcessingFailure extends Error {}

/** The parts of IVS's events/recording-ended.json this reads (the rest may change without harm). */
const ivsRecordingEnded = z.object({
  media: z.object({
    hls: z.object({
      duration_ms: z.number().int().min(0),
      path: z.string().regex(/^[A-Za-z0-9._/-]+$/),
      playlist: z.string().regex(/^[A-Za-z0-9._-]+$/),
      renditions: z
        .array(z.object({ path: z.string(), playlist: z.string(), resolution_width: z.number().optional(), resolution_height: z.number().optional() }).passthrough())
        .default([]),
    }),
    thumbnails: z.object({ path: z.string().regex(/^[A-Za-z0-9._/-]+$/) }).passthrough().optional(),
    latest_thumbnail: z.object({ path: z.string().regex(/^[A-Za-z0-9._/-]+$/) }).passthrough().optional(),
  }),
});

/**
 * The recording worker: one job at a time per process, off the request path. Jobs are rows in
 * status `processing`, claimed with a lease in the database, so a restart (or a second process)
 * resumes what was interrupted: local recordings are processed again from their raw files
 * (outputs are rewritten whole), IVS imports are read again. Progress is written to the row.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  let running: Promise<void> | null = null;
  let kickedAgain = false;
  let stopped = true;
  let abort: AbortController | null = null;
  let idleTimer: NodeJS.Timeout | null = null;

  async function claim(): Promise<RecordingRow | null> {
    const now = new Date();
    const candidates = (await recordings(strapi).findMany({
      where: { status: 'processing', $or: [{ leaseUntil: { $null: true } }, { leaseUntil: { $lt: now } }] },
      orderBy: [{ updatedAt: 'asc' }, { id: 'asc' }],
      limit: 5,
    })) as RecordingRow[];
    for (const row of candidates) {
      const { count } = await recordings(strapi).updateMany({
        where: { id: row.id, status: 'processing', $or: [{ leaseUntil: { $null: true } }, { leaseUntil: { $lt: now } }] },
        data: { leaseOwner: owner, leaseUntil: new Date(Date.now() + LEASE_MS), attempts: (row.attempts ?? 0) + 1 },
      });
      if (count === 1) return findRecording(strapi, { id: row.id });
    }
    return null;
  }

  /** Writes stage and progress (throttled) and renews the lease. */
  function progressWriter(row: RecordingRow) {
    let lastWrite = 0;
    let pending: Promise<unknown> = Promise.resolve();
    return (stage: ProcessingStage, progress: number, force = false) => {
      const now = Date.now();
      if (!force && now - lastWrite < PROGRESS_EVERY_MS) return pending;
      lastWrite = now;
      pending = pending
        .then(() =>
          recordings(strapi).updateMany({
            where: { id: row.id, status: 'processing', leaseOwner: owner },
            data: { stage, progress: Math.min(1, Math.max(0, Math.round(progress * 1000) / 1000)), leaseUntil: new Date(now + LEASE_MS) },
          })
        )
        .catch((error) => strapi.log.warn(`[live] progress of recording ${row.documentId} not saved: ${error.message}`));
      return pending;
    };
  }

  async function processLocal(row: RecordingRow, signal: AbortSignal) {
    const report = progressWriter(row);
    const sources = (row.sources ?? []).filter((source) => existsSync(source.file));
    if (sources.length === 0) {
      throw new ProcessingFailure(
        (row.sources ?? []).length === 0 ? 'Nothing was recorded' : 'The raw recording files are gone from the server (they were deleted or the storage folder changed)'
      );
    }
    const env = loadEnv('cms');
    const ffmpeg = locateFfmpeg(env.FFMPEG_PATH);
    const workDir = recordingWorkDir(strapi, row.documentId);
    await rm(workDir, { recursive: true, force: true });
    await mkdir(workDir, { recursive: true });
    const expectedDurationMs = sources.reduce((sum, source) => sum + Math.max(0, new Date(source.endedAt ?? Date.now()).getTime() - new Date(source.startedAt).getTime()), 0);
    strapi.log.info(`[live] processing recording ${row.documentId}: ${sources.length} file(s), about ${Math.round(expectedDurationMs / 1000)} s, with ${ffmpeg.source} ffmpeg`);

    const media = await processRecordingMedia({
      binary: ffmpeg.path,
      inputs: sources.map((source) => source.file),
      workDir,
      expectedDurationMs,
      signal,
      onProgress: (stage, fraction) => void report(stage, stage === 'remux' ? 0.05 + 0.5 * fraction : 0.55 + 0.25 * fraction),
    });

    const storage = recordingsService(strapi, 'recordingStorage').get();
    const prefix = recordingPrefix(row.documentId);
    const mediaKey = `${prefix}video.mp4`;
    await report('upload', 0.8, true);
    await storage.putFile(mediaKey, media.video.file, { contentType: 'video/mp4', onProgress: (loaded, total) => void report('upload', 0.8 + 0.17 * (total > 0 ? loaded / total : 1)) });
    const posterKey = `${prefix}poster.jpg`;
    await storage.putFile(posterKey, media.poster, { contentType: 'image/jpeg' });
    const thumbnails: StoredThumbnail[] = [];
    for (const thumb of media.strip) {
      const key = `${prefix}thumbs/${path.basename(thumb.file)}`;
      await storage.putFile(key, thumb.file, { contentType: 'image/jpeg' });
      thumbnails.push({ key, atMs: thumb.atMs });
    }
    const segments: RecordingSegment[] = sources.map((source, index) => ({ startedAt: source.startedAt, durationMs: media.video.segmentDurationsMs[index] ?? 0 }));
    const ready = await finishReady(row, {
      mediaKind: 'mp4',
      mediaKey,
      posterKey,
      thumbnails,
      segments,
      durationMs: media.video.durationMs,
      sizeBytes: media.video.sizeBytes,
    });
    // The stored copy is the recording now; the raw FLV and the scratch files can go.
    if (ready) {
      for (const source of row.sources ?? []) await rm(source.file, { force: true });
    }
    await rm(workDir, { recursive: true, force: true });
  }

  async function importIvs(row: RecordingRow) {
    const report = progressWriter(row);
    await report('import', 0.1, true);
    if (!row.ivsBucket || !row.ivsPrefix) throw new ProcessingFailure('Amazon IVS did not say where the recording is (no bucket or prefix in its events)');
    const bucket = recordingsService(strapi, 'recordingStorage').forBucket(row.ivsBucket);
    const prefix = row.ivsPrefix.replace(/\/+$/, '');
    let metadata: z.infer<typeof ivsRecordingEnded>;
    try {
      metadata = ivsRecordingEnded.parse(JSON.parse((await bucket.getBuffer(`${prefix}/events/recording-ended.json`)).toString('utf8')));
    } catch (error) {
      if (error instanceof z.ZodError || error instanceof SyntaxError) throw new ProcessingFailure(`Amazon IVS's recording-ended.json could not be read: ${error.message.slice(0, 200)}`);
      if (error instanceof StorageError && error.status === 404) throw new ProcessingFailure('Amazon IVS wrote no recording-ended.json for this recording (see recording-failed.json in its S3 prefix)');
      throw error;
    }
    const hls = metadata.media.hls;
    await report('import', 0.5, true);
    const durationMs = hls.duration_ms;
    let thumbnails: StoredThumbnail[] = [];
    if (metadata.media.thumbnails) {
      const listed = (await bucket.list(`${prefix}/${metadata.media.thumbnails.path.replace(/\/+$/, '')}/`)).filter((object) => /\.jpe?g$/i.test(object.key));
      // IVS numbers them thumb0.jpg, thumb1.jpg… at its interval: order by number, spread over the duration.
      const numbered = listed.map((object) => ({ key: object.key, index: Number(/(\d+)\.jpe?g$/i.exec(object.key)?.[1] ?? 0) })).sort((a, b) => a.index - b.index);
      const step = numbered.length > 0 ? durationMs / numbered.length : 0;
      thumbnails = numbered.map((thumb, index) => ({ key: thumb.key, atMs: Math.round(index * step) }));
    }
    const posterKey = metadata.media.latest_thumbnail ? `${prefix}/${metadata.media.latest_thumbnail.path}` : (thumbnails[Math.min(1, thumbnails.length - 1)]?.key ?? null);
    await finishReady(row, {
      mediaKind: 'hls',
      mediaKey: `${prefix}/${hls.path.replace(/\/+$/, '')}/${hls.playlist}`,
      posterKey,
      thumbnails,
      renditions: hls.renditions.map((rendition) => ({ path: rendition.path, playlist: rendition.playlist, width: rendition.resolution_width ?? null, height: rendition.resolution_height ?? null })),
      segments: [{ startedAt: new Date(row.recordingStartedAt ?? row.createdAt).toISOString(), durationMs }],
      durationMs,
      sizeBytes: null,
    });
  }

  async function finishReady(row: RecordingRow, data: Record<string, unknown>): Promise<RecordingRow | null> {
    const ready = await transitionRecording(strapi, row, ['processing'], { ...data, status: 'ready', stage: null, progress: 1, failureReason: null, leaseOwner: null, leaseUntil: null });
    if (!ready) return null;
    recordingsProcessed.inc({ outcome: 'ready' });
    await sessions(strapi).updateMany({ where: { id: row.sessionId }, data: { recordingRef: ready.documentId } });
    // Course pages list past classes with "Watch the recording": the site drops its cached copies.
    announceChange(strapi, 'recording-ready', await findSession(strapi, { id: row.sessionId }));
    strapi.log.info(`[live] recording ${ready.documentId} of session ${ready.sessionDocumentId} is ready (${Math.round((numberOrNull(ready.durationMs) ?? 0) / 1000)} s)`);
    if (ready.autoPublish) {
      await recordingsService(strapi, 'recordingPublishing')
        .publishScheduled(ready)
        .catch((error) => strapi.log.error(`[live] recording ${ready.documentId} was not published automatically: ${error.message}`));
    }
    return ready;
  }

  async function fail(row: RecordingRow, reason: string) {
    await transitionRecording(strapi, row, ['processing'], { status: 'failed', stage: null, failureReason: reason.slice(0, 2000), leaseOwner: null, leaseUntil: null });
    recordingsProcessed.inc({ outcome: 'failed' });
    strapi.log.warn(`[live] recording ${row.documentId} of session ${row.sessionDocumentId} failed: ${reason}`);
  }

  async function processOne(row: RecordingRow) {
    if (row.attempts > MAX_ATTEMPTS) {
      return fail(row, `Processing was interrupted ${MAX_ATTEMPTS} times (the server stopped while it ran); retry it from the panel`);
    }
    abort = new AbortController();
    try {
      if (row.provider === 'ivs') await importIvs(row);
      else await processLocal(row, abort.signal);
    } catch (error) {
      if (abort.signal.aborted) {
        // Stopping: the row keeps its status; the lease is released so the next start resumes it at once.
        await recordings(strapi).updateMany({ where: { id: row.id, leaseOwner: owner }, data: { leaseOwner: null, leaseUntil: null, attempts: Math.max(0, row.attempts - 1) } });
        return;
      }
      const reason = error instanceof ProcessingFailure || error instanceof MediaError ? error.message : `Processing failed: ${(error as Error).message}`;
      await fail(row, reason);
    } finally {
      abort = null;
    }
  }

  async function loop() {
    while (!stopped) {
      const row = await claim();
      if (!row) return;
      await processOne(row);
    }
  }

  return {
    /** Something may be waiting: run the worker if it isn't running (it drains every job, then rests). */
    kick() {
      if (stopped) return;
      if (running) {
        kickedAgain = true;
        return;
      }
      running = loop()
        .catch((error) => {
          strapi.log.error(`[live] the recording worker stopped on an error: ${error.message}`);
        })
        .finally(() => {
          running = null;
          if (kickedAgain) {
            kickedAgain = false;
            this.kick();
          }
        });
    },

    start() {
      stopped = false;
      this.kick();
      idleTimer = setInterval(() => this.kick(), IDLE_POLL_MS);
      idleTimer.unref();
    },

    /** Stops taking jobs; the one running is interrupted and left for the next start. */
    async stop() {
      stopped = true;
      if (idleTimer) clearInterval(idleTimer);
      idleTimer = null;
      abort?.abort();
      await running;
    },

    /** Resolves when no job is running (tests, the benchmark). */
    async idle() {
      while (running) await running;
    },
  };
};

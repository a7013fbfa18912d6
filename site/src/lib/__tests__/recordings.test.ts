import type * as Server from '../../../../src-plugins/live/server/src/recordings/contracts';
import type { z } from 'zod';
import { invalidateCatalog } from '../catalog';
import {
  lessonReplay,
  loadRecording,
  pastClasses,
  pastClassSchema,
  recordingInProgress,
  recordingUrl,
  sortPastClasses,
  type PastClass,
} from '../recordings';
import { GET as recordingEndpoint } from '../../pages/api/recordings/[id]';

// PastClassDto ⇄ the site's schema (checked by `tsc -p site/tsconfig.json`).
type Fits<A, B> = [A] extends [B] ? true : false;
const contractChecks: [Fits<Server.PastClassDto, z.input<typeof pastClassSchema>>, Fits<PastClass, Server.PastClassDto>] = [true, true];

const COURSE_ID = 'course0react1';
const RECORDING_ID = 'rec0000000001';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJpZCI6NywiZXhwIjo0MTAyNDQ0ODAwfQ.student-secret-signature';

const past = (sessionId: string, startedAt: string, recording: PastClass['recording'] = null): Server.PastClassDto => ({
  sessionId,
  title: `Class ${sessionId}`,
  courseId: COURSE_ID,
  courseTitle: 'React for Beginners',
  courseSlug: 'react-for-beginners',
  startedAt,
  endedAt: startedAt.replace('T10', 'T11'),
  recording,
});
const ready = past('sess000000001', '2026-11-30T10:00:00.000Z', { id: RECORDING_ID, status: 'ready', durationMs: 3_600_000, lessonId: null });
const processing = past('sess000000002', '2026-11-29T10:00:00.000Z', { id: 'rec0000000002', status: 'processing', durationMs: null, lessonId: null });
const none = past('sess000000003', '2026-11-28T10:00:00.000Z');

const RECORDING: Server.RecordingDto = {
  id: RECORDING_ID,
  sessionId: 'sess000000001',
  courseId: COURSE_ID,
  title: 'Closures, live',
  status: 'ready',
  recordedAt: '2026-11-30T10:00:00.000Z',
  durationMs: 60_000,
  lessonId: null,
  provider: 'local',
  stage: null,
  progress: null,
  failureReason: null,
  sizeBytes: 1_000,
  thumbnails: [],
  playback: { kind: 'mp4', url: 'http://127.0.0.1:1337/api/live/files/recordings/x/video.mp4?exp=1&sig=viewer-signature', posterUrl: null, expiresAt: '2026-11-30T12:15:00.000Z' },
  figures: null,
};
const TIMELINE: Server.ReplayTimeline = { recordingId: RECORDING_ID, durationMs: 60_000, chat: [], questions: [], polls: [], chapters: [], lost: null };

const jsonResponse = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const strapiError = (status: number, message: string, details: unknown = {}) => jsonResponse({ data: null, error: { status, name: 'Error', message, details } }, status);
const pathOf = (call: unknown[]) => new URL(String(call[0])).pathname;
const authOf = (call: unknown[]) => ((call[1] as RequestInit | undefined)?.headers as Record<string, string>).Authorization;

let fetchMock: jest.SpiedFunction<typeof fetch>;
let errorLog: jest.SpiedFunction<typeof console.error>;
beforeEach(() => {
  invalidateCatalog();
  fetchMock = jest.spyOn(globalThis, 'fetch');
  errorLog = jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  fetchMock.mockRestore();
  errorLog.mockRestore();
});

describe('past classes', () => {
  it('fits the contract', () => {
    expect(contractChecks.every(Boolean)).toBe(true);
    expect(pastClassSchema.parse({ ...ready, recording: { ...ready.recording, mediaKey: 'recordings/x/video.mp4' } })).toEqual(ready);
  });

  it('asks the public endpoint for one course, anonymously, and keeps its order', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse({ data: [ready, processing, none] }));
    const classes = await pastClasses([COURSE_ID], 10);
    const url = new URL(String(fetchMock.mock.calls[0][0]));
    expect(url.pathname).toBe('/api/live/past-classes');
    expect(url.searchParams.get('course')).toBe(COURSE_ID);
    expect(url.searchParams.get('limit')).toBe('10');
    expect(authOf(fetchMock.mock.calls[0])).toBeUndefined();
    expect(classes.map((c) => c.sessionId)).toEqual([ready.sessionId, processing.sessionId, none.sessionId]);
  });

  it('caches briefly, single-flight, and drops the cache with the catalog', async () => {
    fetchMock.mockImplementation(async () => jsonResponse({ data: [ready] }));
    await Promise.all([pastClasses([COURSE_ID]), pastClasses([COURSE_ID])]);
    await pastClasses([COURSE_ID]);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    invalidateCatalog();
    await pastClasses([COURSE_ID]);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('asks for all the student’s courses in chunks of 50, merged newest first, without duplicates', async () => {
    expect(await pastClasses([])).toEqual([]);
    expect(fetchMock).not.toHaveBeenCalled();
    const ids = Array.from({ length: 60 }, (_, i) => `course${String(i).padStart(6, '0')}`);
    fetchMock.mockResolvedValueOnce(jsonResponse({ data: [none, processing] })).mockResolvedValueOnce(jsonResponse({ data: [ready, processing] }));
    const classes = await pastClasses([...ids, 'NOT AN ID'], 10);
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(new URL(String(fetchMock.mock.calls[0][0])).searchParams.get('course')!.split(',')).toHaveLength(50);
    expect(new URL(String(fetchMock.mock.calls[1][0])).searchParams.get('course')!.split(',')).toHaveLength(10);
    expect(classes.map((c) => c.sessionId)).toEqual([ready.sessionId, processing.sessionId, none.sessionId]);
  });

  it('renders nothing (and logs) when the API fails or answers nonsense', async () => {
    fetchMock.mockRejectedValueOnce(new Error('ECONNREFUSED'));
    await expect(pastClasses([COURSE_ID])).resolves.toEqual([]);
    fetchMock.mockResolvedValueOnce(jsonResponse({ data: [{ sessionId: 1 }] }));
    await expect(pastClasses(['course0other1'])).resolves.toEqual([]);
    expect(errorLog).toHaveBeenCalledTimes(2);
  });

  it('orders by when the class happened and knows which will change by themselves', () => {
    expect(sortPastClasses([none, ready, processing]).map((c) => c.sessionId)).toEqual([ready.sessionId, processing.sessionId, none.sessionId]);
    expect(recordingInProgress([ready, none])).toBe(false);
    expect(recordingInProgress([ready, processing])).toBe(true);
    expect(recordingUrl(RECORDING_ID)).toBe(`/recordings/${RECORDING_ID}`);
  });
});

describe('one recording', () => {
  it('loads the recording and its timeline side by side, with the student’s token', async () => {
    fetchMock.mockImplementation(async (input) => (String(input).endsWith('/timeline') ? jsonResponse({ data: TIMELINE }) : jsonResponse({ data: RECORDING })));
    const outcome = await loadRecording(RECORDING_ID, TOKEN);
    expect(outcome).toEqual({ ok: true, recording: expect.objectContaining({ id: RECORDING_ID, playback: RECORDING.playback }), timeline: TIMELINE });
    expect(fetchMock.mock.calls.map(pathOf).sort()).toEqual([`/api/live/recordings/${RECORDING_ID}`, `/api/live/recordings/${RECORDING_ID}/timeline`]);
    expect(fetchMock.mock.calls.map(authOf)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
  });

  it('plays without the class around it when only the timeline fails', async () => {
    fetchMock.mockImplementation(async (input) => (String(input).endsWith('/timeline') ? strapiError(500, 'boom') : jsonResponse({ data: RECORDING })));
    expect(await loadRecording(RECORDING_ID, TOKEN)).toMatchObject({ ok: true, timeline: null });
    expect(errorLog).toHaveBeenCalled();
  });

  it('has no timeline while processing (and says nothing about it)', async () => {
    const processingDto = { ...RECORDING, status: 'processing', progress: 0.4, stage: 'remux', playback: null };
    fetchMock.mockImplementation(async (input) => (String(input).endsWith('/timeline') ? strapiError(409, 'This recording is not ready yet') : jsonResponse({ data: processingDto })));
    expect(await loadRecording(RECORDING_ID, TOKEN)).toMatchObject({ ok: true, recording: { status: 'processing', progress: 0.4 }, timeline: null });
    expect(errorLog).not.toHaveBeenCalled();
  });

  it('turns refusals into outcomes: the course to enroll in on a 403', async () => {
    fetchMock.mockImplementation(async () => strapiError(403, 'Enroll in this course to watch its recordings', { course: { documentId: COURSE_ID, title: 'React', slug: 'react-for-beginners' } }));
    expect(await loadRecording(RECORDING_ID, TOKEN)).toEqual({ ok: false, status: 403, message: 'Enroll in this course to watch its recordings', courseSlug: 'react-for-beginners' });
    fetchMock.mockImplementation(async () => strapiError(404, 'No such recording'));
    expect(await loadRecording(RECORDING_ID, TOKEN)).toEqual({ ok: false, status: 404, message: 'No such recording' });
    fetchMock.mockImplementation(async () => {
      throw new Error('ECONNREFUSED');
    });
    expect(await loadRecording(RECORDING_ID, TOKEN)).toMatchObject({ ok: false, status: 0 });
  });

  it('never asks about an id that isn’t one', async () => {
    expect(await loadRecording('../../users', TOKEN)).toEqual({ ok: false, status: 404, message: 'No such recording.' });
    expect(fetchMock).not.toHaveBeenCalled();
  });
});

describe('a lesson made from a recording', () => {
  it('loads the recording the lesson names, anonymously for a visitor', async () => {
    fetchMock.mockImplementation(async (input) => (new URL(String(input)).pathname.endsWith('/timeline') ? jsonResponse({ data: TIMELINE }) : jsonResponse({ data: RECORDING })));
    expect(await lessonReplay(RECORDING_ID, null)).toMatchObject({ ok: true, recording: { id: RECORDING_ID } });
    expect(fetchMock.mock.calls.map(authOf)).toEqual([undefined, undefined]);
  });

  it('says so when Strapi can’t be reached', async () => {
    fetchMock.mockRejectedValue(new TypeError('fetch failed'));
    expect(await lessonReplay(RECORDING_ID, TOKEN)).toMatchObject({ ok: false, status: 0 });
  });
});

describe('GET /api/recordings/:id (the island asking again)', () => {
  const context = (headers: Record<string, string> = {}, token: string | null = TOKEN, id = RECORDING_ID) => {
    const url = new URL(`http://127.0.0.1:4321/api/recordings/${id}`);
    return { params: { id }, url, request: new Request(url, { headers }), locals: { token } } as unknown as Parameters<typeof recordingEndpoint>[0];
  };

  it('answers a fresh recording, as the site reads it (nothing unknown passes)', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse({ data: { ...RECORDING, mediaKey: 'recordings/x/video.mp4', storage: 'disk' } }));
    const response = await recordingEndpoint(context({ 'sec-fetch-site': 'same-origin' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await response.json();
    expect(body.playback).toEqual(RECORDING.playback);
    expect(JSON.stringify(body)).not.toContain('mediaKey');
    expect(JSON.stringify(body)).not.toContain(TOKEN);
    expect(authOf(fetchMock.mock.calls[0])).toBe(`Bearer ${TOKEN}`);
  });

  it('asks anonymously without a session (preview lessons), and passes Strapi’s refusals on', async () => {
    fetchMock.mockResolvedValueOnce(strapiError(401, 'Sign in to watch this recording'));
    const response = await recordingEndpoint(context({}, null));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'Sign in to watch this recording' });
    expect(authOf(fetchMock.mock.calls[0])).toBeUndefined();
  });

  it('refuses cross-site requests and ids that aren’t ones; Strapi down is a 503', async () => {
    expect((await recordingEndpoint(context({ 'sec-fetch-site': 'cross-site' }))).status).toBe(403);
    expect((await recordingEndpoint(context({ origin: 'https://evil.example' }))).status).toBe(403);
    expect((await recordingEndpoint(context({}, TOKEN, 'NOT-AN-ID'))).status).toBe(404);
    expect(fetchMock).not.toHaveBeenCalled();
    fetchMock.mockRejectedValueOnce(new Error('ECONNREFUSED'));
    const down = await recordingEndpoint(context());
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('10');
  });
});

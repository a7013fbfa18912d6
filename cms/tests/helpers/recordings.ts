import type { TestApp } from './strapi';
import { publishTestPattern, scheduleSession, sessionRow, streamKeyOf, type LiveActors } from './live';
import { waitFor } from './wait';

export const RECORDING_UID = 'plugin::live.live-recording';

/** The local ingest's view of a channel (how much media has arrived). */
const ingestOf = (app: TestApp, channelId: string) => (app.strapi.plugin('live').service('liveProvider').get() as any).ingestStats(channelId);

/** Waits until the encoder has sent `ms` of media on the channel: where the class's moments land in the video. */
export async function mediaReached(app: TestApp, channelId: string, ms: number) {
  await waitFor(
    () => {
      const stats = ingestOf(app, channelId);
      return stats?.firstMediaAt && stats.lastVideoAt && stats.lastVideoAt - stats.firstMediaAt >= ms;
    },
    30_000,
    `${ms} ms of media on the ingest`
  );
}

export type RecordedClass = { sessionId: string; recordingId: string; channelId: string; chatText: string; questionText: string; pollQuestion: string };

/**
 * A whole recorded class on the local provider: scheduled by the mentor (recording on), a real
 * ffmpeg publish of `seconds`, the enrolled student joining and, once ~2 s of media arrived,
 * chatting, asking, an "I'm lost" and a poll the mentor launches; then the encoder stops, the
 * mentor ends the class, and processing runs until the recording is ready.
 */
export async function recordClass(app: TestApp, who: LiveActors, { seconds = 6, title = `Recorded class ${Date.now().toString(36)}` } = {}): Promise<RecordedClass> {
  const session = await scheduleSession(app, who.owner.auth, { courseId: who.course, title });
  const obs = await streamKeyOf(app, who.owner.auth, session.id);
  const channelId = obs.streamKey.split('?')[0];
  const encoder = publishTestPattern(obs.server, obs.streamKey, { seconds });
  const chatText = `Is this recorded? ${Date.now().toString(36)}`;
  const questionText = 'Why does the closure keep the variable alive?';
  const pollQuestion = 'Which scope does the inner function see?';
  try {
    await waitFor(async () => (await sessionRow(app, session.id)).status === 'LIVE', 20_000, 'the class to go live');
    const join = await app.http.get(`/api/live/sessions/${session.id}/join`).set(who.enrolled.auth);
    if (join.status !== 200) throw new Error(`join answered ${join.status}`);
    await mediaReached(app, channelId, 2000);

    const chat = await app.http.post(`/api/live/sessions/${session.id}/chat`).set(who.enrolled.auth).send({ text: chatText });
    if (chat.status !== 200 && chat.status !== 201) throw new Error(`chat answered ${chat.status}: ${JSON.stringify(chat.body)}`);
    const row = await sessionRow(app, session.id);
    const grants = app.strapi.plugin('live').service('realtimeGrants');
    const student = await grants.participant({ kind: 'student', user: { id: who.enrolled.id, email: who.enrolled.email } }, row);
    await app.strapi.plugin('live').service('realtimeQuestions').ask(student, row, questionText);
    const lost = await app.http.post(`/api/live/sessions/${session.id}/signals`).set(who.enrolled.auth).send({ kind: 'lost' });
    if (lost.status !== 200) throw new Error(`signal answered ${lost.status}: ${JSON.stringify(lost.body)}`);

    await mediaReached(app, channelId, 3000);
    const poll = await app.http.post(`/api/live/sessions/${session.id}/polls`).set(who.owner.auth).send({ question: pollQuestion, options: ['Its own', 'The outer one too'] });
    if (poll.status !== 201) throw new Error(`poll answered ${poll.status}: ${JSON.stringify(poll.body)}`);
    const launch = await app.http.post(`/api/live/sessions/${session.id}/polls/${poll.body.data.id}/launch`).set(who.owner.auth).send({});
    if (launch.status !== 200) throw new Error(`launch answered ${launch.status}: ${JSON.stringify(launch.body)}`);

    const code = await encoder.exited;
    if (code !== 0) throw new Error(`the test publish failed (${code}): ${encoder.stderr()}`);
  } finally {
    await encoder.stop();
  }
  const endedAt = Date.now();
  const end = await app.http.post(`/api/live/sessions/${session.id}/end`).set(who.owner.auth).send({});
  if (end.status !== 200) throw new Error(`end answered ${end.status}`);
  const recording = await waitFor(
    async () => {
      const res = await app.http.get(`/live/sessions/${session.id}/recording`).set(who.owner.auth);
      if (res.status === 200 && res.body.data.status === 'failed') throw new Error(`the recording failed: ${res.body.data.failureReason}`);
      return res.status === 200 && res.body.data.status === 'ready' ? res.body.data : null;
    },
    90_000,
    'the recording to be ready'
  );
  console.log(`recording: ready ${Date.now() - endedAt} ms after End (${Math.round(recording.durationMs / 100) / 10} s class, ${recording.thumbnails.length} thumbnails)`);
  return { sessionId: session.id, recordingId: recording.id, channelId, chatText, questionText, pollQuestion };
}

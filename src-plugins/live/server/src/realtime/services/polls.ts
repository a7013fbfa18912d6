import type { Core } from '@strapi/strapi';
import { loadEnv } from '@skillyug/config';
import { POLL_GRACE_SECONDS, POLL_RESULTS_INTERVAL_MS, type MyVote, type PollDraft, type PollDto, type PollState, type PollsResponse } from '../contracts';
import { POLL_UID, POLL_VOTE_UID } from '../constants';
import { RealtimeError } from '../errors';
import { streamOffsetMs } from '../store';
import type { Participant } from './grants';
import { realtimeService } from './registry';
import { isUniqueViolation } from '../../utils/db-errors';
import { liveService } from '../../sessions/services/registry';
import { channelOf, requireSessionLean, type SessionRow } from '../../sessions/store';
import type { ChannelRecord } from '../../sessions/providers/types';

/**
 * IVS PutMetadata allows 5 calls per second per channel. The budget is spent before the call, which
 * then takes its own time to reach IVS (a loaded process, the network): calls spent apart can land
 * closer together. 4 per second leaves that jitter room, so IVS never sees a sixth in its window.
 */
const METADATA_BUDGET = { name: 'ivs-metadata', points: 4, seconds: 1 };

type PollRow = {
  id: number;
  sessionId: number;
  question: string;
  options: string[] | string;
  correctOption: number | null;
  durationSeconds: number | null;
  state: PollState;
  revealed: boolean;
  launchedAt: string | Date | null;
  launchedOffsetMs: number | string | null;
  closesAt: string | Date | null;
  closedAt: string | Date | null;
};

type Results = { counts: number[]; total: number };
type View = 'student' | 'moderator';

const iso = (value: string | Date | null) => (value ? new Date(value).toISOString() : null);
const optionsOf = (row: PollRow): string[] => (typeof row.options === 'string' ? JSON.parse(row.options) : row.options);

function toDto(row: PollRow, view: View, results: Results | null): PollDto {
  const visible = view === 'moderator' || row.revealed;
  return {
    id: row.id,
    question: row.question,
    options: optionsOf(row),
    kind: row.correctOption === null || row.correctOption === undefined ? 'poll' : 'quiz',
    state: row.state,
    durationSeconds: row.durationSeconds ?? null,
    launchedAt: iso(row.launchedAt),
    launchedOffsetMs: row.launchedOffsetMs === null || row.launchedOffsetMs === undefined ? null : Number(row.launchedOffsetMs),
    closesAt: iso(row.closesAt),
    closedAt: iso(row.closedAt),
    revealed: Boolean(row.revealed),
    // A quiz's answer never leaves the server for students before the reveal.
    correctOption: visible ? (row.correctOption ?? null) : null,
    results: visible ? results : null,
  };
}

const requireModerator = (who: Participant) => {
  if (!who.capabilities.includes('moderate')) throw new RealtimeError('forbidden', "Only the class's mentor or an admin can run polls");
};

/**
 * Polls and quizzes, counted on the server: the mentor drafts them (before or during the class),
 * launches one at a stream offset (on IVS also as timed metadata, so players cue it at that
 * frame), closes it or lets its timer close it (plus the players' delay as grace, checked every
 * second by every process with a guarded update), and reveals the results and a quiz's answer.
 * Students vote once (final; a unique index makes a double vote impossible). Results are pushed
 * at most every POLL_RESULTS_INTERVAL_MS per poll: to moderators always, to everyone once revealed.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const polls = () => strapi.db.query(POLL_UID as any);
  const pollVotes = () => strapi.db.query(POLL_VOTE_UID as any);
  const gateway = () => realtimeService(strapi, 'realtimeGateway');
  /** Polls with votes not yet pushed: pollId → session documentId. */
  const dirty = new Map<number, string>();
  let flusher: NodeJS.Timeout | null = null;
  let closer: NodeJS.Timeout | null = null;

  async function results(pollId: number, optionCount: number): Promise<Results> {
    const rows: any[] = await strapi.db.connection('live_poll_votes').select('option').count({ n: '*' }).where({ poll_id: pollId }).groupBy('option');
    const counts = Array.from({ length: optionCount }, () => 0);
    for (const r of rows) if (Number(r.option) < optionCount) counts[Number(r.option)] = Number(r.n);
    return { counts, total: counts.reduce((a, b) => a + b, 0) };
  }

  async function requirePoll(row: SessionRow, id: number): Promise<PollRow> {
    const poll = (await polls().findOne({ where: { id, sessionId: row.id } })) as PollRow | null;
    if (!poll) throw new RealtimeError('not-found', 'There is no such poll in this class');
    return poll;
  }

  /** Tells the room (student view) and the moderators (full view) what the poll is now. */
  async function announce(documentId: string, poll: PollRow): Promise<PollDto> {
    const counts = await results(poll.id, optionsOf(poll).length);
    gateway().toSession(documentId, 'poll:updated', toDto(poll, 'student', counts));
    const full = toDto(poll, 'moderator', counts);
    gateway().toModerators(documentId, 'poll:updated', full);
    return full;
  }

  async function transition(row: SessionRow, poll: PollRow, from: PollState[], data: Record<string, unknown>): Promise<PollDto> {
    const { count } = await polls().updateMany({ where: { id: poll.id, state: { $in: from } }, data });
    if (count !== 1) throw new RealtimeError('not-found', `That poll is ${poll.state === 'draft' ? 'a draft' : poll.state} already`);
    return announce(row.documentId, (await polls().findOne({ where: { id: poll.id } })) as PollRow);
  }

  async function sendCue(channel: ChannelRecord, text: string, pollId: number) {
    try {
      for (;;) {
        const wait = await realtimeService(strapi, 'realtimeState').spend(METADATA_BUDGET, channel.channelId);
        if (!wait) break;
        // A little past the window, so the provider's own count has rolled over too.
        await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 100));
      }
      await liveService(strapi, 'liveProvider').call('timed metadata', (provider) => provider.putMetadata(channel, text));
    } catch (error) {
      strapi.log.warn(`[live] PutMetadata for poll ${pollId} failed: ${(error as Error).message}`);
    }
  }

  async function flush() {
    const batch = [...dirty];
    dirty.clear();
    for (const [pollId, documentId] of batch) {
      const poll = (await polls().findOne({ where: { id: pollId } })) as PollRow | null;
      if (!poll) continue;
      const counts = await results(pollId, optionsOf(poll).length);
      gateway().toModerators(documentId, 'poll:results', { id: pollId, ...counts });
      if (poll.revealed) gateway().toSession(documentId, 'poll:results', { id: pollId, ...counts });
    }
  }

  /** Timed polls past their close (timer + grace): closed once, by whichever process sees it first. */
  async function closeOverdue() {
    const overdue = (await polls().findMany({ where: { state: 'open', closesAt: { $lte: new Date() } }, limit: 50 })) as PollRow[];
    for (const poll of overdue) {
      const { count } = await polls().updateMany({ where: { id: poll.id, state: 'open' }, data: { state: 'closed', closedAt: new Date() } });
      if (count !== 1) continue;
      const session = (await strapi.db.query('plugin::live.live-session' as any).findOne({ where: { id: poll.sessionId }, select: ['documentId'] })) as { documentId: string } | null;
      if (session) await announce(session.documentId, (await polls().findOne({ where: { id: poll.id } })) as PollRow);
    }
  }

  return {
    start() {
      flusher ??= setInterval(() => void flush().catch((e: Error) => strapi.log.warn(`[live] poll results push failed: ${e.message}`)), POLL_RESULTS_INTERVAL_MS);
      closer ??= setInterval(() => void closeOverdue().catch((e: Error) => strapi.log.warn(`[live] closing timed polls failed: ${e.message}`)), 1_000);
      flusher.unref();
      closer.unref();
    },

    stop() {
      if (flusher) clearInterval(flusher);
      if (closer) clearInterval(closer);
      flusher = closer = null;
    },

    /** Moderators: every poll incl. drafts, with results; students: launched ones, their votes and quiz score. */
    async list(who: Participant, row: SessionRow): Promise<PollsResponse> {
      const moderator = who.capabilities.includes('moderate');
      const rows = (await polls().findMany({ where: { sessionId: row.id, ...(moderator ? {} : { state: { $ne: 'draft' } }) }, orderBy: { id: 'asc' } })) as PollRow[];
      const dtos = await Promise.all(rows.map(async (p) => toDto(p, moderator ? 'moderator' : 'student', await results(p.id, optionsOf(p).length))));
      if (moderator || who.kind !== 'student') return { polls: dtos, myVotes: [], score: null };
      const myVotes = await this.myVotes(who, row, rows);
      const quizzes = rows.filter((p) => p.correctOption !== null && p.correctOption !== undefined && p.revealed);
      const answered = myVotes.filter((v) => v.correct !== null);
      return { polls: dtos, myVotes, score: { correct: answered.filter((v) => v.correct).length, answered: answered.length, quizzes: quizzes.length } };
    },

    /** The launched polls as students see them (no answers or counts before the reveal). */
    async launched(row: SessionRow): Promise<PollDto[]> {
      const rows = (await polls().findMany({ where: { sessionId: row.id, state: { $ne: 'draft' } }, orderBy: { id: 'asc' } })) as PollRow[];
      return Promise.all(rows.map(async (p) => toDto(p, 'student', await results(p.id, optionsOf(p).length))));
    },

    async myVotes(who: Participant, row: SessionRow, known?: PollRow[]): Promise<MyVote[]> {
      if (who.kind !== 'student') return [];
      const votes = (await pollVotes().findMany({ where: { sessionId: row.id, userId: who.userId }, select: ['pollId', 'option'] })) as { pollId: number; option: number }[];
      const byId = new Map((known ?? ((await polls().findMany({ where: { sessionId: row.id } })) as PollRow[])).map((p) => [p.id, p]));
      return votes.map((v) => {
        const poll = byId.get(v.pollId);
        const quizRevealed = poll && poll.revealed && poll.correctOption !== null && poll.correctOption !== undefined;
        return { pollId: v.pollId, option: v.option, correct: quizRevealed ? v.option === poll!.correctOption : null };
      });
    },

    async create(who: Participant, row: SessionRow, draft: PollDraft, launch = false): Promise<PollDto> {
      requireModerator(who);
      if (row.status === 'ENDED' || row.status === 'CANCELLED') throw new RealtimeError('not-live', 'This class is over: no more polls');
      const created = (await polls().create({
        data: { sessionId: row.id, question: draft.question, options: draft.options, correctOption: draft.correctOption ?? null, durationSeconds: draft.durationSeconds ?? null, state: 'draft', revealed: false, draftedByAdminId: who.userId },
      })) as PollRow;
      if (launch) return this.launch(who, row, created.id);
      return toDto(created, 'moderator', { counts: draft.options.map(() => 0), total: 0 });
    },

    async update(who: Participant, row: SessionRow, id: number, draft: PollDraft): Promise<PollDto> {
      requireModerator(who);
      const poll = await requirePoll(row, id);
      const { count } = await polls().updateMany({
        where: { id: poll.id, state: 'draft' },
        data: { question: draft.question, options: draft.options, correctOption: draft.correctOption ?? null, durationSeconds: draft.durationSeconds ?? null },
      });
      if (count !== 1) throw new RealtimeError('not-found', 'Only drafts can be edited: this poll has been launched');
      return toDto((await polls().findOne({ where: { id } })) as PollRow, 'moderator', { counts: draft.options.map(() => 0), total: 0 });
    },

    async remove(who: Participant, row: SessionRow, id: number) {
      requireModerator(who);
      const poll = await requirePoll(row, id);
      const { count } = await polls().deleteMany({ where: { id: poll.id, state: 'draft' } });
      if (count !== 1) throw new RealtimeError('not-found', 'Only drafts can be deleted: this poll has been launched');
    },

    async launch(who: Participant, row: SessionRow, id: number): Promise<PollDto> {
      requireModerator(who);
      if (row.status !== 'LIVE') throw new RealtimeError('not-live', 'Polls are launched while the class is live');
      const poll = await requirePoll(row, id);
      const now = new Date();
      const grace = row.provider === 'ivs' ? POLL_GRACE_SECONDS.ivs : POLL_GRACE_SECONDS.local;
      const closesAt = poll.durationSeconds ? new Date(now.getTime() + (poll.durationSeconds + grace) * 1000) : null;
      const launched = await transition(row, poll, ['draft'], { state: 'open', launchedAt: now, launchedOffsetMs: streamOffsetMs(row, now), closesAt });
      // IVS: the poll's moment in the stream, for the players' TEXT_METADATA_CUE. Sent on its own
      // (the launch doesn't wait), within IVS's 5 calls per second per channel, shared by processes.
      const channel = channelOf(await requireSessionLean(strapi, row.documentId));
      if (channel && loadEnv('cms').LIVE_PROVIDER === 'ivs') void sendCue(channel, JSON.stringify({ t: 'poll', id }), id);
      return launched;
    },

    async close(who: Participant, row: SessionRow, id: number): Promise<PollDto> {
      requireModerator(who);
      return transition(row, await requirePoll(row, id), ['open'], { state: 'closed', closedAt: new Date() });
    },

    async reveal(who: Participant, row: SessionRow, id: number): Promise<PollDto> {
      requireModerator(who);
      const poll = await requirePoll(row, id);
      if (poll.state === 'draft') throw new RealtimeError('not-found', 'Launch the poll before revealing its results');
      const { count } = await polls().updateMany({ where: { id, revealed: false }, data: { revealed: true } });
      if (count !== 1) throw new RealtimeError('not-found', 'The results are revealed already');
      const fresh = (await polls().findOne({ where: { id } })) as PollRow;
      const full = await announce(row.documentId, fresh);
      gateway().toSession(row.documentId, 'poll:results', { id, ...full.results! });
      return full;
    },

    async vote(who: Participant, row: SessionRow, id: number, option: number): Promise<MyVote> {
      if (who.kind !== 'student') throw new RealtimeError('forbidden', 'Votes are for students');
      const poll = await requirePoll(row, id);
      if (poll.state !== 'open' || (poll.closesAt && new Date(poll.closesAt).getTime() <= Date.now())) throw new RealtimeError('not-live', 'This poll is closed');
      if (option >= optionsOf(poll).length) throw new RealtimeError('bad-request', `option must be between 0 and ${optionsOf(poll).length - 1}`);
      try {
        await pollVotes().create({ data: { sessionId: row.id, pollId: id, userId: who.userId, option, votedAt: new Date() } });
      } catch (error) {
        if (isUniqueViolation(error)) throw new RealtimeError('bad-request', 'You have voted in this poll already: votes are final');
        throw error;
      }
      dirty.set(id, row.documentId);
      return { pollId: id, option, correct: null };
    },
  };
};

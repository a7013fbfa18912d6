import type { Core } from '@strapi/strapi';
import { compareQuestions, type QuestionDto, type QuestionState } from '../contracts';
import { QUESTION_UID, QUESTION_VOTE_UID } from '../constants';
import { RealtimeError } from '../errors';
import { mutedUntil, streamOffsetMs } from '../store';
import type { Participant } from './grants';
import { realtimeService } from './registry';
import { isUniqueViolation } from '../../utils/db-errors';
import type { SessionRow } from '../../sessions/store';

type QuestionRow = {
  id: number;
  sessionId: number;
  userId: number;
  authorName: string | null;
  text: string;
  state: QuestionState;
  pinned: boolean;
  votes: number;
  askedAt: string | Date;
  offsetMs: number | string | null;
  answeredAt: string | Date | null;
};

const OPEN: SessionRow['status'][] = ['SCHEDULED', 'LIVE'];
/** Questions a student may ask per minute (Q&A is slower than chat). */
const ASK_BUDGET = { name: 'question-ask', points: 3, seconds: 60 };
const VISIBLE: QuestionState[] = ['open', 'answered'];

const toDto = (row: QuestionRow): QuestionDto => ({
  id: row.id,
  text: row.text,
  author: { id: row.userId, name: row.authorName ?? 'Student' },
  votes: row.votes,
  state: row.state,
  pinned: Boolean(row.pinned),
  askedAt: new Date(row.askedAt).toISOString(),
  offsetMs: row.offsetMs === null || row.offsetMs === undefined ? null : Number(row.offsetMs),
  answeredAt: row.answeredAt ? new Date(row.answeredAt).toISOString() : null,
});

const requireModerator = (who: Participant) => {
  if (!who.capabilities.includes('moderate')) throw new RealtimeError('forbidden', "Only the class's mentor or an admin can do that");
};

/**
 * Q&A, separate from chat: students ask, upvote (a second upvote takes it back; not one's own),
 * withdraw their own; moderators answer, dismiss and pin the one being answered now (one at a
 * time). Every change is stored (with the stream offset) and pushed to the room as
 * 'question:updated'; chat moderation reaches here too (muted students can't ask, a ban
 * dismisses the student's questions).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const questions = () => strapi.db.query(QUESTION_UID as any);
  const votes = () => strapi.db.query(QUESTION_VOTE_UID as any);
  const push = (row: SessionRow, question: QuestionRow) => realtimeService(strapi, 'realtimeGateway').toSession(row.documentId, 'question:updated', toDto(question));

  async function requireQuestion(row: SessionRow, id: number): Promise<QuestionRow> {
    const question = (await questions().findOne({ where: { id, sessionId: row.id } })) as QuestionRow | null;
    if (!question) throw new RealtimeError('not-found', 'There is no such question in this class');
    return question;
  }

  /** Moves a question from one of `from` to `state` (guarded: a concurrent change wins once). */
  async function move(row: SessionRow, question: QuestionRow, from: QuestionState[], data: Partial<QuestionRow> & { state?: QuestionState }) {
    const { count } = await questions().updateMany({ where: { id: question.id, state: { $in: from } }, data });
    if (count !== 1) throw new RealtimeError('not-found', `That question is ${question.state} already`);
    const fresh = (await questions().findOne({ where: { id: question.id } })) as QuestionRow;
    push(row, fresh);
    return fresh;
  }

  return {
    async list(row: SessionRow): Promise<QuestionDto[]> {
      const rows = (await questions().findMany({ where: { sessionId: row.id, state: { $in: VISIBLE } }, limit: 500 })) as QuestionRow[];
      return rows.map(toDto).sort(compareQuestions);
    },

    async myUpvotes(row: SessionRow, who: Participant): Promise<number[]> {
      if (who.kind !== 'student') return [];
      const rows = (await votes().findMany({ where: { sessionId: row.id, userId: who.userId }, select: ['questionId'] })) as { questionId: number }[];
      return rows.map((v) => v.questionId);
    },

    async ask(who: Participant, row: SessionRow, text: string): Promise<QuestionDto> {
      if (who.kind !== 'student') throw new RealtimeError('forbidden', 'Questions are for students; answer them in the chat or pin them');
      if (!OPEN.includes(row.status)) throw new RealtimeError('not-live', 'This class has ended: questions are closed');
      const until = await mutedUntil(strapi, row.id, who.userId);
      if (until) throw new RealtimeError('muted', 'The mentor has muted you for now', { until: until.toISOString() });
      const wait = await realtimeService(strapi, 'realtimeState').spend(ASK_BUDGET, `${row.id}:${who.userId}`);
      if (wait) throw new RealtimeError('rate-limited', `You can ask ${ASK_BUDGET.points} questions a minute. Try again in ${wait} s.`, { retryAfterSeconds: wait });
      const now = new Date();
      const created = (await questions().create({
        data: { sessionId: row.id, userId: who.userId, authorName: who.name, text, state: 'open', pinned: false, votes: 0, askedAt: now, offsetMs: streamOffsetMs(row, now) },
      })) as QuestionRow;
      push(row, created);
      return toDto(created);
    },

    /** Upvotes, or takes a previous upvote back. */
    async upvote(who: Participant, row: SessionRow, id: number): Promise<{ voted: boolean; votes: number }> {
      if (who.kind !== 'student') throw new RealtimeError('forbidden', 'Upvotes are for students');
      const question = await requireQuestion(row, id);
      if (question.state !== 'open') throw new RealtimeError('not-found', `That question is ${question.state}: it takes no more votes`);
      if (question.userId === who.userId) throw new RealtimeError('forbidden', "You can't upvote your own question");
      let voted = true;
      try {
        await votes().create({ data: { sessionId: row.id, questionId: id, userId: who.userId, votedAt: new Date() } });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        await votes().deleteMany({ where: { questionId: id, userId: who.userId } });
        voted = false;
      }
      // The count is recomputed from the votes, so concurrent upvotes never drift.
      await strapi.db.connection.raw('UPDATE live_questions SET votes = (SELECT COUNT(*) FROM live_question_votes WHERE question_id = ?) WHERE id = ?', [id, id]);
      const fresh = (await questions().findOne({ where: { id } })) as QuestionRow;
      push(row, fresh);
      return { voted, votes: fresh.votes };
    },

    async withdraw(who: Participant, row: SessionRow, id: number) {
      const question = await requireQuestion(row, id);
      if (who.kind !== 'student' || question.userId !== who.userId) throw new RealtimeError('forbidden', 'Only the student who asked can withdraw a question');
      const now = new Date();
      await move(row, question, ['open'], { state: 'withdrawn', pinned: false, closedAt: now, closedOffsetMs: streamOffsetMs(row, now) } as any);
    },

    async answer(who: Participant, row: SessionRow, id: number) {
      requireModerator(who);
      const question = await requireQuestion(row, id);
      const now = new Date();
      await move(row, question, ['open'], { state: 'answered', pinned: false, answeredAt: now, answeredOffsetMs: streamOffsetMs(row, now) } as any);
    },

    async dismiss(who: Participant, row: SessionRow, id: number) {
      requireModerator(who);
      const question = await requireQuestion(row, id);
      const now = new Date();
      await move(row, question, ['open', 'answered'], { state: 'dismissed', pinned: false, closedAt: now, closedOffsetMs: streamOffsetMs(row, now) } as any);
    },

    /** Pins the question being answered now (unpinning any other), or unpins it. */
    async pin(who: Participant, row: SessionRow, id: number, pinned: boolean) {
      requireModerator(who);
      const question = await requireQuestion(row, id);
      if (pinned && question.state !== 'open') throw new RealtimeError('not-found', `That question is ${question.state}: only open questions can be pinned`);
      if (pinned) {
        const others = (await questions().findMany({ where: { sessionId: row.id, pinned: true, id: { $ne: id } } })) as QuestionRow[];
        for (const other of others) {
          await questions().update({ where: { id: other.id }, data: { pinned: false } });
          push(row, { ...other, pinned: false });
        }
      }
      await questions().update({ where: { id }, data: { pinned } });
      push(row, { ...question, pinned });
    },

    /** A banned student's questions leave the list. */
    async dismissAllOf(row: SessionRow, userId: number) {
      const open = (await questions().findMany({ where: { sessionId: row.id, userId, state: { $in: VISIBLE } } })) as QuestionRow[];
      for (const question of open) {
        await questions().update({ where: { id: question.id }, data: { state: 'dismissed', pinned: false, closedAt: new Date() } });
        push(row, { ...question, state: 'dismissed', pinned: false });
      }
    },
  };
};

import type { Core } from '@strapi/strapi';
import {
  CHAT_RATE,
  clientEvents,
  HISTORY_LIMIT_DEFAULT,
  RESUME_LIMIT,
  SLOW_MODE_SECONDS,
  type ChatHistoryQuery,
  type ChatHistoryResponse,
  type ChatMessageDto,
  type AuthorRole,
  type ModerationEntryDto,
  type ReadyEvent,
  type SystemEvent,
} from '../contracts';
import { RealtimeError } from '../errors';
import {
  appendMessage,
  deleteMessages,
  findByClientId,
  findMessage,
  lastSeqOf,
  messagesAfter,
  messagesBefore,
  moderationLog,
  isBanned,
  messages,
  mutedUntil,
  recordModeration,
  type NewMessage,
} from '../store';
import { studentName, type Participant } from './grants';
import { realtimeService } from './registry';
import { forgetLean, sessions, type SessionRow } from '../../sessions/store';
import { createSharedReads } from '../../utils/shared-reads';
import { liveService } from '../../sessions/services/registry';
import { chatMessages } from '../../utils/metrics';

const OPEN: SessionRow['status'][] = ['SCHEDULED', 'LIVE'];
const BURST = { name: 'chat-burst', points: CHAT_RATE.burst, seconds: CHAT_RATE.burstWindowSeconds };
const SUSTAINED = { name: 'chat-minute', points: CHAT_RATE.perMinute, seconds: 60 };

const requireModerator = (who: Participant) => {
  if (!who.capabilities.includes('moderate')) throw new RealtimeError('forbidden', "Only the class's mentor or an admin can moderate the chat");
};

/**
 * The class's chat: sending (limits, slow mode, mutes), history and resume, system messages,
 * and moderation (delete, mute, ban, slow mode), each recorded in the moderation log. Every
 * stored entry is pushed to the session's room through the gateway (all processes with Redis).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const gateway = () => realtimeService(strapi, 'realtimeGateway');
  const windows = createSharedReads<{ stored: number; recent: ChatMessageDto[] }>();
  const rooms = () => realtimeService(strapi, 'realtimeChatRooms');

  // `now`: when the message was sent, if it was sent elsewhere (IVS Chat's SendTime).
  async function publish(row: SessionRow, message: NewMessage, now?: Date): Promise<ChatMessageDto> {
    const stored = await appendMessage(strapi, row, message, now);
    chatMessages.inc({ type: message.type });
    gateway().toSession(row.documentId, 'chat:message', stored);
    return stored;
  }

  /** May this participant post now? The class must be open; students also pass mutes, slow mode and the rate limits. */
  async function admit(who: Participant, row: SessionRow) {
    if (!OPEN.includes(row.status)) throw new RealtimeError('not-live', row.status === 'CANCELLED' ? 'This class was cancelled' : 'This class has ended: the chat is closed');
    const state = realtimeService(strapi, 'realtimeState');
    const key = `${row.id}:${who.kind}:${who.userId}`;
    if (who.kind === 'student') {
      const until = await mutedUntil(strapi, row.id, who.userId);
      if (until) throw new RealtimeError('muted', 'The mentor has muted you for now', { until: until.toISOString(), retryAfterSeconds: Math.ceil((until.getTime() - Date.now()) / 1000) });
      const slow = row.chatSlowModeSeconds ?? 0;
      if (slow > 0) {
        const wait = await state.spend({ name: 'slow-mode', points: 1, seconds: slow }, key);
        if (wait) throw new RealtimeError('slow-mode', `Slow mode is on: one message every ${slow} s. Try again in ${wait} s.`, { retryAfterSeconds: wait });
      }
    }
    for (const budget of [BURST, SUSTAINED]) {
      const wait = await state.spend(budget, key);
      if (wait) throw new RealtimeError('rate-limited', `You're sending messages too fast. Try again in ${wait} s.`, { retryAfterSeconds: wait });
    }
  }

  const system = (row: SessionRow, event: SystemEvent, extra: { removed?: number[]; slowModeSeconds?: number } = {}) =>
    publish(row, { type: 'SYSTEM', text: event, author: null, system: { event, ...extra } });

  return {
    /**
     * `clientId`: the sender's id for this message. A client re-sends what wasn't acked after a
     * reconnect (the process it sent to drained or died), possibly to another process: the copy
     * already stored is answered instead (no second message, no limits spent twice); the unique
     * index on (session, author, clientId) settles two copies racing on two processes.
     */
    async send(who: Participant, row: SessionRow, text: string, clientId?: string): Promise<ChatMessageDto> {
      if (!who.capabilities.includes('send')) throw new RealtimeError('forbidden', "You can read this class's chat but not write in it");
      const author = { id: who.userId, name: who.name, role: who.role };
      if (clientId) {
        const earlier = await findByClientId(strapi, row.id, author, clientId);
        if (earlier) return earlier;
      }
      await admit(who, row);
      try {
        return await publish(row, { type: 'CHAT', text, author, ...(clientId ? { clientId } : {}) });
      } catch (error) {
        const stored = clientId ? await findByClientId(strapi, row.id, author, clientId) : null;
        if (stored) return stored;
        throw error;
      }
    },

    system,

    /**
     * CHAT_PROVIDER=ivs-chat: a message a client sent through IVS Chat, as the server's reader
     * received it. Stored and pushed exactly like a socket-sent one (publish), or refused — a
     * muted or banned student, a closed class, text the socket would refuse — and then the caller
     * deletes it at IVS. A message already stored (two readers, a reader's renewal) is skipped.
     */
    async ingest(
      row: SessionRow,
      input: { ivsMessageId: string; userId: number; kind: 'student' | 'admin'; name: string; role: AuthorRole; text: string; sentAt: Date }
    ): Promise<{ stored: ChatMessageDto } | { duplicate: true } | { refused: string }> {
      if (!OPEN.includes(row.status)) return { refused: 'The class is over: the chat is closed' };
      const text = clientEvents['chat:send'].shape.text.safeParse(input.text);
      if (!text.success) return { refused: `The message was refused: ${text.error.issues[0]?.message ?? 'invalid text'}` };
      // Every process reading the room sees the message: the first to claim its id handles it (so
      // the sender's limits are spent once); the unique index on the id is the backstop.
      if (await realtimeService(strapi, 'realtimeState').spend({ name: 'ivs-message', points: 1, seconds: 600 }, `${row.id}:${input.ivsMessageId}`)) return { duplicate: true };
      if (await messages(strapi).findOne({ where: { sessionId: row.id, ivsMessageId: input.ivsMessageId }, select: ['id'] })) return { duplicate: true };
      if (input.kind === 'student' && (await isBanned(strapi, row.id, input.userId))) return { refused: 'The sender was removed from this class' };
      try {
        // The same gate as a socket send: mutes, slow mode and the per-student limits hold on IVS too.
        await admit({ userId: input.userId, kind: input.kind, role: input.role, name: input.name, capabilities: ['read', 'send'] }, row);
      } catch (error) {
        if (error instanceof RealtimeError) return { refused: error.message };
        throw error;
      }
      // The reader is behind the room by network time only; never a date from the future.
      const sentAt = new Date(Math.min(input.sentAt.getTime(), Date.now()));
      try {
        const stored = await publish(row, { type: 'CHAT', text: text.data, author: { id: input.userId, name: input.name, role: input.role }, ivsMessageId: input.ivsMessageId }, sentAt);
        return { stored };
      } catch (error) {
        // Another process stored it between the check and the insert (the unique index refused ours).
        if (await messages(strapi).findOne({ where: { sessionId: row.id, ivsMessageId: input.ivsMessageId }, select: ['id'] })) return { duplicate: true };
        throw error;
      }
    },

    /**
     * What a (re)connecting client gets: everything after `lastSeq`, or the recent window. The
     * window is read once for all the clients of a burst whose room join came before the read
     * started (`notBefore`, see utils/shared-reads.ts): a join storm costs one read, not one each.
     */
    async resume(row: SessionRow, lastSeq: number | undefined, notBefore = windows.now()): Promise<Pick<ReadyEvent, 'messages' | 'fromSeq' | 'truncated' | 'lastSeq'>> {
      if (lastSeq !== undefined && lastSeq > 0) {
        const stored = await lastSeqOf(strapi, row.id);
        if (lastSeq <= stored) {
          const missed = await messagesAfter(strapi, row.id, lastSeq, RESUME_LIMIT + 1);
          if (missed.length <= RESUME_LIMIT) return { messages: missed, fromSeq: lastSeq, truncated: false, lastSeq: Math.max(stored, missed.at(-1)?.seq ?? 0) };
        }
      }
      const window = await windows.read(row.documentId, notBefore, async () => {
        const [stored, recent] = await Promise.all([lastSeqOf(strapi, row.id), messagesBefore(strapi, row.id, null, HISTORY_LIMIT_DEFAULT)]);
        return { stored, recent };
      });
      const { stored, recent } = window;
      const fromSeq = recent.length ? recent[0].seq - 1 : stored;
      return { messages: recent, fromSeq, truncated: lastSeq !== undefined && lastSeq > 0 && lastSeq < fromSeq, lastSeq: Math.max(stored, recent.at(-1)?.seq ?? 0) };
    },

    /** A page of history; always ascending. */
    async history(row: SessionRow, query: ChatHistoryQuery): Promise<ChatHistoryResponse> {
      const lastSeq = await lastSeqOf(strapi, row.id);
      if (query.after !== undefined) {
        const page = await messagesAfter(strapi, row.id, query.after, query.limit + 1);
        return { messages: page.slice(0, query.limit), hasMore: page.length > query.limit, lastSeq };
      }
      const page = await messagesBefore(strapi, row.id, query.before ?? null, query.limit + 1);
      return { messages: page.slice(-query.limit), hasMore: page.length > query.limit, lastSeq };
    },

    async deleteMessage(who: Participant, row: SessionRow, seq: number) {
      requireModerator(who);
      const message = await findMessage(strapi, row.id, seq);
      if (!message || message.type === 'SYSTEM' || message.deletedAt) throw new RealtimeError('not-found', 'There is no such message (it may have been deleted already)');
      const removed = await deleteMessages(strapi, row.id, { seq });
      if (removed.length === 0) throw new RealtimeError('not-found', 'That message was deleted already');
      await recordModeration(strapi, { sessionId: row.id, action: 'delete', moderatorId: who.userId, moderatorName: who.name, targetUserId: message.userId, detail: { seq, text: message.text.slice(0, 200) } });
      await system(row, 'message-deleted', { removed });
      // CHAT_PROVIDER=ivs-chat: clients reading the IVS room drop it too (stored and socket clients already have).
      await rooms()
        .messageDeleted(row, message, `Deleted by ${who.name}`)
        .catch((error: Error) => strapi.log.warn(`[live] IVS Chat DeleteMessage for seq ${seq} of ${row.documentId} failed: ${error.message}`));
    },

    async mute(who: Participant, row: SessionRow, userId: number, minutes: number): Promise<Date | null> {
      requireModerator(who);
      await requireStudentOf(row, userId);
      const until = minutes > 0 ? new Date(Date.now() + minutes * 60_000) : null;
      await recordModeration(strapi, { sessionId: row.id, action: minutes > 0 ? 'mute' : 'unmute', moderatorId: who.userId, moderatorName: who.name, targetUserId: userId, until, detail: { minutes } });
      gateway().toUser(row.documentId, 'student', userId, 'chat:muted', { until: until?.toISOString() ?? null });
      return until;
    },

    async ban(who: Participant, row: SessionRow, userId: number, reason?: string) {
      requireModerator(who);
      await requireStudentOf(row, userId);
      await recordModeration(strapi, { sessionId: row.id, action: 'ban', moderatorId: who.userId, moderatorName: who.name, targetUserId: userId, detail: reason ? { reason } : {} });
      const removed = await deleteMessages(strapi, row.id, { userId });
      gateway().disconnectUser(row.documentId, 'student', userId, { reason: 'banned', message: 'You were removed from this class by its mentor', reconnect: false });
      await realtimeService(strapi, 'realtimePresence').forget(row, userId);
      await realtimeService(strapi, 'realtimeQuestions').dismissAllOf(row, userId);
      // CHAT_PROVIDER=ivs-chat: their IVS connections close too (join refuses them a new token).
      await rooms()
        .userBanned(row, 'student', userId, reason ?? 'Removed from this class by its mentor')
        .catch((error: Error) => strapi.log.warn(`[live] IVS Chat DisconnectUser for ${userId} in ${row.documentId} failed: ${error.message}`));
      await system(row, 'user-banned', { removed });
    },

    async slowMode(who: Participant, row: SessionRow, seconds: number) {
      requireModerator(who);
      if (seconds !== 0 && !(SLOW_MODE_SECONDS as readonly number[]).includes(seconds)) throw new RealtimeError('bad-request', `seconds must be 0 or one of ${SLOW_MODE_SECONDS.join(', ')}`);
      await sessions(strapi).update({ where: { id: row.id }, data: { chatSlowModeSeconds: seconds } });
      forgetLean(row.documentId);
      await recordModeration(strapi, { sessionId: row.id, action: 'slow-mode', moderatorId: who.userId, moderatorName: who.name, targetUserId: null, detail: { seconds } });
      await system(row, 'slow-mode', { slowModeSeconds: seconds });
    },

    async moderationLog(row: SessionRow): Promise<ModerationEntryDto[]> {
      const entries = await moderationLog(strapi, row.id);
      const names = await studentNames(entries.map((e) => e.targetUserId).filter((id): id is number => id !== null));
      return entries.map((e) => ({
        id: e.id,
        action: e.action,
        at: new Date(e.at).toISOString(),
        moderator: { id: e.moderatorId, name: e.moderatorName ?? 'Mentor' },
        target: e.targetUserId === null ? null : { userId: e.targetUserId, name: names.get(e.targetUserId) ?? 'Student' },
        detail: (typeof e.detail === 'string' ? JSON.parse(e.detail) : e.detail) ?? {},
      }));
    },

    mutedUntil: (row: SessionRow, userId: number) => mutedUntil(strapi, row.id, userId),
  };

  /** Moderation targets are students enrolled in the class's course. */
  async function requireStudentOf(row: SessionRow, userId: number) {
    if (!(await liveService(strapi, 'liveAccess').isEnrolled(userId, row.courseDocumentId))) throw new RealtimeError('not-found', 'There is no such student in this class');
  }

  async function studentNames(ids: number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const users = await strapi.db.query('plugin::users-permissions.user').findMany({ where: { id: { $in: [...new Set(ids)] } }, select: ['id', 'displayName', 'email'] });
    return new Map(users.map((u: any) => [u.id, studentName(u)]));
  }
};

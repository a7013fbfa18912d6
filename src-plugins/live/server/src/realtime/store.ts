import type { Core } from '@strapi/strapi';
import { CHAT_MESSAGE_UID, MODERATION_UID } from './constants';
import type { AuthorRole, ChatMessageDto, MessageType, ModerationAction, ModerationEntryDto, SystemEvent } from './contracts';
import type { SessionRow } from '../sessions/store';

/**
 * Chat persistence: messages with their per-session sequence numbers, and the moderation log.
 * The sequence is a counter on the session row, bumped in the same transaction as the insert, so
 * the stored seqs of a session are gap-free and committed in order — on SQLite and on several
 * PostgreSQL clients alike (the row lock serializes writers).
 */

export type MessageRow = {
  id: number;
  sessionId: number;
  seq: number;
  type: MessageType;
  text: string;
  userId: number | null;
  authorKind: AuthorRole | null;
  authorName: string | null;
  sentAt: string | Date;
  offsetMs: number | string | null;
  system: ChatMessageDto['system'] | null;
  deletedAt: string | Date | null;
  /** CHAT_PROVIDER=ivs-chat: IVS's id of the message when it came through IVS Chat (DeleteMessage needs it). */
  ivsMessageId?: string | null;
};

export type NewMessage = {
  type: MessageType;
  text: string;
  author: { id: number; name: string; role: AuthorRole } | null;
  system?: { event: SystemEvent; removed?: number[]; slowModeSeconds?: number };
  /** Set when the message came through IVS Chat (unique per session: a second copy is refused). */
  ivsMessageId?: string;
  /** The sender's own id for the message (unique per session and author: a re-send is refused). */
  clientId?: string;
};

const MESSAGE_FIELDS = ['id', 'sessionId', 'seq', 'type', 'text', 'userId', 'authorKind', 'authorName', 'sentAt', 'offsetMs', 'system', 'deletedAt', 'ivsMessageId'];

export const messages = (strapi: Core.Strapi) => strapi.db.query(CHAT_MESSAGE_UID as any);
export const moderationActions = (strapi: Core.Strapi) => strapi.db.query(MODERATION_UID as any);

export function toMessageDto(row: MessageRow): ChatMessageDto {
  const system = typeof row.system === 'string' ? JSON.parse(row.system) : row.system;
  return {
    seq: row.seq,
    type: row.type,
    text: row.text,
    sentAt: new Date(row.sentAt).toISOString(),
    offsetMs: row.offsetMs === null || row.offsetMs === undefined ? null : Number(row.offsetMs),
    author: row.userId !== null && row.userId !== undefined && row.authorKind ? { id: row.userId, name: row.authorName ?? '', role: row.authorKind } : null,
    ...(system ? { system } : {}),
  };
}

/** The counter bump, answered with the new value (RETURNING: PostgreSQL, and SQLite ≥ 3.35). */
async function nextSeq(strapi: Core.Strapi, trx: any, sessionId: number, countsAsChat: boolean): Promise<number> {
  const sql = `UPDATE live_sessions SET chat_seq = chat_seq + 1${countsAsChat ? ', chat_messages = chat_messages + 1' : ''} WHERE id = ? RETURNING chat_seq`;
  const result: any = await strapi.db.connection.raw(sql, [sessionId]).transacting(trx);
  const row = Array.isArray(result) ? result[0] : result?.rows?.[0];
  const seq = Number(row?.chat_seq);
  if (!Number.isInteger(seq) || seq < 1) throw new Error(`[live] no chat sequence for session ${sessionId}`);
  return seq;
}

/** Milliseconds from the stream's start (null before the class went live): where a moment sits in the recording. */
export function streamOffsetMs(session: SessionRow, at: Date): number | null {
  const startedAt = session.status === 'LIVE' && session.startedAt ? new Date(session.startedAt).getTime() : null;
  return startedAt === null ? null : Math.max(0, at.getTime() - startedAt);
}

/** Stores a message with the session's next seq; returns it as clients see it. */
export async function appendMessage(strapi: Core.Strapi, session: SessionRow, message: NewMessage, now = new Date()): Promise<ChatMessageDto> {
  const offsetMs = streamOffsetMs(session, now);
  const row = await strapi.db.transaction(async ({ trx }: { trx: any }) => {
    const seq = await nextSeq(strapi, trx, session.id, message.type !== 'SYSTEM');
    return (await messages(strapi).create({
      data: {
        sessionId: session.id,
        seq,
        type: message.type,
        text: message.text,
        userId: message.author?.id ?? null,
        authorKind: message.author?.role ?? null,
        authorName: message.author?.name ?? null,
        sentAt: now,
        offsetMs,
        system: message.system ?? null,
        ivsMessageId: message.ivsMessageId ?? null,
        clientId: message.clientId ?? null,
      },
      select: MESSAGE_FIELDS,
    })) as MessageRow;
  });
  return toMessageDto(row);
}

/** The message this author already sent with this clientId (a re-send after a lost ack), or null. */
export async function findByClientId(strapi: Core.Strapi, sessionId: number, author: { id: number; role: AuthorRole }, clientId: string): Promise<ChatMessageDto | null> {
  const row = (await messages(strapi).findOne({ where: { sessionId, authorKind: author.role, userId: author.id, clientId }, select: MESSAGE_FIELDS })) as MessageRow | null;
  return row ? toMessageDto(row) : null;
}

/** Visible messages with seq > afterSeq, oldest first, at most `limit`. */
export async function messagesAfter(strapi: Core.Strapi, sessionId: number, afterSeq: number, limit: number): Promise<ChatMessageDto[]> {
  const rows = (await messages(strapi).findMany({
    where: { sessionId, seq: { $gt: afterSeq }, deletedAt: { $null: true } },
    orderBy: { seq: 'asc' },
    limit,
    select: MESSAGE_FIELDS,
  })) as MessageRow[];
  return rows.map(toMessageDto);
}

/** The newest visible messages with seq < beforeSeq (or the newest of all), returned oldest first. */
export async function messagesBefore(strapi: Core.Strapi, sessionId: number, beforeSeq: number | null, limit: number): Promise<ChatMessageDto[]> {
  const rows = (await messages(strapi).findMany({
    where: { sessionId, deletedAt: { $null: true }, ...(beforeSeq !== null ? { seq: { $lt: beforeSeq } } : {}) },
    orderBy: { seq: 'desc' },
    limit,
    select: MESSAGE_FIELDS,
  })) as MessageRow[];
  return rows.reverse().map(toMessageDto);
}

/** The highest seq stored for the session (0 when its chat is empty). */
export async function lastSeqOf(strapi: Core.Strapi, sessionId: number): Promise<number> {
  const rows: any[] = await strapi.db.connection('live_sessions').select('chat_seq').where({ id: sessionId });
  return Number(rows[0]?.chat_seq ?? 0);
}

export async function findMessage(strapi: Core.Strapi, sessionId: number, seq: number): Promise<MessageRow | null> {
  return (await messages(strapi).findOne({ where: { sessionId, seq }, select: MESSAGE_FIELDS })) as MessageRow | null;
}

/** Marks messages deleted (only those not already); returns the seqs that were. */
export async function deleteMessages(strapi: Core.Strapi, sessionId: number, where: { seq?: number; userId?: number }, at = new Date()): Promise<number[]> {
  const filter = { sessionId, deletedAt: { $null: true }, type: { $ne: 'SYSTEM' }, ...where };
  const rows = (await messages(strapi).findMany({ where: filter, select: ['id', 'seq'] })) as { id: number; seq: number }[];
  if (rows.length === 0) return [];
  await messages(strapi).updateMany({ where: { id: { $in: rows.map((r) => r.id) }, deletedAt: { $null: true } }, data: { deletedAt: at } });
  return rows.map((r) => r.seq).sort((a, b) => a - b);
}

export type ModerationRow = {
  id: number;
  sessionId: number;
  action: ModerationAction;
  moderatorId: number;
  moderatorName: string | null;
  targetUserId: number | null;
  until: string | Date | null;
  detail: ModerationEntryDto['detail'] | null;
  at: string | Date;
};

export async function recordModeration(
  strapi: Core.Strapi,
  entry: Omit<ModerationRow, 'id' | 'at' | 'until'> & { until?: Date | null },
  at = new Date()
): Promise<void> {
  await moderationActions(strapi).create({ data: { ...entry, until: entry.until ?? null, at } });
}

/**
 * A student's standing in a class in one query (the handshake's hot path): banned, and until
 * when muted (the latest mute or unmute decides).
 */
export async function standingOf(strapi: Core.Strapi, sessionId: number, userId: number, now = new Date()): Promise<{ banned: boolean; mutedUntil: Date | null }> {
  const rows: { action: string; until: string | Date | null }[] = await strapi.db
    .connection('live_moderation_actions')
    .select('action', 'until')
    .where({ session_id: sessionId, target_user_id: userId })
    .whereIn('action', ['ban', 'mute', 'unmute'])
    .orderBy([{ column: 'at', order: 'desc' }, { column: 'id', order: 'desc' }]);
  const banned = rows.some((r) => r.action === 'ban');
  const latest = rows.find((r) => r.action === 'mute' || r.action === 'unmute');
  const until = latest?.action === 'mute' && latest.until ? new Date(latest.until) : null;
  return { banned, mutedUntil: until && until > now ? until : null };
}

/** Is this student banned from the session? (Bans are never lifted: a ban is for this class.) */
export async function isBanned(strapi: Core.Strapi, sessionId: number, userId: number): Promise<boolean> {
  return (await moderationActions(strapi).count({ where: { sessionId, targetUserId: userId, action: 'ban' } })) > 0;
}

/** When the student's mute ends, if they are muted now (the latest mute or unmute decides). */
export async function mutedUntil(strapi: Core.Strapi, sessionId: number, userId: number, now = new Date()): Promise<Date | null> {
  const latest = (await moderationActions(strapi).findOne({
    where: { sessionId, targetUserId: userId, action: { $in: ['mute', 'unmute'] } },
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    select: ['action', 'until'],
  })) as Pick<ModerationRow, 'action' | 'until'> | null;
  if (!latest || latest.action !== 'mute' || !latest.until) return null;
  const until = new Date(latest.until);
  return until > now ? until : null;
}

export async function moderationLog(strapi: Core.Strapi, sessionId: number, limit = 500): Promise<ModerationRow[]> {
  return (await moderationActions(strapi).findMany({ where: { sessionId }, orderBy: [{ at: 'desc' }, { id: 'desc' }], limit })) as ModerationRow[];
}

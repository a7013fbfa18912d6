import type { Core } from '@strapi/strapi';
import { loadEnv } from '@skillyug/config';
import type { IvsChatGrant } from '../contracts';
import { createChatProvider, type ChatProvider, type ChatReader, type IvsChatCapability, type ProviderMessage } from '../providers';
import { ivsUserId, parseIvsUserId } from '../providers/ivs-chat/messaging';
import type { MessageRow } from '../store';
import type { Participant } from './grants';
import { realtimeService } from './registry';
import { forgetLean, requireSessionLean, sessions, type SessionRow } from '../../sessions/store';

const OPEN: SessionRow['status'][] = ['SCHEDULED', 'LIVE'];
/** A reader whose class has had nobody connected for this many sweeps in a row is closed. */
const IDLE_SWEEPS = 2;
const SWEEP_INTERVAL_MS = 30_000;
/** Message ids remembered per reader, so the overlap of a renewal doesn't store a message twice. */
const RECENT_IDS = 500;

type Reading = { reader: Promise<ChatReader>; room: string; idleSweeps: number; recent: string[]; queue: Promise<void> };

const capabilitiesOf = (who: Participant): IvsChatCapability[] =>
  who.capabilities.includes('moderate') ? ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER'] : who.capabilities.includes('send') ? ['SEND_MESSAGE'] : [];

/**
 * The chat provider's rooms for classes (CHAT_PROVIDER=ivs-chat; with socketio every method is a
 * no-op). A class's room is created when it is scheduled or, failing that, on the first join; its
 * ARN is kept on the session. While a class is open and someone is connected, this process reads
 * its room (one read-only connection) and hands every message to the chat service, which stores it
 * and pushes it on the socket like a socket-sent one; a muted or banned sender's message, or one
 * that fails the chat's checks, is deleted at IVS instead. Moderation reaches IVS from here too.
 * With several processes each may read the same room: storage is keyed on IVS's message id.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  let provider: ChatProvider | null = null;
  const creating = new Map<number, Promise<string>>();
  const reading = new Map<string, Reading>();
  let sweeper: NodeJS.Timeout | null = null;

  const get = () => (provider ??= createChatProvider(loadEnv('cms'), strapi.log));
  const warn = (what: string) => (error: Error) => {
    strapi.log.warn(`[live] IVS Chat: ${what}: ${error.message}`);
  };

  async function storedRoom(row: SessionRow): Promise<{ room: string | null; status: SessionRow['status'] }> {
    const fresh = (await sessions(strapi).findOne({ where: { id: row.id }, select: ['chatRoomArn', 'status'] })) as Pick<SessionRow, 'chatRoomArn' | 'status'> | null;
    return { room: fresh?.chatRoomArn ?? null, status: fresh?.status ?? row.status };
  }

  /** Creates the room and keeps it on the session, unless another request (or process) did first. */
  async function createRoom(row: SessionRow): Promise<string> {
    const room = await get().createRoom(row.documentId);
    const { count } = await sessions(strapi).updateMany({ where: { id: row.id, chatRoomArn: { $null: true }, status: { $in: OPEN } }, data: { chatRoomArn: room } });
    forgetLean(row.documentId);
    if (count === 1) return room;
    // Lost a race, or the class closed meanwhile: ours goes, theirs (if any) stays.
    await get().deleteRoom(room).catch(warn(`room ${room} of session ${row.documentId} not deleted`));
    const winner = await storedRoom(row);
    if (!winner.room || !OPEN.includes(winner.status)) throw new Error(`session ${row.documentId} is ${winner.status}: no chat room`);
    return winner.room;
  }

  async function roomOf(row: SessionRow): Promise<string> {
    if (row.chatRoomArn) return row.chatRoomArn;
    const stored = await storedRoom(row);
    if (stored.room) return stored.room;
    let pending = creating.get(row.id);
    if (!pending) {
      pending = createRoom(row).finally(() => creating.delete(row.id));
      creating.set(row.id, pending);
    }
    return pending;
  }

  /** One message from the room, stored in arrival order (a queue per class). */
  function received(documentId: string, entry: Reading, message: ProviderMessage) {
    if (entry.recent.includes(message.id)) return;
    entry.recent.push(message.id);
    if (entry.recent.length > RECENT_IDS) entry.recent.shift();
    entry.queue = entry.queue.then(() => ingest(documentId, entry.room, message)).catch(warn(`message ${message.id} of session ${documentId} not handled`));
  }

  async function ingest(documentId: string, room: string, message: ProviderMessage) {
    const sender = parseIvsUserId(message.sender.userId);
    const row = await requireSessionLean(strapi, documentId);
    const role = message.sender.attributes.role;
    const validRole = sender && (sender.kind === 'student' ? role === 'student' : role === 'mentor' || role === 'admin');
    const outcome =
      sender && validRole
        ? await realtimeService(strapi, 'realtimeChat').ingest(row, {
            ivsMessageId: message.id,
            userId: sender.userId,
            kind: sender.kind,
            name: message.sender.attributes.name ?? '',
            role: role as 'student' | 'mentor' | 'admin',
            text: message.content,
            sentAt: message.sentAt,
          })
        : ({ refused: 'The sender is not a participant of this class' } as const);
    if ('refused' in outcome) await get().deleteMessage(room, message.id, outcome.refused).catch(warn(`refused message ${message.id} not deleted`));
  }

  function stopReading(documentId: string) {
    const entry = reading.get(documentId);
    if (!entry) return;
    reading.delete(documentId);
    entry.reader.then((reader) => reader.close(), () => undefined);
  }

  /** Reads the class's room from this process (once); resolves when connected. */
  function readRoom(row: SessionRow, room: string): Promise<ChatReader> {
    const existing = reading.get(row.documentId);
    if (existing && existing.room === room) {
      existing.idleSweeps = 0;
      return existing.reader;
    }
    stopReading(row.documentId);
    const entry = { room, idleSweeps: 0, recent: [], queue: Promise.resolve() } as Omit<Reading, 'reader'> as Reading;
    entry.reader = get().read(
      room,
      (message) => received(row.documentId, entry, message),
      () => {
        if (reading.get(row.documentId) === entry) reading.delete(row.documentId);
      }
    );
    entry.reader.catch(() => {
      if (reading.get(row.documentId) === entry) reading.delete(row.documentId);
    });
    reading.set(row.documentId, entry);
    return entry.reader;
  }

  /** Closes readers of classes that are over or that nobody has been connected to for a while. */
  async function sweep() {
    const presence = realtimeService(strapi, 'realtimeState').presence;
    for (const [documentId, entry] of reading) {
      try {
        const row = await requireSessionLean(strapi, documentId);
        const connected = (await presence.list(documentId, Date.now())).length > 0;
        entry.idleSweeps = connected ? 0 : entry.idleSweeps + 1;
        if (!OPEN.includes(row.status) || entry.idleSweeps >= IDLE_SWEEPS) stopReading(documentId);
      } catch (error) {
        warn(`sweeping the reader of ${documentId}`)(error as Error);
      }
    }
  }

  return {
    get enabled() {
      return get().hasRooms;
    },

    start() {
      if (!get().hasRooms) return;
      sweeper ??= setInterval(() => void sweep(), SWEEP_INTERVAL_MS);
      sweeper.unref();
    },

    async stop() {
      if (sweeper) clearInterval(sweeper);
      sweeper = null;
      for (const documentId of [...reading.keys()]) stopReading(documentId);
      await provider?.stop();
      provider = null;
    },

    /** A class was scheduled: its room now, so the first join doesn't wait for it. */
    async scheduled(row: SessionRow) {
      if (get().hasRooms) await roomOf(row);
    },

    /**
     * The join's IVS credentials for this participant (and the class's room read from here, so
     * nothing they send is missed). undefined: send over the socket (socketio, or IVS unreachable).
     */
    async grantFor(row: SessionRow, who: Participant): Promise<IvsChatGrant | undefined> {
      if (!get().hasRooms || !OPEN.includes(row.status)) return undefined;
      try {
        const room = await roomOf(row);
        await readRoom(row, room);
        return await get().chatToken(room, { userId: ivsUserId(who.kind, who.userId), name: who.name, role: who.role, capabilities: capabilitiesOf(who) });
      } catch (error) {
        // The socket still carries the chat: this participant sends with 'chat:send'.
        warn(`no chat token for session ${row.documentId}, the client sends over the socket`)(error as Error);
        return undefined;
      }
    },

    /** Someone connected to the class's socket here: keep (or start) reading its room. */
    connected(row: SessionRow) {
      if (!get().hasRooms || !OPEN.includes(row.status)) return;
      roomOf(row)
        .then((room) => readRoom(row, room))
        .catch(warn(`reading the room of session ${row.documentId}`));
    },

    /** The class ended or was cancelled: stop reading and delete its room. */
    async closed(row: SessionRow) {
      if (!get().hasRooms) return;
      stopReading(row.documentId);
      const { room } = await storedRoom(row);
      if (room) await get().deleteRoom(room);
    },

    /** A moderator deleted a message that came through IVS: IVS clients drop it too. */
    async messageDeleted(row: SessionRow, message: Pick<MessageRow, 'ivsMessageId'>, reason: string) {
      if (!get().hasRooms || !message.ivsMessageId) return;
      const { room } = await storedRoom(row);
      if (room) await get().deleteMessage(room, message.ivsMessageId, reason);
    },

    /** A banned student's IVS connections close (their token can't be renewed: join refuses them). */
    async userBanned(row: SessionRow, kind: Participant['kind'], userId: number, reason: string) {
      if (!get().hasRooms) return;
      const { room } = await storedRoom(row);
      if (room) await get().disconnectUser(room, ivsUserId(kind, userId), reason);
    },
  };
};

/**
 * Sending chat messages over Amazon IVS Chat (browser), when the join's realtime grant carries
 * `ivsChat` (CHAT_PROVIDER=ivs-chat): one WebSocket to IVS's messaging endpoint with the chat
 * token as its subprotocol, `SEND_MESSAGE` per message. Receiving stays on the classroom socket
 * (the server stores every IVS message and pushes it there with its seq), so this module only
 * sends, and answers each send with what IVS said: accepted (its MESSAGE echo, matched by
 * RequestId) or refused, in the same error codes and words as the socket's acks.
 */
// First: the messaging schemas are built as the module loads (see zod-jitless.ts).
import './zod-jitless';
import { parseIvsChatFrame, type IvsSendMessage } from '../../../src-plugins/live/server/src/realtime/providers/ivs-chat/messaging';
import type { ChatMessageDto, ErrorCode, IvsChatGrant } from '../../../src-plugins/live/server/src/realtime/contracts';

export type IvsSendOutcome = { ok: true; ivsMessageId: string } | { ok: false; error: { code: ErrorCode | 'offline'; message: string; retryAfterSeconds?: number } };

/** An answer that doesn't come within this counts as a failed send. */
const ANSWER_TIMEOUT_MS = 10_000;

/** IVS's ErrorCode (HTTP-like) in the socket's vocabulary. */
export function errorFromIvs(errorCode: number, errorMessage: string): { code: ErrorCode; message: string; retryAfterSeconds?: number } {
  switch (errorCode) {
    case 429:
      return { code: 'rate-limited', message: "You're sending messages too fast. Try again in 1 s.", retryAfterSeconds: 1 };
    case 403:
    case 401:
      return { code: 'forbidden', message: "You can read this class's chat but not write in it" };
    case 404:
      return { code: 'not-live', message: 'This class has ended: the chat is closed' };
    case 400:
      return { code: 'bad-request', message: errorMessage || 'The message was refused' };
    default:
      return { code: 'unavailable', message: 'Something went wrong on our side: try again' };
  }
}

let requestSeq = 0;
const newRequestId = () => `r${Date.now().toString(36)}${(requestSeq++).toString(36)}`;

/** Opens the connection at once; `send` waits for it. `close` ends it (a new grant needs a new transport). */
export function createIvsChatTransport(grant: IvsChatGrant, createSocket: (url: string, protocol: string) => WebSocket = (url, protocol) => new WebSocket(url, protocol)) {
  const pending = new Map<string, (outcome: IvsSendOutcome) => void>();
  let socket: WebSocket | null = createSocket(grant.messagingUrl, grant.token);
  const opened = new Promise<boolean>((resolve) => {
    socket!.addEventListener('open', () => resolve(true), { once: true });
    socket!.addEventListener('close', () => resolve(false), { once: true });
  });

  socket.addEventListener('message', (event) => {
    const frame = parseIvsChatFrame(String(event.data));
    if (!frame?.RequestId) return;
    const settle = pending.get(frame.RequestId);
    if (!settle) return;
    if (frame.Type === 'MESSAGE') settle({ ok: true, ivsMessageId: frame.Id });
    else if (frame.Type === 'ERROR') settle({ ok: false, error: errorFromIvs(frame.ErrorCode, frame.ErrorMessage) });
  });
  socket.addEventListener('close', () => {
    socket = null;
    for (const settle of pending.values()) settle({ ok: false, error: { code: 'offline', message: 'offline' } });
  });

  return {
    /** Whether the connection is (still) usable; when not, send over the classroom socket. */
    get usable() {
      return socket !== null && socket.readyState <= 1;
    },

    async send(text: string): Promise<IvsSendOutcome> {
      if (!socket || !(await opened) || !socket) return { ok: false, error: { code: 'offline', message: 'offline' } };
      const requestId = newRequestId();
      const frame: IvsSendMessage = { Action: 'SEND_MESSAGE', RequestId: requestId, Content: text };
      return new Promise<IvsSendOutcome>((resolve) => {
        const timer = setTimeout(() => settle({ ok: false, error: { code: 'offline', message: 'no answer' } }), ANSWER_TIMEOUT_MS);
        const settle = (outcome: IvsSendOutcome) => {
          clearTimeout(timer);
          pending.delete(requestId);
          resolve(outcome);
        };
        pending.set(requestId, settle);
        socket!.send(JSON.stringify(frame));
      });
    },

    close() {
      socket?.close(1000);
      socket = null;
    },
  };
}

export type IvsChatTransport = ReturnType<typeof createIvsChatTransport>;

/** What sendThroughIvs reads of the chat client: its state (log, who I am, my mute) and its change feed. */
type ChatView = {
  getState(): { log: { messages: ChatMessageDto[] }; me: { id: number } | null; mutedUntil: string | null };
  subscribe(listener: () => void): () => void;
};

/**
 * Sends over IVS and answers like the socket's `chat:send` ack: with the stored message (the
 * server stores every IVS message and pushes it on the classroom socket, so it appears in the
 * client's log with its seq), or with the refusal. A mute is refused here as the socket would:
 * IVS would accept the message and the server would then delete it.
 */
export async function sendThroughIvs(
  transport: IvsChatTransport,
  text: string,
  chat: ChatView,
  timeoutMs = ANSWER_TIMEOUT_MS
): Promise<{ ok: true; message: ChatMessageDto } | { ok: false; error: { code: ErrorCode | 'offline'; message: string; retryAfterSeconds?: number; until?: string } }> {
  const { mutedUntil, me, log } = chat.getState();
  if (mutedUntil && Date.parse(mutedUntil) > Date.now()) return { ok: false, error: { code: 'muted', message: 'The mentor has muted you for now', until: mutedUntil } };
  const mine = (m: ChatMessageDto) => m.author?.id === me?.id && m.type !== 'SYSTEM' && m.text === text;
  const before = new Set(log.messages.filter(mine).map((m) => m.seq));
  const sent = await transport.send(text);
  if (!sent.ok) return sent;
  const stored = () => chat.getState().log.messages.find((m) => mine(m) && !before.has(m.seq));
  return new Promise((resolve) => {
    const finish = (message: ChatMessageDto | undefined) => {
      unsubscribe();
      clearTimeout(timer);
      resolve(message ? { ok: true, message } : { ok: false, error: { code: 'unavailable', message: 'Sent, but the class has not confirmed it yet' } });
    };
    const unsubscribe = chat.subscribe(() => {
      const message = stored();
      if (message) finish(message);
    });
    const timer = setTimeout(() => finish(stored()), timeoutMs);
    const already = stored();
    if (already) finish(already);
  });
}

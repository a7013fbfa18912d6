/**
 * A server draining for a restart (cms/src/ops/shutdown.ts): it says `server:draining` and closes
 * the transport while a message is on its way. The chat client reconnects by itself (socket.io's
 * own reconnection, not a `bye`) and re-sends the message that wasn't acked with the same
 * clientId; the server's answer to the re-send settles the one send() the student made.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { ChatMessageDto, ReadyEvent } from '../../../../src-plugins/live/server/src/realtime/contracts';
import { createChatClient, type ChatClient } from '../chat-client';
import type { JoinOutcome, RealtimeGrant } from '../live-state';
import { untilChatState as until } from './chat-state';

let http: HttpServer;
let io: Server;
let url: string;
let client: ChatClient | undefined;
/** Every chat:send the server received, in order, and what it stored (once per clientId). */
const received: { text: string; clientId?: string; connection: number }[] = [];
const stored = new Map<string, ChatMessageDto>();
let connections = 0;

const ready = (): ReadyEvent => ({
  session: { id: 'sess0drain001', status: 'LIVE', startedAt: null },
  me: { id: 7, name: 'Asha', role: 'student', capabilities: ['read', 'send'] },
  messages: [...stored.values()],
  fromSeq: 0,
  truncated: false,
  lastSeq: stored.size,
  slowModeSeconds: 0,
  viewers: 1,
  mutedUntil: null,
  classroom: { questions: [], myUpvotes: [], polls: [], myVotes: [], meter: null },
});

beforeEach(async () => {
  received.length = 0;
  stored.clear();
  connections = 0;
  http = createServer();
  io = new Server(http, { path: '/realtime/', transports: ['websocket', 'polling'] });
  io.on('connection', (socket) => {
    const connection = ++connections;
    socket.on('chat:send', (payload: { text: string; clientId?: string }, ack: (reply: unknown) => void) => {
      received.push({ ...payload, connection });
      const key = payload.clientId ?? `no-id-${received.length}`;
      // Stored once per clientId, as the live plugin's chat service does.
      if (!stored.has(key)) stored.set(key, { seq: stored.size + 1, type: 'CHAT', text: payload.text, sentAt: new Date().toISOString(), offsetMs: null, author: { id: 7, name: 'Asha', role: 'student' } });
      if (connection === 1) {
        // The first process drains: stored, but the ack never leaves; the transport closes.
        socket.emit('server:draining', { message: 'The server is restarting: reconnecting…' });
        socket.conn.close();
        return;
      }
      ack({ ok: true, message: stored.get(key), clientId: payload.clientId });
    });
    socket.emit('ready', ready());
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterEach(async () => {
  client?.stop();
  client = undefined;
  await new Promise<void>((resolve) => io.close(() => resolve()));
});


const grant = (): RealtimeGrant => ({ url, path: '/realtime/', token: 'token-one-0123456789', expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(), capabilities: ['read', 'send'] });
const refreshRefused = async (): Promise<JoinOutcome> => ({ ok: false, status: 500, message: 'not expected' });

it('re-sends a message whose ack was lost to a draining server, with the same clientId, and settles once', async () => {
  client = createChatClient({ sessionId: 'sess0drain001', grant: grant(), status: 'LIVE', refreshGrant: refreshRefused });
  client.start();
  await until(client, (s) => s.connection === 'connected');

  const result = await client.send('sent while the server drained');

  expect(result).toMatchObject({ ok: true, message: { seq: 1, text: 'sent while the server drained' } });
  expect(received.map((r) => r.connection)).toEqual([1, 2]);
  expect(received[0].clientId).toMatch(/^[\w-]+$/);
  expect(received[1].clientId).toBe(received[0].clientId);
  expect(stored.size).toBe(1);
  const state = await until(client!, (s) => s.connection === 'connected' && s.resumes === 1);
  expect(state.log.messages.map((m) => m.text)).toEqual(['sent while the server drained']);
});

it('a send the server never answered on a live connection fails after the ack timeout instead of hanging', async () => {
  // Not a drain: the socket stays up, the server just never answers; re-sending would not help.
  io.removeAllListeners('connection');
  io.on('connection', (socket) => {
    socket.on('chat:send', () => undefined);
    socket.emit('ready', ready());
  });
  client = createChatClient({ sessionId: 'sess0drain001', grant: grant(), status: 'LIVE', refreshGrant: refreshRefused });
  client.start();
  await until(client, (s) => s.connection === 'connected');
  const result = await client.send('into the void');
  expect(result).toMatchObject({ ok: false, refusal: { code: 'offline', message: 'no answer' } });
}, 20_000);

// bench:chat's baseline: a bare socket.io 4 broadcast server in a process of its own. Same path,
// same event names and message shape as the product's realtime server, nothing else: no token
// check, no validation, no storage, no presence. Every connection joins one room and gets `ready`
// with the last messages; each `chat:send` gets a seq and is broadcast with `io.to(room).emit`.
// Started by server-process.mjs (`{ type: 'listening', port }` over IPC, then `stats` answers).
import http from 'node:http';
import { Server } from 'socket.io';
import { answerStatsRequests } from './process-stats.mjs';

const ROOM = 'class';
const HISTORY = 50;

const httpServer = http.createServer();
const io = new Server(httpServer, { path: process.env.BENCH_PATH ?? '/realtime/', serveClient: false });
const recent = [];
let lastSeq = 0;

io.on('connection', (socket) => {
  socket.join(ROOM);
  socket.emit('ready', { messages: recent, fromSeq: recent.length ? recent[0].seq - 1 : lastSeq, truncated: false, lastSeq, slowModeSeconds: 0, viewers: 0, mutedUntil: null });
  socket.on('chat:send', (payload, ack) => {
    const message = {
      seq: ++lastSeq,
      type: 'CHAT',
      text: String(payload?.text ?? ''),
      sentAt: new Date().toISOString(),
      offsetMs: null,
      author: { id: 1, name: 'Bench student', role: 'student' },
    };
    recent.push(message);
    if (recent.length > HISTORY) recent.shift();
    io.to(ROOM).emit('chat:message', message);
    if (typeof ack === 'function') ack({ ok: true, message, clientId: payload?.clientId });
  });
});

answerStatsRequests(httpServer);
httpServer.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => process.send?.({ type: 'listening', port: httpServer.address().port }));
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => io.close(() => process.exit(0)));

// bench:chat's client load: one of several worker processes (forked by chat-load.mjs), each holding
// its share of the viewers as real socket.io-client connections, so that no single client process
// is the bottleneck. Commands come over IPC (advanced serialization) and are answered with
// `{ id, ...result }`:
//   connect  open every given viewer's connection at once (the join storm); answer when each has
//            had `ready` (or failed, or the deadline passed), with the times
//   expect   a measured run starts: `count` messages tagged `run` will be sent
//   send     this worker's senders send their scheduled messages (`chat:send` with an ack)
//   collect  per viewer, which of the run's messages arrived (and with the expected seq), the
//            delivery latencies, duplicates and order violations
//   vote     the vote storm: the given viewers each vote once in a poll at their scheduled time
//            (`poll:vote` with an ack), answered with every ack
//   pollSeen per viewer, when the poll's launch reached it and when it first saw the poll's
//            results with a given total (`poll:updated` or `poll:results`)
//   close    disconnect every connection
// A message's text is `bench <run> <k> <sent-at ms>`: the receiver computes its delivery latency
// from the sender's timestamp (one machine, one clock: performance.timeOrigin + performance.now()).
import { io } from 'socket.io-client';

const now = () => performance.timeOrigin + performance.now();
const BENCH_TEXT = /^bench (\S+) (\d+) (\d+(?:\.\d+)?)$/;

/**
 * index → { socket, token, lastSeq, pending, received, viaAck, lastLiveSeq, readyAt, error, reconnects, polls }.
 * `lastSeq` is what chat-log.ts keeps: the highest seq up to which nothing is missing (what a
 * reconnect resumes after), `pending` the seqs seen above it. `polls`: poll id → { launchSeenAt,
 * results: [{ at, total }] } as they arrived (a poll's launch can arrive before the parent knows its id).
 */
const viewers = new Map();
let run = null;

function newRun(id, count) {
  return { id, count, latencies: [], deliveries: 0, duplicates: 0, outOfOrder: 0, firstReceivedAt: Infinity, lastReceivedAt: 0 };
}

/** Every seq seen moves `lastSeq` over the contiguous run, as chat-log.ts's addMessages does. */
function see(viewer, seq) {
  if (seq <= viewer.lastSeq) return;
  viewer.pending.add(seq);
  while (viewer.pending.delete(viewer.lastSeq + 1)) viewer.lastSeq++;
}

/**
 * Marks message `k` of the current run as present in this viewer's log (from the room, a resume,
 * or the sender's own ack); false when it already was (a duplicate). The room's copy of a message
 * the sender already has from its ack is not a duplicate.
 */
function record(viewer, k, seq, { fromAck = false } = {}) {
  if (!run || !viewer.received || k >= run.count) return true;
  if (viewer.received[k] !== 0) {
    if (viewer.viaAck.delete(k)) return true;
    return false;
  }
  viewer.received[k] = seq;
  if (fromAck) viewer.viaAck.add(k);
  return true;
}

function onChatMessage(viewer, message) {
  see(viewer, message.seq);
  const match = BENCH_TEXT.exec(message.text ?? '');
  if (!run || !match || match[1] !== run.id) return;
  const at = now();
  run.deliveries++;
  run.latencies.push(at - Number(match[3]));
  if (at < run.firstReceivedAt) run.firstReceivedAt = at;
  if (at > run.lastReceivedAt) run.lastReceivedAt = at;
  // Two processes may push seq 8 before 7 (each its own); clients order by seq (chat-log.ts). Counted, not lost.
  if (message.seq <= viewer.lastLiveSeq) run.outOfOrder++;
  viewer.lastLiveSeq = Math.max(viewer.lastLiveSeq, message.seq);
  if (!record(viewer, Number(match[2]), message.seq)) run.duplicates++;
}

/** A student sees a poll's results only once revealed: in `poll:updated` (results set) or `poll:results`. */
function onPoll(viewer, id, { launched = false, total = null }) {
  if (typeof id !== 'number') return;
  const at = now();
  let seen = viewer.polls.get(id);
  if (!seen) viewer.polls.set(id, (seen = { launchSeenAt: null, results: [] }));
  if (launched && seen.launchSeenAt === null) seen.launchSeenAt = at;
  if (typeof total === 'number') seen.results.push({ at, total });
}

function onReady(viewer, ready) {
  // As chat-log.ts's resumeLog: a log behind `fromSeq` starts over there.
  if (viewer.lastSeq < ready.fromSeq) {
    viewer.lastSeq = ready.fromSeq;
    for (const seq of viewer.pending) if (seq <= ready.fromSeq) viewer.pending.delete(seq);
  }
  // A resume's `ready` carries what was missed: it counts as received (it is in the client's log), without a latency.
  for (const message of ready.messages ?? []) {
    see(viewer, message.seq);
    const match = BENCH_TEXT.exec(message.text ?? '');
    if (run && match && match[1] === run.id) record(viewer, Number(match[2]), message.seq);
  }
  if (viewer.readyAt === null) viewer.readyAt = now();
  else viewer.reconnects++;
  viewer.settle?.();
}

/** `list`: `[{ index, token, url }]`, all connected at once. */
function connect({ path, list, deadlineMs }) {
  const startedAt = now();
  const created = list.map(({ index, token, url }) => {
    const viewer = { index, token, lastSeq: 0, pending: new Set(), lastLiveSeq: 0, received: null, viaAck: new Set(), readyAt: null, error: null, reconnects: 0, transport: null, settle: null, settled: null, polls: new Map() };
    viewers.set(index, viewer);
    viewer.settled = new Promise((resolve) => {
      viewer.settle = () => {
        viewer.settle = null;
        resolve();
      };
    });
    // What the site's chat island does (docs: server-api): `auth` as a function, so a reconnect sends its lastSeq.
    viewer.socket = io(url, {
      path,
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      forceNew: true,
      auth: (cb) => cb(viewer.lastSeq > 0 ? { token: viewer.token, lastSeq: viewer.lastSeq } : { token: viewer.token }),
    });
    viewer.socket.on('ready', (ready) => onReady(viewer, ready));
    viewer.socket.on('chat:message', (message) => onChatMessage(viewer, message));
    viewer.socket.on('poll:updated', (poll) => onPoll(viewer, poll?.id, { launched: poll?.state === 'open' && !poll.revealed, total: poll?.results?.total ?? null }));
    viewer.socket.on('poll:results', (results) => onPoll(viewer, results?.id, { total: results?.total ?? null }));
    viewer.socket.on('connect', () => (viewer.transport = viewer.socket.io.engine?.transport?.name ?? null));
    viewer.socket.on('bye', (bye) => (viewer.error = `bye: ${bye?.reason}`));
    viewer.socket.on('connect_error', (error) => {
      viewer.error = error?.data?.code ?? error?.message ?? String(error);
      // A refusal by the server (err.data) is final; a transport error is retried by the manager.
      if (!viewer.socket.active) viewer.settle?.();
    });
    return viewer;
  });
  const deadline = new Promise((resolve) => setTimeout(resolve, deadlineMs).unref());
  return Promise.race([Promise.all(created.map((v) => v.settled)), deadline]).then(() => {
    const ready = created.filter((v) => v.readyAt !== null);
    const errors = {};
    const transports = {};
    for (const v of created) {
      if (v.readyAt === null) {
        const reason = v.error ?? 'no ready before the deadline';
        errors[reason] = (errors[reason] ?? 0) + 1;
      } else transports[v.transport] = (transports[v.transport] ?? 0) + 1;
    }
    return {
      startedAt,
      ready: ready.length,
      failed: created.length - ready.length,
      lastReadyAt: ready.reduce((latest, v) => Math.max(latest, v.readyAt), startedAt),
      readyMs: Float64Array.from(ready, (v) => v.readyAt - startedAt),
      errors,
      transports,
    };
  });
}

function expect({ runId, count }) {
  run = newRun(runId, count);
  run.cpuAtStart = process.cpuUsage();
  for (const viewer of viewers.values()) {
    viewer.received = new Int32Array(count);
    viewer.viaAck.clear();
    viewer.lastLiveSeq = 0;
  }
  return {};
}

/** Sends message k at t0 + k × intervalMs from viewer `index`, each with an ack (timeout ackTimeoutMs). */
function send({ runId, t0, intervalMs, messages, ackTimeoutMs }) {
  const acks = [];
  return new Promise((resolve) => {
    let pending = messages.length;
    if (pending === 0) resolve({ acks });
    const done = () => --pending === 0 && resolve({ acks });
    for (const { k, index } of messages) {
      const viewer = viewers.get(index);
      setTimeout(() => {
        const sentAt = now();
        viewer.socket.timeout(ackTimeoutMs).emit('chat:send', { text: `bench ${runId} ${k} ${sentAt.toFixed(3)}`, clientId: `${runId}-${k}` }, (error, ack) => {
          const ackMs = now() - sentAt;
          if (error) acks.push({ k, ok: false, code: 'ack-timeout', ackMs });
          else if (!ack?.ok) acks.push({ k, ok: false, code: ack?.error?.code ?? 'bad-ack', message: ack?.error?.message, ackMs });
          else {
            acks.push({ k, ok: true, seq: ack.message.seq, ackMs });
            // The sender's own message is in its log from the ack, whether or not the room echo reaches it.
            see(viewer, ack.message.seq);
            record(viewer, k, ack.message.seq, { fromAck: true });
          }
          done();
        });
      }, Math.max(0, t0 + k * intervalMs - now()));
    }
  });
}

/**
 * Vote k goes out at t0 + atMs from viewer `index` (`poll:vote`, ack within ackTimeoutMs). Viewers
 * that aren't connected don't vote (`skipped`). Acks: `{ index, ok, code?, sentAt, ackAt }`.
 */
function vote({ pollId, t0, votes, ackTimeoutMs }) {
  const acks = [];
  const scheduled = votes.filter(({ index }) => viewers.get(index)?.socket.connected);
  const skipped = votes.length - scheduled.length;
  return new Promise((resolve) => {
    let pending = scheduled.length;
    if (pending === 0) resolve({ acks, skipped });
    for (const { index, option, atMs } of scheduled) {
      const viewer = viewers.get(index);
      setTimeout(() => {
        const sentAt = now();
        viewer.socket.timeout(ackTimeoutMs).emit('poll:vote', { id: pollId, option }, (error, ack) => {
          const ackAt = now();
          if (error) acks.push({ index, ok: false, code: 'ack-timeout', sentAt, ackAt });
          else if (!ack?.ok) acks.push({ index, ok: false, code: ack?.error?.code ?? 'bad-ack', message: ack?.error?.message, sentAt, ackAt });
          else acks.push({ index, ok: true, sentAt, ackAt });
          if (--pending === 0) resolve({ acks, skipped });
        });
      }, Math.max(0, t0 + atMs - now()));
    }
  });
}

/**
 * Per connected viewer of this worker: when poll `pollId`'s launch reached it (NaN: never), and
 * when it first saw results totalling `total` (NaN: not yet; `lastTotals` counts what those
 * viewers saw last instead, -1 = no results at all).
 */
function pollSeen({ pollId, total }) {
  const launchSeenAt = [];
  const rightAt = [];
  const lastTotals = {};
  for (const viewer of viewers.values()) {
    if (viewer.readyAt === null) continue;
    const seen = viewer.polls.get(pollId);
    launchSeenAt.push(seen?.launchSeenAt ?? NaN);
    const right = seen?.results.find((r) => r.total === total);
    rightAt.push(right ? right.at : NaN);
    if (!right) {
      const last = seen?.results.at(-1)?.total ?? -1;
      lastTotals[last] = (lastTotals[last] ?? 0) + 1;
    }
  }
  return { launchSeenAt: Float64Array.from(launchSeenAt), rightAt: Float64Array.from(rightAt), lastTotals };
}

function collect({ expectedSeqs, latencies = true }) {
  let lost = 0;
  let wrongSeq = 0;
  let viewersMissing = 0;
  let reconnects = 0;
  const disconnected = {};
  for (const viewer of viewers.values()) {
    reconnects += viewer.reconnects;
    if (!viewer.socket.connected) disconnected[viewer.error ?? 'disconnected'] = (disconnected[viewer.error ?? 'disconnected'] ?? 0) + 1;
    let missing = 0;
    for (let k = 0; k < expectedSeqs.length; k++) {
      if (expectedSeqs[k] === 0) continue; // never accepted by the server: not expected anywhere
      if (viewer.received[k] === 0) missing++;
      else if (viewer.received[k] !== expectedSeqs[k]) wrongSeq++;
    }
    lost += missing;
    if (missing > 0) viewersMissing++;
  }
  const cpu = process.cpuUsage(run.cpuAtStart);
  return {
    cpuMicros: cpu.user + cpu.system,
    viewers: viewers.size,
    deliveries: run.deliveries,
    latencies: latencies ? Float64Array.from(run.latencies) : new Float64Array(0),
    firstReceivedAt: run.firstReceivedAt,
    lastReceivedAt: run.lastReceivedAt,
    duplicates: run.duplicates,
    outOfOrder: run.outOfOrder,
    lost,
    wrongSeq,
    viewersMissing,
    reconnects,
    disconnected,
  };
}

function close() {
  for (const viewer of viewers.values()) viewer.socket.disconnect();
  viewers.clear();
  run = null;
  return {};
}

const commands = { connect, expect, send, collect, vote, pollSeen, close };
process.on('message', async ({ id, command, ...args }) => {
  try {
    process.send({ id, ok: true, ...(await commands[command](args)) });
  } catch (error) {
    process.send({ id, ok: false, error: String(error?.stack ?? error) });
  }
});
process.on('disconnect', () => process.exit(0));

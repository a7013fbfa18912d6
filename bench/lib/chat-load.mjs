// bench:chat's client side, seen from the parent: a pool of worker processes (chat-load-worker.mjs)
// holding the viewers' socket.io connections between them, and the figures of a run merged from
// all of them (join storm, deliveries, latency percentiles, loss).
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const workerScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'chat-load-worker.mjs');
const now = () => performance.timeOrigin + performance.now();

/** The p-th percentile (0–100) of an ascending array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Polls until `check()` is true; false after `deadlineMs`. */
export async function until(check, deadlineMs, everyMs = 200) {
  const deadline = performance.now() + deadlineMs;
  while (performance.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return false;
}

function startWorker() {
  const child = fork(workerScript, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let nextId = 0;
  const pending = new Map();
  child.on('message', ({ id, ok, error, ...result }) => {
    const waiter = pending.get(id);
    pending.delete(id);
    if (ok) waiter?.resolve(result);
    else waiter?.reject(new Error(`load worker: ${error}`));
  });
  child.on('exit', (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`load worker exited with ${code}`));
    pending.clear();
  });
  return {
    call(command, args = {}) {
      const id = ++nextId;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, command, ...args }, (error) => error && reject(error));
      });
    },
    stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
    },
  };
}

/** `workerCount` client processes; viewer i lives in worker i % workerCount. */
export function startLoad(workerCount) {
  const workers = Array.from({ length: workerCount }, startWorker);
  const workerOf = (index) => workers[index % workers.length];
  const all = (command, argsFor) => Promise.all(workers.map((worker, w) => worker.call(command, argsFor(w))));

  return {
    /**
     * The join storm: every viewer (`[{ index, token, url }]`) connects at once, spread over the
     * workers; resolves when each has had `ready`, failed, or `deadlineMs` passed.
     */
    async connect({ path: socketPath, viewers, deadlineMs = 60_000 }) {
      const results = await all('connect', (w) => ({ path: socketPath, deadlineMs, list: viewers.filter((v) => v.index % workers.length === w) }));
      const readyMs = Float64Array.from(results.flatMap((r) => [...r.readyMs])).sort();
      const errors = {};
      const transports = {};
      for (const r of results) {
        for (const [reason, count] of Object.entries(r.errors)) errors[reason] = (errors[reason] ?? 0) + count;
        for (const [name, count] of Object.entries(r.transports)) transports[name] = (transports[name] ?? 0) + count;
      }
      const startedAt = Math.min(...results.map((r) => r.startedAt));
      return {
        ready: results.reduce((sum, r) => sum + r.ready, 0),
        failed: results.reduce((sum, r) => sum + r.failed, 0),
        stormSeconds: (Math.max(...results.map((r) => r.lastReadyAt)) - startedAt) / 1000,
        readyP50Ms: percentile(readyMs, 50),
        readyP99Ms: percentile(readyMs, 99),
        errors,
        transports,
      };
    },

    /**
     * A measured run: `count` messages at `rate` per second, message k sent by senders[k % senders.length]
     * (viewer indexes), starting `leadMs` from now. Resolves with every ack (`{ k, ok, seq?, code?, ackMs }`, by k)
     * and the time the first message was due.
     */
    async send({ runId, count, rate, senders, leadMs = 300, ackTimeoutMs = 15_000 }) {
      await all('expect', () => ({ runId, count }));
      const t0 = now() + leadMs;
      const intervalMs = 1000 / rate;
      const byWorker = workers.map(() => []);
      for (let k = 0; k < count; k++) {
        const index = senders[k % senders.length];
        byWorker[workers.indexOf(workerOf(index))].push({ k, index });
      }
      const results = await all('send', (w) => ({ runId, t0, intervalMs, messages: byWorker[w], ackTimeoutMs }));
      const acks = results.flatMap((r) => r.acks).sort((a, b) => a.k - b.k);
      return { acks, t0 };
    },

    /**
     * Per viewer, whether each accepted message (expectedSeqs[k], 0 = never accepted) arrived with
     * that seq, and the merged delivery figures (without `latencies`, no latency percentiles: a cheap progress check).
     */
    async collect(expectedSeqs, { latencies: withLatencies = true } = {}) {
      const results = await all('collect', () => ({ expectedSeqs, latencies: withLatencies }));
      const latencies = Float64Array.from(results.flatMap((r) => [...r.latencies])).sort();
      const sum = (key) => results.reduce((total, r) => total + r[key], 0);
      const disconnected = {};
      for (const r of results) for (const [reason, count] of Object.entries(r.disconnected)) disconnected[reason] = (disconnected[reason] ?? 0) + count;
      return {
        /** The client processes' CPU time since the run started (µs). */
        clientCpuMicros: sum('cpuMicros'),
        viewers: sum('viewers'),
        deliveries: sum('deliveries'),
        firstReceivedAt: Math.min(...results.map((r) => r.firstReceivedAt)),
        lastReceivedAt: Math.max(...results.map((r) => r.lastReceivedAt)),
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        maxMs: latencies.length ? latencies[latencies.length - 1] : NaN,
        lost: sum('lost'),
        wrongSeq: sum('wrongSeq'),
        viewersMissing: sum('viewersMissing'),
        duplicates: sum('duplicates'),
        outOfOrder: sum('outOfOrder'),
        reconnects: sum('reconnects'),
        disconnected,
      };
    },

    /**
     * The vote storm: `votes` (`[{ index, option, atMs }]`) in poll `pollId`, vote j sent by viewer
     * `index` at atMs after a start `leadMs` from now, from the worker holding that viewer. Resolves
     * with every ack (`{ index, ok, code?, sentAt, ackAt }`), the viewers that weren't connected
     * (`skipped`) and the start.
     */
    async vote({ pollId, votes, leadMs = 300, ackTimeoutMs = 15_000 }) {
      const t0 = now() + leadMs;
      const results = await all('vote', (w) => ({ pollId, t0, ackTimeoutMs, votes: votes.filter((v) => v.index % workers.length === w) }));
      return { acks: results.flatMap((r) => r.acks), skipped: results.reduce((sum, r) => sum + r.skipped, 0), t0 };
    },

    /**
     * Over every connected viewer: when poll `pollId`'s launch reached each (NaN: never), when each
     * first saw results totalling `total` (NaN: not yet), and what those not there yet saw last.
     */
    async pollSeen({ pollId, total }) {
      const results = await all('pollSeen', () => ({ pollId, total }));
      const lastTotals = {};
      for (const r of results) for (const [last, count] of Object.entries(r.lastTotals)) lastTotals[last] = (lastTotals[last] ?? 0) + count;
      return {
        launchSeenAt: Float64Array.from(results.flatMap((r) => [...r.launchSeenAt])),
        rightAt: Float64Array.from(results.flatMap((r) => [...r.rightAt])),
        lastTotals,
      };
    },

    close: () => all('close', () => ({})),
    stop: () => workers.forEach((worker) => worker.stop()),
  };
}

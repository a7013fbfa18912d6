// bench:chat's vote storm, on viewers a chat run has already connected: the class's mentor (a
// moderator socket in the bench's own process, connected with the grant of the mentor's own join)
// launches a 4-option poll; every connected viewer votes once, the votes spread evenly over
// `spreadMs`, sent by the worker processes holding the connections; once the mentor's live count
// is right, the mentor reveals the results and every viewer must see the same total.
//
// Figures (one clock: performance.timeOrigin + performance.now(), as the chat latencies):
//   votes_per_s         accepted votes ÷ (last ack − first vote sent)
//   refused             votes without an ok ack (by code in refused_by_code); must be 0
//   moderator_final_s   first vote sent → the mentor's first `poll:results` with total = accepted
//   final_s             first vote sent → the count right everywhere: the mentor's as above, then
//                       (after `poll:reveal`, sent as soon as the mentor's count is right) every
//                       viewer's first `poll:updated`/`poll:results` with total = accepted
//   update_p50/p99_ms   result-update latency: for the k-th vote acknowledged (in ack order), the
//                       time from its ack until the mentor first holds a `poll:results` with
//                       total ≥ k (0 when that push came first). Votes aren't named in a count,
//                       so "a push that includes this vote" is read as "a push counting at least
//                       as many votes as had been acknowledged by then".
//   launch_p99_ms       `poll:create` sent → the launch's `poll:updated` at a viewer
//   cpu_us_per_vote     the servers' CPU time from the first vote to the mentor's right count, per vote
import { io } from 'socket.io-client';
import { percentile, until } from './chat-load.mjs';

const now = () => performance.timeOrigin + performance.now();
const OPTIONS = ['Arrays', 'Objects', 'Closures', 'Promises'];
const round = (value, digits = 1) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : null);

/** The mentor's socket, as the panel connects: resolves once `ready` came; records every `poll:results`. */
async function connectModerator(grant, deadlineMs) {
  const results = [];
  const waiters = new Set();
  const socket = io(grant.url, { path: grant.path, transports: ['websocket'], forceNew: true, reconnection: false, auth: { token: grant.token } });
  socket.on('poll:results', (payload) => {
    results.push({ at: now(), id: payload?.id, total: payload?.total });
    for (const waiter of waiters) waiter();
  });
  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the mentor got no ready')), deadlineMs);
    socket.once('ready', (payload) => (clearTimeout(timer), resolve(payload)));
    socket.once('connect_error', (error) => (clearTimeout(timer), reject(new Error(`the mentor could not connect: ${error?.data?.code ?? error?.message}`))));
  });
  if (!ready.me?.capabilities?.includes('moderate')) throw new Error(`the mentor's grant cannot moderate: ${JSON.stringify(ready.me)}`);
  return {
    results,
    call: (event, payload) => socket.timeout(15_000).emitWithAck(event, payload),
    /** Resolves with the first `poll:results` of `pollId` totalling `total` (null after `deadlineMs`). */
    waitForTotal(pollId, total, deadlineMs) {
      return new Promise((resolve) => {
        const check = () => {
          const hit = results.find((r) => r.id === pollId && r.total === total);
          if (!hit) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
        };
        const timer = setTimeout(() => (waiters.delete(check), resolve(null)), deadlineMs);
        waiters.add(check);
        check();
      });
    },
    close: () => socket.close(),
  };
}

/** Per acknowledged vote (in ack order), the result-update latency defined above; Infinity when no push ever counted it. */
function updateLatencies(okAcks, pushes) {
  const ackTimes = okAcks.map((a) => a.ackAt).sort((a, b) => a - b);
  const latencies = new Float64Array(ackTimes.length);
  let push = 0;
  let counted = -1;
  for (let k = 1; k <= ackTimes.length; k++) {
    while (push < pushes.length && counted < k) counted = Math.max(counted, pushes[push++].total);
    // `push` is one past the first push (in arrival order) counting at least k votes.
    latencies[k - 1] = counted >= k ? Math.max(0, pushes[push - 1].at - ackTimes[k - 1]) : Infinity;
  }
  return latencies.sort();
}

/**
 * Runs the storm for `voterIndexes` (connected viewers, held by `load`) with the mentor's
 * `moderatorGrant`; `serverCpuMicros()` reads the servers' CPU time. Returns the figures above.
 */
export async function runVoteStorm({ label, load, moderatorGrant, voterIndexes, spreadMs, serverCpuMicros, deadlineMs = 30_000 }) {
  const moderator = await connectModerator(moderatorGrant, deadlineMs);
  try {
    const createSentAt = now();
    const created = await moderator.call('poll:create', { poll: { question: `Vote storm (${label}): what comes next?`, options: OPTIONS }, launch: true });
    if (!created?.ok || created.poll?.state !== 'open') throw new Error(`poll:create with launch answered ${JSON.stringify(created)}`);
    const pollId = created.poll.id;

    const votes = voterIndexes.map((index, j) => ({ index, option: j % OPTIONS.length, atMs: (j * spreadMs) / voterIndexes.length }));
    const cpuStart = await serverCpuMicros();
    const { acks, skipped } = await load.vote({ pollId, votes });
    const okAcks = acks.filter((a) => a.ok);
    const accepted = okAcks.length;
    const refusedByCode = {};
    for (const ack of acks) if (!ack.ok) refusedByCode[ack.code] = (refusedByCode[ack.code] ?? 0) + 1;
    const firstSentAt = Math.min(...acks.map((a) => a.sentAt));
    const lastAckAt = Math.max(...acks.map((a) => a.ackAt));

    const moderatorRight = await moderator.waitForTotal(pollId, accepted, deadlineMs);
    const cpuEnd = await serverCpuMicros();
    let revealSentAt = null;
    let seen = await load.pollSeen({ pollId, total: accepted });
    if (moderatorRight) {
      revealSentAt = now();
      const revealed = await moderator.call('poll:reveal', { id: pollId });
      if (!revealed?.ok) throw new Error(`poll:reveal answered ${JSON.stringify(revealed)}`);
      await until(async () => {
        seen = await load.pollSeen({ pollId, total: accepted });
        return seen.rightAt.every(Number.isFinite);
      }, deadlineMs);
    }
    // The mentor ends the poll (not measured): the next runs' joins find it closed.
    await moderator.call('poll:close', { id: pollId });

    const viewersRight = seen.rightAt.filter(Number.isFinite).length;
    const everyoneRightAt = viewersRight === seen.rightAt.length && moderatorRight ? Math.max(moderatorRight.at, ...seen.rightAt) : NaN;
    const pushes = moderator.results.filter((r) => r.id === pollId);
    const latencies = updateLatencies(okAcks, pushes);
    const launchMs = Float64Array.from(seen.launchSeenAt.filter(Number.isFinite), (at) => at - createSentAt).sort();
    const ackMs = Float64Array.from(acks, (a) => a.ackAt - a.sentAt).sort();
    return {
      poll_id: pollId,
      voters: acks.length,
      skipped,
      accepted,
      refused: acks.length - accepted,
      refused_by_code: refusedByCode,
      spread_s: round(spreadMs / 1000, 1),
      votes_per_s: round(accepted / Math.max((lastAckAt - firstSentAt) / 1000, 0.001), 0),
      ack_p50_ms: round(percentile(ackMs, 50)),
      ack_p99_ms: round(percentile(ackMs, 99)),
      moderator_final_s: moderatorRight ? round((moderatorRight.at - firstSentAt) / 1000, 2) : null,
      final_s: Number.isFinite(everyoneRightAt) ? round((everyoneRightAt - firstSentAt) / 1000, 2) : null,
      reveal_to_all_ms: revealSentAt !== null && Number.isFinite(everyoneRightAt) ? round(Math.max(...seen.rightAt) - revealSentAt, 0) : null,
      viewers_right: viewersRight,
      viewers: seen.rightAt.length,
      wrong_totals: seen.lastTotals,
      update_p50_ms: round(percentile(latencies, 50)),
      update_p99_ms: round(percentile(latencies, 99)),
      update_max_ms: round(latencies[latencies.length - 1]),
      updates_never_counted: latencies.filter((l) => l === Infinity).length,
      moderator_pushes: pushes.length,
      moderator_last_total: pushes.at(-1)?.total ?? null,
      launch_p99_ms: round(percentile(launchMs, 99)),
      launch_missed: seen.launchSeenAt.length - launchMs.length,
      cpu_us_per_vote: round((cpuEnd - cpuStart) / Math.max(accepted, 1), 0),
    };
  } finally {
    moderator.close();
  }
}

// npm run bench:chat — one live class's chat at 1,000 and 2,000 connected viewers, next to a bare
// socket.io broadcast server measured in the same run.
//
// Scenarios, each at every viewer count (BENCH_VIEWERS, default 1000,2000):
//   bare   bench/lib/chat-bare-server.mjs: socket.io 4, `io.to(room).emit` per message, nothing else;
//   ours   Strapi (production mode, a fresh seeded SQLite database) with as many enrolled
//          students as viewers in a LIVE class: each viewer is a real student with their own realtime grant
//          (site JWT → GET /api/live/sessions/:id/join → `realtime`), connecting the way the site
//          does (handshake auth, `ready` with history); senders `chat:send` with acks;
//   redis  two Strapi processes on two ports sharing the database, REDIS_URL set (the socket.io
//          Redis adapter), viewers split between them.
// Clients are socket.io-client connections spread over BENCH_WORKERS processes (bench/lib/chat-load*.mjs).
// For each run: a join storm (every viewer connecting at once, until each has had `ready`), a 2 s
// warm-up, then BENCH_RATE messages/s for BENCH_DURATION s from BENCH_SENDERS of the viewers.
// Figures: deliveries/s, p50/p99 delivery latency (the sender's timestamp in the text against the
// receiver's clock: one machine), server CPU over the send phase (and per delivery), server memory
// per 1,000 connections (after − before the storm, both after a full GC: `mem_per_1k_mb` is the
// retained JS heap + buffers, `rss_per_1k_mb` the RSS, which a Strapi that has just served the
// joins doesn't give back), join storm seconds (and server CPU per joining connection), what else
// the machine ran meanwhile (`other_cpu_pct`: it skews every figure but the CPU ones), and loss:
// every viewer must hold every stored message of the run exactly once with its stored seq (so its
// log, ordered by seq as chat-log.ts keeps it, is in order), and (ours) the stored history must
// hold exactly the acknowledged messages. Messages that arrive after a higher seq (two processes
// each pushing their own) are counted as `late`, not lost.
// Then, for ours and redis at the smallest viewer count, on the same connections: a vote storm
// (bench/lib/vote-storm.mjs): the class's mentor launches a 4-option poll, every viewer votes once
// within BENCH_VOTE_SPREAD s (default 5), the mentor reveals the results once the live count is
// right; figures: votes/s accepted, refused (must be 0), seconds until the count is right
// everywhere, p99 result-update latency. The bare server has no polls: its baseline is the chat
// fan-out figures of the same run, printed beside them.
// Ends with one line: BENCH chat {…} with `ratio` = ours ÷ bare deliveries/s at 1,000 viewers, and
// the vote storm's figures under `votes` (and `redis.votes`).
// Targets: ratio ≥ 0.8 at 1,000 and 2,000, p99 ≤ 100 ms at 1,000 viewers, zero loss, memory per
// 1,000 connections ≤ 1.5 × bare, join storm of 1,000 ≤ 5 s.
// BENCH_SCENARIOS=bare,ours,redis picks scenarios; BENCH_CPU_PROFILE=<dir> writes the server
// processes' CPU profiles there (open in Chrome DevTools); BENCH_QUERY_STATS=1 prints the SQL each
// storm and send phase ran, per connection and per message; BENCH_REDIS_URL (default
// redis://127.0.0.1:6379); BENCH_VIEWERS, BENCH_RATE, BENCH_DURATION, BENCH_SENDERS, BENCH_WORKERS,
// BENCH_VOTE_SPREAD (0 skips the vote storm).
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { productionStrapiEnv } from './lib/strapi-env.mjs';
import { compileStrapi, startServerProcess, startStrapiProcess } from './lib/server-process.mjs';
import { startLoad, until } from './lib/chat-load.mjs';
import { runVoteStorm } from './lib/vote-storm.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cmsDir = path.join(root, 'cms');
const requireFromRoot = createRequire(path.join(root, 'package.json'));
const { REALTIME_PATH, CHAT_RATE } = requireFromRoot('./src-plugins/live/dist/server/realtime/contracts.js');

const VIEWER_COUNTS = (process.env.BENCH_VIEWERS ?? '1000,2000').split(',').map(Number);
const RATE = Number(process.env.BENCH_RATE ?? 20);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP_S = 2;
const WORKERS = Number(process.env.BENCH_WORKERS ?? 4);
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? 'bare,ours,redis').split(',');
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PROFILE_DIR = process.env.BENCH_CPU_PROFILE;
const MAX_VIEWERS = Math.max(...VIEWER_COUNTS);
const VOTE_SPREAD_S = Number(process.env.BENCH_VOTE_SPREAD ?? 5);
/** The vote storm runs once per scenario, on the smallest viewer count's connections. */
const VOTE_VIEWERS = Math.min(...VIEWER_COUNTS);

/**
 * Senders are students, so the chat's per-user limits apply: enough of them that none goes past
 * the burst, nor the per-minute budget over a scenario's runs (warm-up + measured, at each viewer
 * count), with half again as many for margin.
 */
const SENDERS = Number(
  process.env.BENCH_SENDERS ??
    Math.ceil(1.5 * Math.max((RATE * CHAT_RATE.burstWindowSeconds) / CHAT_RATE.burst, (VIEWER_COUNTS.length * (WARMUP_S + DURATION_S) * RATE) / CHAT_RATE.perMinute))
);

const progress = (line) => console.log(`[bench] ${line}`);
const mb = (bytes) => bytes / (1024 * 1024);
const round = (value, digits = 1) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : null);

/**
 * `count` sender indexes spread evenly over `viewers`, every other one odd (so with two processes,
 * each process has senders); `shift` moves the set so another scenario's senders are other students.
 */
function senderIndexes(viewers, count, shift) {
  const step = Math.floor(viewers / count);
  return Array.from({ length: count }, (_, j) => {
    const index = j * step + 2 * shift;
    return index % 2 === j % 2 ? index : index + 1;
  });
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i], i);
      }
    })
  );
  return results;
}

/** Each student's (or, with the mentor's admin-panel token, the mentor's) realtime grant from `urlOf(i)`'s join, as the site (or the panel) gets it. */
async function fetchGrants(sessionId, tokens, urlOf) {
  const started = performance.now();
  const grants = await mapLimit(tokens, 50, async (token, i) => {
    const response = await fetch(`${urlOf(i)}/api/live/sessions/${sessionId}/join`, { headers: { authorization: `Bearer ${token}` } });
    const body = await response.json().catch(() => null);
    if (response.status !== 200 || !body?.data?.realtime?.token) throw new Error(`join with token ${i} answered ${response.status}: ${JSON.stringify(body)?.slice(0, 500)}`);
    return body.data.realtime;
  });
  return { grants, seconds: (performance.now() - started) / 1000 };
}

async function chatHistory(url, sessionId, token, after) {
  const messages = [];
  for (let cursor = after; ; ) {
    const response = await fetch(`${url}/api/live/sessions/${sessionId}/chat?after=${cursor}&limit=200`, { headers: { authorization: `Bearer ${token}` } });
    const body = await response.json().catch(() => null);
    if (response.status !== 200 || !Array.isArray(body?.data?.messages)) throw new Error(`chat history answered ${response.status}: ${JSON.stringify(body)?.slice(0, 500)}`);
    messages.push(...body.data.messages);
    if (!body.data.hasMore || body.data.messages.length === 0) return { messages, lastSeq: body.data.lastSeq };
    cursor = body.data.messages.at(-1).seq;
  }
}

/** /proc/stat counts in USER_HZ ticks: 100 a second on Linux. */
const CLOCK_TICKS = 100;

/** The whole machine's busy CPU time (µs, all cores) from /proc/stat: with the servers' and clients' own, what else was running. */
function machineBusyMicros() {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3] + (fields[4] ?? 0);
  const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
  return ((total - idle) * 1e6) / CLOCK_TICKS;
}

/** Summed over the scenario's server processes. */
async function serverStats(servers, options) {
  const all = await Promise.all(servers.map((server) => server.stats(options)));
  return {
    rss: all.reduce((sum, s) => sum + s.rss, 0),
    retained: all.reduce((sum, s) => sum + s.retained, 0),
    queries: all.flatMap((s) => s.queries ?? []),
    cpuMicros: all.reduce((sum, s) => sum + s.cpu.user + s.cpu.system, 0),
    connections: all.reduce((sum, s) => sum + s.connections, 0),
    at: Math.max(...all.map((s) => s.at)),
  };
}

/** BENCH_QUERY_STATS: the statements that took the most time in a phase, per unit of work (a connection, a message). */
function reportQueries(label, queries, units, unitName) {
  if (!process.env.BENCH_QUERY_STATS || queries.length === 0) return;
  const merged = new Map();
  for (const q of queries) {
    const entry = merged.get(q.sql) ?? { sql: q.sql, count: 0, ms: 0 };
    entry.count += q.count;
    entry.ms += q.ms;
    merged.set(q.sql, entry);
  }
  const all = [...merged.values()].sort((a, b) => b.ms - a.ms);
  const total = all.reduce((sum, q) => ({ count: sum.count + q.count, ms: sum.ms + q.ms }), { count: 0, ms: 0 });
  progress(`${label}: ${total.count} SQL statements, ${total.ms.toFixed(0)} ms (${(total.count / units).toFixed(2)} and ${(total.ms / units).toFixed(2)} ms per ${unitName})`);
  for (const q of all.slice(0, 8)) progress(`    ${String(q.count).padStart(6)}×  ${q.ms.toFixed(0).padStart(6)} ms  ${q.sql.replace(/\s+/g, ' ').slice(0, 150)}`);
}

/**
 * One run: the storm, the warm-up, the measured messages, the loss check, the vote storm when
 * `moderatorGrant()` is given (it fetches the mentor's grant), then every connection closed.
 * `viewers`: `[{ index, token, url }]`; `history(after)` (ours) reads the stored chat.
 */
async function measure({ scenario, servers, load, viewers, senders, history, moderatorGrant }) {
  const label = `${scenario} ${viewers.length}`;
  const runId = `${scenario}${viewers.length}`;
  const idle = await serverStats(servers, { gc: true });
  const storm = await load.connect({ path: REALTIME_PATH, viewers });
  const connected = await serverStats(servers, { gc: true });
  progress(
    `${label}: join storm ${storm.ready}/${viewers.length} ready in ${storm.stormSeconds.toFixed(2)} s (per connection p50 ${storm.readyP50Ms.toFixed(0)} ms, p99 ${storm.readyP99Ms.toFixed(0)} ms)` +
      `${storm.failed ? `, ${storm.failed} failed: ${JSON.stringify(storm.errors)}` : ''}; RSS ${mb(idle.rss).toFixed(0)} → ${mb(connected.rss).toFixed(0)} MB, retained ${mb(idle.retained).toFixed(0)} → ${mb(connected.retained).toFixed(0)} MB`
  );
  reportQueries(`${label} join storm`, connected.queries, Math.max(storm.ready, 1), 'connection');
  if (storm.ready === 0) throw new Error(`${label}: no viewer connected: ${JSON.stringify(storm.errors)}`);

  const warm = await load.send({ runId: `${runId}w`, count: WARMUP_S * RATE, rate: RATE, senders });
  const lastSeqBefore = Math.max(0, ...warm.acks.filter((a) => a.ok).map((a) => a.seq));
  const count = DURATION_S * RATE;
  const cpuStart = await serverStats(servers);
  const machineStart = machineBusyMicros();
  const { acks, t0 } = await load.send({ runId, count, rate: RATE, senders });
  const expectedSeqs = new Int32Array(count);
  for (const ack of acks) if (ack.ok) expectedSeqs[ack.k] = ack.seq;
  const accepted = acks.filter((a) => a.ok).length;
  const refused = {};
  for (const ack of acks) if (!ack.ok) refused[ack.code] = (refused[ack.code] ?? 0) + 1;
  // A message whose ack didn't come back in time may still have been stored (and pushed): the
  // stored history says so, and then every viewer must have it too.
  let historyCheck = null;
  let storedWithoutAck = 0;
  if (history) {
    const stored = await history(lastSeqBefore);
    const tagged = new Map();
    let duplicated = 0;
    for (const message of stored.messages) {
      const match = /^bench (\S+) (\d+) /.exec(message.text ?? '');
      if (!match || match[1] !== runId) continue;
      const k = Number(match[2]);
      if (tagged.has(k)) duplicated++;
      tagged.set(k, message.seq);
    }
    let missing = 0;
    let wrongSeq = 0;
    for (let k = 0; k < count; k++) {
      if (expectedSeqs[k] === 0) {
        if (tagged.has(k)) {
          expectedSeqs[k] = tagged.get(k);
          storedWithoutAck++;
        }
      } else if (!tagged.has(k)) missing++;
      else if (tagged.get(k) !== expectedSeqs[k]) wrongSeq++;
    }
    const seqs = stored.messages.map((m) => m.seq);
    const ascending = seqs.every((seq, i) => i === 0 || seq > seqs[i - 1]);
    historyCheck = { missing, wrongSeq, duplicated, storedWithoutAck, ascending };
  }

  // Messages still on their way when the last ack came back: wait until every viewer has every
  // stored message, or nothing more has arrived for 2 s.
  let previous = -1;
  let quietSince = performance.now();
  await until(async () => {
    const progressNow = await load.collect(expectedSeqs, { latencies: false });
    if (progressNow.deliveries !== previous) quietSince = performance.now();
    previous = progressNow.deliveries;
    return progressNow.lost === 0 || performance.now() - quietSince > 2_000;
  }, 20_000);
  const cpuEnd = await serverStats(servers);
  const machineEnd = machineBusyMicros();
  reportQueries(`${label} send phase`, cpuEnd.queries, count, 'message');
  const result = await load.collect(expectedSeqs);

  const seconds = (result.lastReceivedAt - t0) / 1000;
  const cpuSeconds = (cpuEnd.at - cpuStart.at) / 1000;
  const figures = {
    viewers: viewers.length,
    connected: storm.ready,
    sent: count,
    accepted,
    refused,
    deliveries: result.deliveries,
    stored_without_ack: storedWithoutAck,
    expected_deliveries: (accepted + storedWithoutAck) * storm.ready,
    deliveries_per_s: Math.round(result.deliveries / Math.max(seconds, 0.001)),
    p50_ms: round(result.p50Ms),
    p99_ms: round(result.p99Ms),
    max_ms: round(result.maxMs),
    ack_p99_ms: round(acks.map((a) => a.ackMs).sort((a, b) => a - b)[Math.ceil(0.99 * acks.length) - 1]),
    // Everything else on the machine during the send phase (other jobs sharing it make the figures noisy).
    other_cpu_pct: round((100 * (machineEnd - machineStart - (cpuEnd.cpuMicros - cpuStart.cpuMicros) - result.clientCpuMicros)) / 1e6 / Math.max(cpuSeconds, 0.001)),
    client_cpu_pct: round((100 * result.clientCpuMicros) / 1e6 / Math.max((result.lastReceivedAt - t0) / 1000, 0.001)),
    // Load-independent: server CPU time per delivered message, and per connection during the storm.
    cpu_us_per_delivery: round((cpuEnd.cpuMicros - cpuStart.cpuMicros) / Math.max(result.deliveries, 1), 2),
    join_cpu_ms_per_conn: round((connected.cpuMicros - idle.cpuMicros) / 1000 / Math.max(storm.ready, 1), 2),
    cpu_pct: round((100 * (cpuEnd.cpuMicros - cpuStart.cpuMicros)) / 1e6 / Math.max(cpuSeconds, 0.001)),
    rss_idle_mb: round(mb(idle.rss)),
    rss_connected_mb: round(mb(connected.rss)),
    rss_per_1k_mb: round(mb(connected.rss - idle.rss) / (storm.ready / 1000)),
    mem_per_1k_mb: round(mb(connected.retained - idle.retained) / (storm.ready / 1000)),
    join_storm_s: round(storm.stormSeconds, 2),
    join_p99_ms: round(storm.readyP99Ms, 0),
    join_failed: storm.failed,
    lost: result.lost,
    viewers_missing: result.viewersMissing,
    wrong_seq: result.wrongSeq,
    duplicates: result.duplicates,
    out_of_order: result.outOfOrder,
    reconnects: result.reconnects,
    ...(historyCheck ? { history: historyCheck } : {}),
    transports: storm.transports,
  };
  progress(
    `${label}: ${figures.deliveries_per_s} deliveries/s, p50 ${figures.p50_ms} ms, p99 ${figures.p99_ms} ms, CPU ${figures.cpu_pct}% (clients ${figures.client_cpu_pct}%, other processes ${figures.other_cpu_pct}%), ` +
      `${accepted}/${count} accepted${Object.keys(refused).length ? ` (refused ${JSON.stringify(refused)})` : ''}, lost ${figures.lost}` +
      `${historyCheck ? `, history missing ${historyCheck.missing}/duplicated ${historyCheck.duplicated}/wrong seq ${historyCheck.wrongSeq}${storedWithoutAck ? `/stored without an ack ${storedWithoutAck}` : ''}` : ''}`
  );

  // A vote storm that fails is reported with the chat figures it came after, which still count.
  let votes = null;
  if (moderatorGrant) {
    try {
      votes = await runVoteStorm({
        label,
        load,
        moderatorGrant: await moderatorGrant(),
        voterIndexes: viewers.map((v) => v.index),
        spreadMs: VOTE_SPREAD_S * 1000,
        serverCpuMicros: async () => (await serverStats(servers)).cpuMicros,
      });
    } catch (error) {
      votes = { failed: String(error?.message ?? error).slice(0, 400) };
    }
  }
  if (votes) figures.votes = votes;
  if (votes?.failed) progress(`${label} vote storm: FAILED — ${votes.failed}`);
  else if (votes) {
    progress(
      `${label} vote storm: ${votes.accepted}/${votes.voters} votes accepted in ${votes.spread_s} s (${votes.votes_per_s}/s, ack p99 ${votes.ack_p99_ms} ms)` +
        `${votes.refused ? `, refused ${JSON.stringify(votes.refused_by_code)}` : ''}; mentor's count right after ${votes.moderator_final_s} s, ` +
        `everywhere after ${votes.final_s} s (${votes.viewers_right}/${votes.viewers} viewers${Object.keys(votes.wrong_totals).length ? `, others last saw ${JSON.stringify(votes.wrong_totals)}` : ''}); ` +
        `result updates p50 ${votes.update_p50_ms} ms, p99 ${votes.update_p99_ms} ms (${votes.moderator_pushes} pushes to the mentor); launch reached viewers p99 ${votes.launch_p99_ms} ms; ${votes.cpu_us_per_vote} µs server CPU per vote`
    );
  }

  await load.close();
  await until(async () => (await serverStats(servers)).connections <= idle.connections, 30_000);
  return figures;
}

const chatColumns = [
  ['scenario', (r) => r.scenario],
  ['viewers', (r) => r.viewers],
  ['deliv/s', (r) => r.deliveries_per_s],
  ['p50 ms', (r) => r.p50_ms],
  ['p99 ms', (r) => r.p99_ms],
  ['max ms', (r) => r.max_ms],
  ['ack p99', (r) => r.ack_p99_ms],
  ['CPU %', (r) => r.cpu_pct],
  ['CPU µs/deliv', (r) => r.cpu_us_per_delivery],
  ['join CPU ms/conn', (r) => r.join_cpu_ms_per_conn],
  ['clients %', (r) => r.client_cpu_pct],
  ['other %', (r) => r.other_cpu_pct],
  ['RSS MB', (r) => `${r.rss_idle_mb}→${r.rss_connected_mb}`],
  ['RSS MB/1k', (r) => r.rss_per_1k_mb],
  ['heap MB/1k', (r) => r.mem_per_1k_mb],
  ['storm s', (r) => r.join_storm_s],
  ['accepted', (r) => `${r.accepted}/${r.sent}`],
  ['lost', (r) => r.lost],
  ['dup', (r) => r.duplicates],
  ['late', (r) => r.out_of_order],
  ['history', (r) => (r.history ? `${r.history.missing} missing, ${r.history.duplicated} dup, ${r.history.wrongSeq} wrong seq` : '—')],
];

function table(results, columns = chatColumns) {
  const rows = results.map((r) => columns.map(([, get]) => String(get(r) ?? '—')));
  const widths = columns.map(([title], i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((cell, i) => cell.padStart(widths[i])).join('  ');
  return [line(columns.map(([title]) => title)), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The vote storms, beside the chat fan-out of the same scenario and of bare at the same viewer count (bare has no polls). */
function voteTable(results) {
  const chatOf = (scenario, viewers) => results.find((r) => r.scenario === scenario && r.viewers === viewers);
  return table(results.filter((r) => r.votes), [
    ['vote storm', (r) => r.scenario],
    ['voters', (r) => r.votes.voters],
    ['accepted', (r) => r.votes.accepted],
    ['refused', (r) => r.votes.refused],
    ['votes/s', (r) => r.votes.votes_per_s],
    ['vote ack p99', (r) => r.votes.ack_p99_ms],
    ['update p50 ms', (r) => r.votes.update_p50_ms],
    ['update p99 ms', (r) => r.votes.update_p99_ms],
    ['mentor right s', (r) => r.votes.moderator_final_s],
    ['right everywhere s', (r) => r.votes.final_s],
    ['viewers right', (r) => `${r.votes.viewers_right}/${r.votes.viewers}`],
    ['launch p99 ms', (r) => r.votes.launch_p99_ms],
    ['CPU µs/vote', (r) => r.votes.cpu_us_per_vote],
    ['chat deliv/s', (r) => r.deliveries_per_s],
    ['chat p99 ms', (r) => r.p99_ms],
    ['bare deliv/s', (r) => chatOf('bare', r.viewers)?.deliveries_per_s],
    ['bare p99 ms', (r) => chatOf('bare', r.viewers)?.p99_ms],
  ]);
}

const redisReachable = () =>
  new Promise((resolve) => {
    const url = new URL(REDIS_URL);
    const socket = net.connect(Number(url.port || 6379), url.hostname);
    socket.setTimeout(2000);
    socket.once('connect', () => socket.end(() => resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });

// ── Main ─────────────────────────────────────────────────────────────────────────────────────
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skillyug-bench-chat-'));
const uploadsDir = path.join(cmsDir, 'public', 'uploads');
const uploadsBefore = new Set(fs.existsSync(uploadsDir) ? fs.readdirSync(uploadsDir) : []);
const servers = [];
const load = startLoad(WORKERS);
const results = [];
const benchStarted = performance.now();

/** A scenario that fails (a server that won't start, say) is reported, and the others still run. */
const failures = {};
async function scenario(name, run) {
  if (!SCENARIOS.includes(name)) return;
  try {
    await run();
  } catch (error) {
    // The first line of the message, and the child's error line when a server process died.
    const lines = String(error?.message ?? error).split('\n');
    failures[name] = [lines[0], lines.find((line, i) => i > 0 && /\w*Error\b/.test(line))].filter(Boolean).join(' ').slice(0, 400);
    progress(`${name}: FAILED — ${failures[name]}`);
    for (const server of servers.splice(0)) await server.stop().catch(() => {});
    await load.close().catch(() => {});
  }
}

try {
  progress(`${VIEWER_COUNTS.join(' and ')} viewers, ${RATE} messages/s for ${DURATION_S} s from ${SENDERS} senders, clients in ${WORKERS} processes; scenarios ${SCENARIOS.join(', ')}`);

  await scenario('bare', async () => {
    progress('bare: starting the bare socket.io broadcast server…');
    const bare = await startServerProcess({ label: 'bare', script: path.join(root, 'bench', 'lib', 'chat-bare-server.mjs'), cwd: root, profileDir: PROFILE_DIR, env: { ...process.env, BENCH_PATH: REALTIME_PATH } });
    servers.push(bare);
    for (const count of VIEWER_COUNTS) {
      const viewers = Array.from({ length: count }, (_, index) => ({ index, token: `bare-bench-viewer-${index}`, url: bare.url }));
      results.push({ scenario: 'bare', ...(await measure({ scenario: 'bare', servers: [bare], load, viewers, senders: senderIndexes(count, SENDERS, 0) })) });
    }
    await bare.stop();
  });

  const env = { ...productionStrapiEnv(workDir), SQLITE_FILENAME: path.join(workDir, 'bench.db') };
  let fixture = null;
  let grants = null;
  if (SCENARIOS.includes('ours') || SCENARIOS.includes('redis')) {
    progress('compiling Strapi…');
    await compileStrapi();
  }

  await scenario('ours', async () => {
    progress(`ours: starting Strapi (fresh SQLite database, seeding) and preparing ${MAX_VIEWERS} enrolled students and a LIVE class…`);
    const started = performance.now();
    const strapi = await startStrapiProcess({ label: 'ours', env, students: MAX_VIEWERS, fixturePath: path.join(workDir, 'fixture.json'), profileDir: PROFILE_DIR, onLog: (line) => progress(`ours: ${line.replace('[bench] ', '')}`) });
    servers.push(strapi);
    fixture = strapi.fixture;
    progress(`ours: Strapi ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const fetched = await fetchGrants(fixture.sessionId, fixture.tokens, () => strapi.url);
    grants = fetched.grants;
    progress(`ours: ${grants.length} realtime grants from join in ${fetched.seconds.toFixed(1)} s (${Math.round(grants.length / fetched.seconds)} joins/s)`);
    const history = (after) => chatHistory(strapi.url, fixture.sessionId, fixture.tokens[0], after);
    for (const count of VIEWER_COUNTS) {
      const viewers = grants.slice(0, count).map((grant, index) => ({ index, token: grant.token, url: grant.url }));
      const moderatorGrant = count === VOTE_VIEWERS && VOTE_SPREAD_S > 0 ? async () => (await fetchGrants(fixture.sessionId, [fixture.mentorToken], () => strapi.url)).grants[0] : undefined;
      results.push({ scenario: 'ours', ...(await measure({ scenario: 'ours', servers: [strapi], load, viewers, senders: senderIndexes(count, SENDERS, 0), history, moderatorGrant })) });
    }
    await strapi.stop();
  });

  await scenario('redis', async () => {
    if (!(await redisReachable())) {
      progress(`redis: no Redis at ${REDIS_URL}; the two-process scenario is skipped`);
    } else {
      const redisEnv = { ...env, REDIS_URL };
      const students = fixture ? 0 : MAX_VIEWERS;
      progress(`redis: starting two Strapi processes on the same database with REDIS_URL=${REDIS_URL}…`);
      // One after the other: the first seeds (or finds) the database before the second reads it.
      const a = await startStrapiProcess({ label: 'redis-a', env: redisEnv, students, fixturePath: path.join(workDir, 'fixture-redis.json'), profileDir: PROFILE_DIR, onLog: (line) => progress(`redis: ${line.replace('[bench] ', '')}`) });
      servers.push(a);
      fixture ??= a.fixture;
      const b = await startStrapiProcess({ label: 'redis-b', env: redisEnv, profileDir: PROFILE_DIR });
      servers.push(b);
      const processes = [a, b];
      // A grant is for the class, not a process (behind a load balancer any process takes it): the
      // single-process run's grants are reused, each viewer connecting to one of the two in turn.
      if (!grants) {
        const fetched = await fetchGrants(fixture.sessionId, fixture.tokens, (i) => processes[i % 2].url);
        grants = fetched.grants;
        progress(`redis: ${grants.length} realtime grants (alternating processes) in ${fetched.seconds.toFixed(1)} s`);
      }
      const history = (after) => chatHistory(a.url, fixture.sessionId, fixture.tokens[0], after);
      for (const count of VIEWER_COUNTS) {
        const viewers = grants.slice(0, count).map((grant, index) => ({ index, token: grant.token, url: processes[index % 2].url }));
        // The mentor on the first process: votes counted on either reach the mentor through Redis.
        const moderatorGrant = count === VOTE_VIEWERS && VOTE_SPREAD_S > 0 ? async () => (await fetchGrants(fixture.sessionId, [fixture.mentorToken], () => a.url)).grants[0] : undefined;
        results.push({ scenario: 'redis', ...(await measure({ scenario: 'redis', servers: processes, load, viewers, senders: senderIndexes(count, SENDERS, 1), history, moderatorGrant })) });
      }
      await Promise.all(processes.map((p) => p.stop()));
    }
  });

  console.log(`\n${table(results)}\n`);
  if (results.some((r) => r.votes)) console.log(`${voteTable(results)}\n`);

  const find = (scenario, viewers) => results.find((r) => r.scenario === scenario && r.viewers === viewers);
  const [small, large] = [Math.min(...VIEWER_COUNTS), MAX_VIEWERS];
  const ratioAt = (scenario, viewers) => {
    const ours = find(scenario, viewers);
    const bare = find('bare', viewers);
    return ours && bare ? round(ours.deliveries_per_s / bare.deliveries_per_s, 2) : null;
  };
  const runsOf = (scenario) => results.filter((r) => r.scenario === scenario);
  // A viewer without an accepted message (or with it under another seq, or twice), a stored history that differs, a viewer that never got in.
  const lostIn = (scenario) => runsOf(scenario).reduce((sum, r) => sum + r.lost + r.wrong_seq + r.duplicates + (r.history ? r.history.missing + r.history.wrongSeq + r.history.duplicated : 0) + (r.viewers - r.connected), 0);
  // Sends without an ok ack (refused, or no ack in time): not lost (never accepted), but not a clean run either.
  const sendFailuresIn = (scenario) => runsOf(scenario).reduce((sum, r) => sum + (r.sent - r.accepted), 0);
  const summaryOf = (scenario) => {
    const at = find(scenario, small);
    if (!at) return null;
    return {
      ratio: ratioAt(scenario, small),
      [`ratio_${large}`]: ratioAt(scenario, large),
      p99_ms: at.p99_ms,
      p50_ms: at.p50_ms,
      mem_per_1k_mb: at.mem_per_1k_mb,
      join_storm_s: at.join_storm_s,
      cpu_us_per_delivery: at.cpu_us_per_delivery,
      join_cpu_ms_per_conn: at.join_cpu_ms_per_conn,
      lost: lostIn(scenario),
      send_failures: sendFailuresIn(scenario),
      votes: at.votes ?? null,
    };
  };
  const bare = find('bare', small);
  const ours = summaryOf('ours');
  const redis = summaryOf('redis');
  const line = {
    ratio: ours?.ratio ?? null,
    [`ratio_${large}`]: ours?.[`ratio_${large}`] ?? null,
    p99_ms: ours?.p99_ms ?? null,
    p50_ms: ours?.p50_ms ?? null,
    lost: ours?.lost ?? null,
    send_failures: ours?.send_failures ?? null,
    mem_per_1k_mb: ours?.mem_per_1k_mb ?? null,
    bare_mem_per_1k_mb: bare?.mem_per_1k_mb ?? null,
    mem_ratio: ours && bare ? round(ours.mem_per_1k_mb / bare.mem_per_1k_mb, 2) : null,
    join_storm_s: ours?.join_storm_s ?? null,
    bare_join_storm_s: bare?.join_storm_s ?? null,
    bare_p99_ms: bare?.p99_ms ?? null,
    // What the machine's other jobs can't skew: server CPU per delivery and per joining connection.
    cpu_us_per_delivery: ours?.cpu_us_per_delivery ?? null,
    bare_cpu_us_per_delivery: bare?.cpu_us_per_delivery ?? null,
    join_cpu_ms_per_conn: ours?.join_cpu_ms_per_conn ?? null,
    bare_join_cpu_ms_per_conn: bare?.join_cpu_ms_per_conn ?? null,
    other_cpu_pct: Math.max(...results.map((r) => r.other_cpu_pct ?? 0)),
    // The vote storm (ours, at the smallest viewer count); its chat baseline is bare's figures above.
    votes: ours?.votes ?? null,
    redis,
    viewers: VIEWER_COUNTS,
    rate: RATE,
    duration_s: DURATION_S,
    senders: SENDERS,
    workers: WORKERS,
    runs: Object.fromEntries(results.map((r) => [`${r.scenario}_${r.viewers}`, r])),
    bench_s: round((performance.now() - benchStarted) / 1000, 0),
  };
  const checks = ours && bare
    ? {
        [`ratio ≥ 0.8 at ${small}`]: ours.ratio >= 0.8,
        [`ratio ≥ 0.8 at ${large}`]: (ours[`ratio_${large}`] ?? 0) >= 0.8,
        [`p99 ≤ 100 ms at ${small} viewers, ${RATE} msg/s`]: ours.p99_ms <= 100,
        'zero loss': ours.lost === 0 && (redis ? redis.lost === 0 : true),
        'memory per 1,000 connections ≤ 1.5 × bare': line.mem_ratio !== null && line.mem_ratio <= 1.5,
        [`join storm of ${small} ≤ 5 s`]: ours.join_storm_s <= 5,
        ...(VOTE_SPREAD_S > 0
          ? {
              'vote storm: no vote refused': [ours, redis].every((s) => !s || (s.votes?.refused === 0 && s.votes.skipped === 0)),
              'vote storm: the final count right everywhere': [ours, redis].every((s) => !s || typeof s.votes?.final_s === 'number'),
            }
          : {}),
      }
    : {};
  for (const [name, met] of Object.entries(checks)) console.log(`[bench] target ${name}: ${met ? 'met' : 'NOT met'}`);
  const ok = Object.keys(checks).length > 0 && Object.values(checks).every(Boolean) && Object.keys(failures).length === 0;
  console.log(`BENCH chat ${JSON.stringify({ ...line, ...(Object.keys(failures).length ? { failed: failures } : {}), ok })}`);
  if (!ok) process.exitCode = 1;
} finally {
  load.stop();
  for (const server of servers.reverse()) await server.stop().catch(() => {});
  if (fs.existsSync(uploadsDir)) for (const name of fs.readdirSync(uploadsDir)) if (!uploadsBefore.has(name)) fs.rmSync(path.join(uploadsDir, name), { force: true });
  fs.rmSync(workDir, { recursive: true, force: true });
}

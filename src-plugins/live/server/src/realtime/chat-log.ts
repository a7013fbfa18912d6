import type { ChatMessageDto, ReadyEvent } from './contracts';

/**
 * A client's copy of a session's chat, as the site's chat island and the mentor panel keep it:
 * messages ordered by `seq`, each at most once, with deletions and bans applied. Messages can
 * arrive out of order (two Strapi processes store 7 and 8 at the same moment and each pushes its
 * own) and twice (a resume overlaps what was pushed); `lastSeq` is the highest `seq` up to which
 * nothing is missing, which is what a reconnect asks to resume after.
 *
 * Browser-safe and immutable (React state): every operation returns a new log.
 */
export type ChatLog = {
  /** Visible messages, ascending by seq (removed ones are gone). */
  messages: ChatMessageDto[];
  /** Every seq up to here has been seen (applied or removed). */
  lastSeq: number;
  /** Seqs seen above lastSeq (a gap below them is still open). */
  pending: number[];
  /** Seqs removed by a moderator (a late copy of one must not come back). */
  removed: number[];
};

/** Removed seqs remembered at most (older removals can't arrive again in practice). */
const REMOVED_MEMORY = 2_000;
/** Visible messages kept at most (the oldest scroll out). */
export const CHAT_LOG_CAPACITY = 500;

export const emptyChatLog = (lastSeq = 0): ChatLog => ({ messages: [], lastSeq, pending: [], removed: [] });

/** Adds messages (any order, duplicates ignored) and applies the removals system messages carry. */
export function addMessages(log: ChatLog, incoming: ChatMessageDto[]): ChatLog {
  if (incoming.length === 0) return log;
  const bySeq = new Map(log.messages.map((m) => [m.seq, m]));
  const removed = new Set(log.removed);
  const seen = new Set(log.pending);
  let changed = false;
  for (const message of incoming) {
    for (const seq of message.system?.removed ?? []) {
      if (!removed.has(seq)) {
        removed.add(seq);
        changed = true;
      }
      bySeq.delete(seq);
    }
  }
  for (const message of incoming) {
    if (removed.has(message.seq)) {
      seen.add(message.seq);
      continue;
    }
    // A duplicate, or an old message (at or below lastSeq) we no longer hold.
    if (bySeq.has(message.seq) || message.seq <= log.lastSeq) continue;
    bySeq.set(message.seq, message);
    seen.add(message.seq);
    changed = true;
  }
  // Advance lastSeq over the contiguous run.
  let lastSeq = log.lastSeq;
  while (seen.has(lastSeq + 1) || removed.has(lastSeq + 1)) {
    lastSeq += 1;
    seen.delete(lastSeq);
  }
  if (!changed && lastSeq === log.lastSeq) return log;
  const messages = [...bySeq.values()].sort((a, b) => a.seq - b.seq).slice(-CHAT_LOG_CAPACITY);
  return {
    messages,
    lastSeq,
    pending: [...seen].filter((seq) => seq > lastSeq).sort((a, b) => a - b),
    removed: [...removed].sort((a, b) => a - b).slice(-REMOVED_MEMORY),
  };
}

/** Is a gap open (something above lastSeq arrived, something below it didn't)? Then sync after lastSeq. */
export const hasGap = (log: ChatLog) => log.pending.length > 0;

/**
 * Applies a `ready` (connect or reconnect): a log that is behind `fromSeq` (a fresh join, or a
 * resume that missed too much) starts over at it; otherwise the missed messages are added.
 */
export function resumeLog(log: ChatLog, ready: Pick<ReadyEvent, 'messages' | 'fromSeq'>): ChatLog {
  const base = log.lastSeq < ready.fromSeq ? emptyChatLog(ready.fromSeq) : log;
  return addMessages(base, ready.messages);
}

/**
 * Older history ("load earlier", GET …/chat?before=): messages below the oldest one held are
 * put in front; lastSeq doesn't move (they are all below it).
 */
export function prependHistory(log: ChatLog, older: ChatMessageDto[]): ChatLog {
  const oldest = log.messages[0]?.seq ?? log.lastSeq + 1;
  const removed = new Set(log.removed);
  const earlier = older.filter((m) => m.seq < oldest && !removed.has(m.seq)).sort((a, b) => a.seq - b.seq);
  if (earlier.length === 0) return log;
  return { ...log, messages: [...earlier, ...log.messages] };
}

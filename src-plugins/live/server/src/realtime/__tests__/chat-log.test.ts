import { CHAT_LOG_CAPACITY, addMessages, emptyChatLog, hasGap, prependHistory, resumeLog, type ChatLog } from '../chat-log';
import type { ChatMessageDto } from '../contracts';

const chat = (seq: number, text = `message ${seq}`): ChatMessageDto => ({
  seq,
  type: 'CHAT',
  text,
  sentAt: new Date(Date.UTC(2030, 0, 1, 10, 0, seq)).toISOString(),
  offsetMs: seq * 1000,
  author: { id: 7, name: 'Asha', role: 'student' },
});
const deletion = (seq: number, removed: number[]): ChatMessageDto => ({
  seq,
  type: 'SYSTEM',
  text: 'message-deleted',
  sentAt: new Date(Date.UTC(2030, 0, 1, 10, 0, seq)).toISOString(),
  offsetMs: null,
  author: null,
  system: { event: 'message-deleted', removed },
});
const ban = (seq: number, removed: number[]): ChatMessageDto => ({ ...deletion(seq, removed), text: 'user-banned', system: { event: 'user-banned', removed } });

const seqs = (log: ChatLog) => log.messages.map((m) => m.seq);
const add = (log: ChatLog, ...messages: ChatMessageDto[]) => addMessages(log, messages);

describe('the chat log a client keeps', () => {
  it('keeps messages in seq order whatever order they arrive in, and lastSeq only over what has no hole below it', () => {
    let log = add(emptyChatLog(), chat(1), chat(3));
    expect(seqs(log)).toEqual([1, 3]);
    expect(log.lastSeq).toBe(1);
    expect(log.pending).toEqual([3]);
    expect(hasGap(log)).toBe(true);

    log = add(log, chat(5), chat(4));
    expect(seqs(log)).toEqual([1, 3, 4, 5]);
    expect(log.lastSeq).toBe(1);

    log = add(log, chat(2));
    expect(seqs(log)).toEqual([1, 2, 3, 4, 5]);
    expect(log.lastSeq).toBe(5);
    expect(log.pending).toEqual([]);
    expect(hasGap(log)).toBe(false);
  });

  it('ignores duplicates (a resume overlapping what was pushed) without making a new log', () => {
    const log = add(emptyChatLog(), chat(1), chat(2));
    const again = add(log, chat(2), chat(1));
    expect(again).toBe(log);
    expect(add(log, chat(2, 'edited copy')).messages[1].text).toBe('message 2');
    expect(addMessages(log, [])).toBe(log);
  });

  it('drops a deleted message when the removal comes after it, and lastSeq moves over both', () => {
    let log = add(emptyChatLog(), chat(1), chat(2), chat(3));
    log = add(log, deletion(4, [2]));
    expect(seqs(log)).toEqual([1, 3, 4]);
    expect(log.lastSeq).toBe(4);
    expect(log.removed).toEqual([2]);
    // A late copy of the deleted message (another process's push, a resume) must not bring it back.
    log = add(log, chat(2));
    expect(seqs(log)).toEqual([1, 3, 4]);
  });

  it('never shows a message whose removal arrived first, and counts it as seen (no gap to sync)', () => {
    let log = add(emptyChatLog(), chat(1));
    log = add(log, deletion(3, [2]));
    // 2 was removed before it arrived: nothing is missing below 3.
    expect(log.lastSeq).toBe(3);
    expect(hasGap(log)).toBe(false);
    log = add(log, chat(2));
    expect(seqs(log)).toEqual([1, 3]);
    expect(log.lastSeq).toBe(3);
  });

  it('applies a removal and its message arriving in the same batch, in either order', () => {
    const one = add(emptyChatLog(), chat(1), deletion(2, [1]));
    const other = add(emptyChatLog(), deletion(2, [1]), chat(1));
    expect(seqs(one)).toEqual([2]);
    expect(seqs(other)).toEqual([2]);
    expect(one.lastSeq).toBe(2);
    expect(other.lastSeq).toBe(2);
  });

  it('removes every message of a banned student at once, including ones above a gap', () => {
    let log = add(emptyChatLog(), chat(1), chat(2), chat(4));
    expect(log.lastSeq).toBe(2);
    log = add(log, ban(5, [2, 3, 4]));
    expect(seqs(log)).toEqual([1, 5]);
    // 3 was missing, but it is removed: nothing to sync.
    expect(log.lastSeq).toBe(5);
    expect(hasGap(log)).toBe(false);
  });

  it('keeps lastSeq below a gap until it is filled, however much arrives above it', () => {
    let log = add(emptyChatLog(), chat(1), chat(2));
    for (let seq = 4; seq <= 20; seq += 1) log = add(log, chat(seq));
    expect(log.lastSeq).toBe(2);
    expect(log.pending).toEqual(Array.from({ length: 17 }, (_, i) => i + 4));
    log = add(log, chat(3));
    expect(log.lastSeq).toBe(20);
    expect(log.pending).toEqual([]);
  });

  it('holds at most CHAT_LOG_CAPACITY messages (the oldest go), still ordered, and never takes back an old one', () => {
    const many = Array.from({ length: CHAT_LOG_CAPACITY + 25 }, (_, i) => chat(i + 1));
    const log = addMessages(emptyChatLog(), many.toReversed());
    expect(log.messages).toHaveLength(CHAT_LOG_CAPACITY);
    expect(log.messages[0].seq).toBe(26);
    expect(log.messages.at(-1)!.seq).toBe(CHAT_LOG_CAPACITY + 25);
    expect(log.lastSeq).toBe(CHAT_LOG_CAPACITY + 25);
    // A message that scrolled out comes again (an overlapping resume): it stays out.
    expect(add(log, chat(3))).toBe(log);
  });

  it('a fresh join starts at the recent window; a resume adds only what was missed', () => {
    // Fresh: the server's window is 41..50 (fromSeq 40); nothing below is "missing".
    let log = resumeLog(emptyChatLog(), { messages: Array.from({ length: 10 }, (_, i) => chat(41 + i)), fromSeq: 40 });
    expect(log.lastSeq).toBe(50);
    expect(hasGap(log)).toBe(false);
    // Reconnect after 50, with 51 pushed meanwhile: the resume overlaps it.
    log = add(log, chat(51));
    log = resumeLog(log, { messages: [chat(51), chat(52), deletion(53, [45])], fromSeq: 50 });
    expect(seqs(log)).toEqual([41, 42, 43, 44, 46, 47, 48, 49, 50, 51, 52, 53]);
    expect(log.lastSeq).toBe(53);
    // Missed too much (the server's window starts above what we hold): start over there.
    log = resumeLog(log, { messages: [chat(900), chat(901)], fromSeq: 899 });
    expect(seqs(log)).toEqual([900, 901]);
    expect(log.lastSeq).toBe(901);
  });

  it('puts older history in front without moving lastSeq or bringing back removed messages', () => {
    let log = resumeLog(emptyChatLog(), { messages: [chat(11), chat(12), deletion(13, [9])], fromSeq: 10 });
    log = prependHistory(log, [chat(8), chat(9), chat(10), chat(12)]);
    expect(seqs(log)).toEqual([8, 10, 11, 12, 13]);
    expect(log.lastSeq).toBe(13);
  });
});

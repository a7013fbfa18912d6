import { MAX_MESSAGE_LENGTH, type ChatMessageDto } from '../../../../src-plugins/live/server/src/realtime/contracts';
import { MessageAnnouncer, closedText, draftState, durationText, holdsSending, refusalFrom, refusalText, summarize, systemText } from '../chat';

const system = (event: NonNullable<ChatMessageDto['system']>['event'], extra: Partial<NonNullable<ChatMessageDto['system']>> = {}) => ({
  text: event,
  system: { event, ...extra },
});

describe('system messages in words', () => {
  it('says what happened, not the server’s event names', () => {
    expect(systemText(system('class-started'))).toBe('The class has started.');
    expect(systemText(system('class-ended'))).toBe('The class has ended.');
    expect(systemText(system('message-deleted', { removed: [4] }))).toBe('A message was removed.');
    expect(systemText(system('user-banned', { removed: [1, 2] }))).toBe('A student was removed from the class.');
    expect(systemText(system('slow-mode', { slowModeSeconds: 30 }))).toBe('Slow mode on: one message every 30 s.');
    expect(systemText(system('slow-mode', { slowModeSeconds: 0 }))).toBe('Slow mode off.');
    expect(systemText({ text: 'hello' })).toBe('hello');
  });
});

describe('refusals and waits', () => {
  const now = Date.parse('2030-01-01T10:00:00Z');

  it('counts down a rate limit and a slow mode from retryAfterSeconds, then lets the student send', () => {
    const limited = refusalFrom({ code: 'rate-limited', message: 'You’re sending messages too fast. Try again in 4 s.', retryAfterSeconds: 4 }, now);
    expect(limited.retryAt).toBe(now + 4_000);
    expect(refusalText(limited, now)).toBe('You’re sending messages too fast. You can send again in 4 s.');
    expect(refusalText(limited, now + 1_500)).toBe('You’re sending messages too fast. You can send again in 3 s.');
    expect(holdsSending(limited, now + 3_999)).toBe(true);
    expect(holdsSending(limited, now + 4_000)).toBe(false);
    expect(refusalText(limited, now + 4_000)).toBe('You can send again now.');

    const slow = refusalFrom({ code: 'slow-mode', message: 'Slow mode', retryAfterSeconds: 75 }, now);
    expect(refusalText(slow, now, 120)).toBe('Slow mode is on: one message every 2 min. You can send again in 1 min 15 s.');
  });

  it('holds a muted student until the mute ends, and says until when', () => {
    const muted = refusalFrom({ code: 'muted', message: 'The mentor has muted you for now', until: '2030-01-01T10:05:00Z', retryAfterSeconds: 300 }, now);
    expect(muted.retryAt).toBe(Date.parse('2030-01-01T10:05:00Z'));
    expect(refusalText(muted, now, 0, () => '3:35 pm')).toBe('The mentor has muted you until 3:35 pm (5 min left).');
    expect(holdsSending(muted, now + 60_000)).toBe(true);
  });

  it('words the refusals that don’t wait, and never holds sending for them', () => {
    const invalid = refusalFrom({ code: 'bad-request', message: 'text: must not contain control characters' }, now);
    expect(refusalText(invalid, now)).toBe('Not sent: text: must not contain control characters.');
    expect(holdsSending(invalid, now)).toBe(false);
    expect(refusalText(refusalFrom({ code: 'not-live', message: 'over' }, now), now)).toBe('The class has ended: the chat is closed.');
    expect(refusalText({ code: 'offline', message: '', retryAt: null }, now)).toMatch(/^Not sent: you’re offline\./);
    expect(refusalText(refusalFrom({ code: 'too-large', message: 'big' }, now), now)).toBe(`Not sent: a message can be at most ${MAX_MESSAGE_LENGTH} characters.`);
    expect(holdsSending(null, now)).toBe(false);
  });

  it('durations read naturally', () => {
    expect(durationText(0.2)).toBe('1 s');
    expect(durationText(59)).toBe('59 s');
    expect(durationText(60)).toBe('1 min');
    expect(durationText(125)).toBe('2 min 5 s');
  });

  it('a closed chat says why, a ban in the mentor’s words first', () => {
    expect(closedText('banned', 'You were removed from this class by its mentor')).toBe(
      'You were removed from this class by its mentor. You can no longer read or send messages in this class.'
    );
    expect(closedText('banned')).toMatch(/^You were removed from this class by its mentor\./);
    expect(closedText('class-over', 'This class was cancelled')).toBe('This class was cancelled.');
    expect(closedText('class-over')).toBe('The class has ended: the chat is closed.');
    expect(closedText('signed-out')).toBe('Your session has ended. Sign in again to chat.');
  });
});

describe('the send box', () => {
  it('counts what will be sent (trimmed) against the limit', () => {
    expect(draftState('   ')).toEqual({ length: 0, left: MAX_MESSAGE_LENGTH, tooLong: false, sendable: false });
    expect(draftState(' hi\nthere ')).toMatchObject({ length: 8, sendable: true });
    expect(draftState('x'.repeat(MAX_MESSAGE_LENGTH))).toMatchObject({ left: 0, sendable: true, tooLong: false });
    expect(draftState('x'.repeat(MAX_MESSAGE_LENGTH + 3))).toMatchObject({ left: -3, sendable: false, tooLong: true });
  });
});

describe('what a screen reader hears', () => {
  it('one message as it is; several as a count and the latest, long text clipped, newlines flattened', () => {
    expect(summarize([{ author: 'Asha', text: 'hello\nall' }])).toBe('Asha: hello all');
    expect(summarize([{ author: 'Asha', text: 'a' }, { author: null, text: 'A message was removed.' }, { author: 'Ravi', text: 'b' }])).toBe('3 new messages. Latest from Ravi: b');
    const long = summarize([{ author: 'Asha', text: 'y'.repeat(400) }]);
    expect(long.length).toBeLessThan(160);
    expect(long.endsWith('…')).toBe(true);
    expect(summarize([])).toBe('');
  });

  it('announces the first message at once, then at most one summary per interval', () => {
    const announcer = new MessageAnnouncer(5_000);
    const t = 1_000_000;
    expect(announcer.add([{ author: 'Asha', text: 'first' }], t)).toBe('Asha: first');
    expect(announcer.dueAt()).toBeNull();
    // A burst right after: held back, summarised when the interval is up.
    expect(announcer.add([{ author: 'Ravi', text: 'two' }], t + 100)).toBeNull();
    expect(announcer.add([{ author: 'Meera', text: 'three' }, { author: 'Asha', text: 'four' }], t + 200)).toBeNull();
    expect(announcer.dueAt()).toBe(t + 5_000);
    expect(announcer.flush(t + 4_999)).toBeNull();
    expect(announcer.flush(t + 5_000)).toBe('3 new messages. Latest from Asha: four');
    expect(announcer.dueAt()).toBeNull();
    expect(announcer.flush(t + 20_000)).toBeNull();
    // Quiet for longer than the interval: the next one is announced at once again.
    expect(announcer.add([{ author: 'Ravi', text: 'later' }], t + 20_000)).toBe('Ravi: later');
    expect(announcer.add([], t + 30_000)).toBeNull();
  });
});

/**
 * The classroom's chat panel (the Chat tab of the Classroom island on /live/[session]):
 * the class's messages with their authors (a Mentor badge for the mentor and admins), system
 * events in words, and a send box with its limits. The connection, the log and the reconnects
 * live in lib/chat-client.ts (created once by the Classroom island, shared with Q&A and polls);
 * this renders them.
 *
 * - Text only: every message is a React text node (newlines kept by CSS), never HTML.
 * - No layout shift: the message list has a fixed height, the status and feedback lines keep
 *   their room whether they say something or not.
 * - Screen readers: the list is a focusable, labelled log that doesn't speak by itself; a polite
 *   live region summarises new messages at most every few seconds (lib/chat.ts MessageAnnouncer),
 *   and the connection and the send box's feedback have their own polite lines.
 * - It scrolls to new messages only when the student is already at the bottom; otherwise a
 *   "New messages" button says how many arrived below.
 *
 * Test hooks: `data-testid="live-chat"` with `data-chat-state` (connecting | connected |
 * reconnecting | closed), `chat-message` (`data-seq`, `data-type`, `data-author`), `chat-input`,
 * `chat-send`, `chat-feedback`, `chat-status`, `chat-closed`, `chat-new-messages`, `chat-viewers`.
 */
// First: the contracts build zod schemas as they load (see zod-jitless.ts).
import '../lib/zod-jitless';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { MAX_MESSAGE_LENGTH, type ChatMessageDto } from '../../../src-plugins/live/server/src/realtime/contracts';
import { MessageAnnouncer, clockTime, draftState, holdsSending, isMine, refusalText, systemText, type SendRefusal } from '../lib/chat';
import type { ChatClient, ChatState } from '../lib/chat-client';

type Props = {
  /** The classroom's connection (null until the island has started it in the browser). */
  client: ChatClient | null;
  chat: ChatState;
  /** The Chat tab is open (a hidden list can't scroll: it catches up when shown). */
  active: boolean;
};

/** Within this many pixels of the bottom counts as reading the latest. */
const AT_BOTTOM_PX = 32;
/** "You're back" stays this long after a reconnect. */
const BACK_NOTICE_MS = 5_000;
/** A screen reader hears at most one summary of new messages per this long. */
const ANNOUNCE_INTERVAL_MS = 5_000;

// The server renders the panel as it first looks; layout effects run in the browser only.
const useBrowserLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;

export default function ClassroomChat({ client, chat, active }: Props) {
  const [draft, setDraft] = useState('');
  const [sending, setSending] = useState(false);
  const [refusal, setRefusal] = useState<SendRefusal | null>(null);
  const [hint, setHint] = useState('');
  const [now, setNow] = useState(() => Date.now());
  const [backUntil, setBackUntil] = useState(0);
  const [unseen, setUnseen] = useState(0);
  const [announcement, setAnnouncement] = useState('');
  const scroller = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const atBottom = useRef(true);
  const newestShown = useRef(0);
  const announcedThrough = useRef<number | null>(null);
  const announcer = useRef(new MessageAnnouncer(ANNOUNCE_INTERVAL_MS));

  const messages = chat.log.messages;
  const over = chat.status === 'ENDED' || chat.status === 'CANCELLED' || chat.closed?.reason === 'class-over';
  const closed = chat.connection === 'closed' || over;
  const muted = chat.mutedUntil && Date.parse(chat.mutedUntil) > now ? chat.mutedUntil : null;
  // A mute the server told about (ready, chat:muted) holds sending back like a refused send would.
  const hold: SendRefusal | null = muted ? { code: 'muted', message: '', retryAt: Date.parse(muted), until: muted } : refusal;
  const held = holdsSending(hold, now);
  const counting = held || now < backUntil;

  // A clock for the countdowns, ticking only while something counts down.
  useEffect(() => {
    if (!counting) return;
    const ticker = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(ticker);
  }, [counting]);

  // Slow mode switched off: a student waiting out its interval may send at once.
  useEffect(() => {
    if (chat.slowModeSeconds === 0) setRefusal((current) => (current?.code === 'slow-mode' ? null : current));
  }, [chat.slowModeSeconds]);

  useEffect(() => {
    if (chat.resumes === 0) return;
    const at = Date.now();
    setNow(at);
    setBackUntil(at + BACK_NOTICE_MS);
  }, [chat.resumes]);

  // Follow new messages when reading the latest; otherwise count them for the "New messages" button.
  useBrowserLayoutEffect(() => {
    const box = scroller.current;
    const newest = messages.at(-1)?.seq ?? 0;
    if (!box) return;
    if (newest <= newestShown.current) {
      newestShown.current = newest;
      return;
    }
    const arrived = messages.filter((m) => m.seq > newestShown.current).length;
    newestShown.current = newest;
    if (atBottom.current) box.scrollTop = box.scrollHeight;
    else setUnseen((count) => count + arrived);
  }, [messages]);

  // Back on the Chat tab: a reader who was at the latest sees what came meanwhile.
  useBrowserLayoutEffect(() => {
    const box = scroller.current;
    if (active && box && atBottom.current) box.scrollTop = box.scrollHeight;
  }, [active]);

  // Screen readers: other people's new messages, summarised and throttled.
  useEffect(() => {
    if (chat.connection !== 'connected' && announcedThrough.current === null) return;
    const newest = messages.at(-1)?.seq ?? chat.log.lastSeq;
    if (announcedThrough.current === null) {
      // The history on arrival isn't news.
      announcedThrough.current = newest;
      return;
    }
    const through = announcedThrough.current;
    const fresh = messages.filter((m) => m.seq > through && !isMine(m, chat.me));
    announcedThrough.current = Math.max(through, newest);
    const text = announcer.current.add(
      fresh.map((m) => ({ author: m.author?.name ?? null, text: m.author ? m.text : systemText(m) })),
      Date.now()
    );
    if (text) setAnnouncement(text);
  }, [messages, chat.connection, chat.log.lastSeq, chat.me]);

  useEffect(() => {
    const due = announcer.current.dueAt();
    if (due === null) return;
    const timer = setTimeout(() => {
      const text = announcer.current.flush(Date.now());
      if (text) setAnnouncement(text);
    }, Math.max(0, due - Date.now()));
    return () => clearTimeout(timer);
  }, [announcement, messages]);

  const onScroll = () => {
    const box = scroller.current;
    if (!box) return;
    atBottom.current = box.scrollHeight - box.scrollTop - box.clientHeight <= AT_BOTTOM_PX;
    if (atBottom.current) setUnseen(0);
  };

  const scrollToLatest = useCallback((focus: boolean) => {
    const box = scroller.current;
    if (!box) return;
    box.scrollTop = box.scrollHeight;
    atBottom.current = true;
    setUnseen(0);
    if (focus) box.focus();
  }, []);

  const draftInfo = draftState(draft);

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!client || sending || closed) return;
    const at = Date.now();
    setNow(at);
    if (holdsSending(hold, at)) return; // the feedback line already says how long
    if (chat.connection !== 'connected') {
      setHint(chat.connection === 'connecting' ? 'The chat is still connecting: send in a moment.' : 'Not sent: the chat is reconnecting. Your message is still here; send it when you’re back.');
      return;
    }
    if (!draftInfo.sendable) {
      setHint(draftInfo.tooLong ? `Your message is ${-draftInfo.left} characters too long.` : 'Write a message first.');
      return;
    }
    setHint('');
    setSending(true);
    const result = await client.send(draft.trim());
    setSending(false);
    const after = Date.now();
    setNow(after);
    if (result.ok) {
      setDraft('');
      const { slowModeSeconds, me } = client.getState();
      // Slow mode holds students back after each message: say so before they try.
      setRefusal(slowModeSeconds > 0 && me?.role === 'student' ? { code: 'slow-mode', message: '', retryAt: after + slowModeSeconds * 1000 } : null);
      scrollToLatest(false);
    } else {
      // A mute is held by the chat's state (it ends, or the mentor lifts it, without another send).
      setRefusal(result.refusal.code === 'muted' ? null : result.refusal);
    }
    input.current?.focus();
  }

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
  };

  const connectionText =
    chat.connection === 'connecting'
      ? 'Connecting to the chat…'
      : chat.connection === 'reconnecting'
        ? 'Reconnecting…'
        : chat.connection === 'connected' && now < backUntil
          ? 'You’re back.'
          : '';
  const slowModeText = chat.slowModeSeconds > 0 && !closed ? `Slow mode: one message every ${chat.slowModeSeconds} s.` : '';
  // A wait that has run out says nothing more; other refusals stay until the next send.
  const feedback = hint || (hold && (held || hold.retryAt === null) ? refusalText(hold, now, chat.slowModeSeconds) : '');
  const closedMessage = chat.closed?.message ?? (chat.status === 'CANCELLED' ? 'The class was cancelled: the chat is closed.' : 'The class has ended: the chat is closed.');

  return (
    <div className="flex h-full flex-col" data-testid="live-chat" data-chat-state={over && chat.connection !== 'closed' ? 'closed' : chat.connection}>
      <div className="flex min-h-10 shrink-0 flex-wrap items-center gap-x-3 px-4 py-2 text-sm">
        <p role="status" className={chat.connection === 'reconnecting' ? 'font-semibold text-amber-800' : 'text-slate-700'} data-testid="chat-status">
          {connectionText}
        </p>
        {slowModeText && (
          <p className="text-slate-700" data-testid="chat-slow-mode">
            {slowModeText}
          </p>
        )}
        <p className="ml-auto text-slate-700" data-testid="chat-viewers">
          {chat.viewers === null ? '\u00a0' : `${chat.viewers} watching`}
        </p>
      </div>

      <div className="relative min-h-0 flex-1">
        <div
          ref={scroller}
          onScroll={onScroll}
          role="log"
          aria-live="off"
          aria-label="Chat messages"
          tabIndex={0}
          className="focus-ring h-full overflow-y-auto px-4 py-2"
          data-testid="chat-messages"
        >
          {messages.length === 0 ? (
            <p className="py-6 text-center text-sm text-slate-700">{chat.connection === 'connected' ? 'No messages yet. Say hello to the class!' : '\u00a0'}</p>
          ) : (
            <ol className="space-y-3" role="list">
              {messages.map((message) => (
                <ChatItem key={message.seq} message={message} mine={isMine(message, chat.me)} />
              ))}
            </ol>
          )}
        </div>
        {unseen > 0 && (
          <button
            type="button"
            onClick={() => scrollToLatest(true)}
            className="btn-primary absolute bottom-3 left-1/2 min-h-9 -translate-x-1/2 rounded-full py-1 shadow"
            data-testid="chat-new-messages"
          >
            {unseen === 1 ? '1 new message' : `${unseen} new messages`} <span aria-hidden="true">↓</span>
          </button>
        )}
      </div>

      <div className="min-h-40 shrink-0 border-t border-slate-200 p-3">
        {closed ? (
          <p className="rounded-lg bg-slate-100 p-3 text-sm text-slate-900" role="status" data-testid="chat-closed" data-reason={chat.closed?.reason ?? 'class-over'}>
            {closedMessage}
          </p>
        ) : (
          <form onSubmit={(event) => void submit(event)} noValidate>
            <label htmlFor="chat-input" className="sr-only">
              Message to the class
            </label>
            <textarea
              id="chat-input"
              ref={input}
              value={draft}
              onChange={(event) => {
                setDraft(event.target.value);
                if (hint) setHint('');
              }}
              onKeyDown={onKeyDown}
              rows={2}
              placeholder="Write a message…"
              aria-describedby="chat-counter chat-feedback chat-keys"
              aria-invalid={draftInfo.tooLong || undefined}
              className="field resize-none"
              data-testid="chat-input"
            />
            <p id="chat-keys" className="sr-only">
              Enter sends, Shift and Enter starts a new line.
            </p>
            <div className="mt-2 flex items-start justify-between gap-3">
              <p id="chat-feedback" aria-live="polite" className="min-h-10 flex-1 text-sm text-slate-800" data-testid="chat-feedback" data-code={hint ? 'draft' : feedback ? hold?.code : undefined}>
                {feedback}
              </p>
              <div className="flex shrink-0 items-center gap-3">
                <span id="chat-counter" className={draftInfo.tooLong ? 'text-xs font-semibold text-red-700' : 'text-xs text-slate-700'} data-testid="chat-counter">
                  {draftInfo.length}/{MAX_MESSAGE_LENGTH}
                </span>
                <button
                  type="submit"
                  className="btn-primary aria-disabled:cursor-not-allowed aria-disabled:opacity-60"
                  aria-disabled={held || sending || chat.connection !== 'connected' || undefined}
                  data-testid="chat-send"
                >
                  {sending ? 'Sending…' : 'Send'}
                </button>
              </div>
            </div>
          </form>
        )}
      </div>

      <p className="sr-only" aria-live="polite" aria-atomic="true" data-testid="chat-announcer">
        {announcement}
      </p>
    </div>
  );
}

function ChatItem({ message, mine }: { message: ChatMessageDto; mine: boolean }) {
  if (!message.author) {
    return (
      <li className="text-center text-sm text-slate-700 italic" data-testid="chat-message" data-seq={message.seq} data-type="SYSTEM">
        {systemText(message)}
      </li>
    );
  }
  const staff = message.author.role === 'mentor' || message.author.role === 'admin';
  return (
    <li data-testid="chat-message" data-seq={message.seq} data-type={message.type} data-author={message.author.name}>
      <p className="flex flex-wrap items-baseline gap-x-2 text-sm">
        <span className="font-semibold text-slate-900" data-testid="chat-author">
          {message.author.name}
        </span>
        {staff && (
          <span className="rounded-full bg-brand-100 px-2 py-0.5 text-xs font-semibold text-brand-900" data-testid="chat-mentor-badge">
            Mentor
          </span>
        )}
        {mine && <span className="text-xs text-slate-700">(you)</span>}
        <time dateTime={message.sentAt} className="text-xs text-slate-700">
          {clockTime(message.sentAt)}
        </time>
      </p>
      <p className="mt-0.5 break-words whitespace-pre-wrap text-slate-900" data-testid="chat-text">
        {message.text}
      </p>
    </li>
  );
}

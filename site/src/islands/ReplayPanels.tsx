/**
 * The class beside a recording (rendered by ReplayPlayer): Chat, Q&A and Polls tabs showing the
 * class as it was at the video's current moment — the classroom's panels (Classroom.tsx) replayed,
 * with the same look and the same WAI-ARIA tabs, read-only. The moment comes from lib/replay.ts;
 * this only renders it.
 *
 * - Chat: the last messages sent by then, oldest first, following the newest while the reader is
 *   at the bottom (and after every seek). Text only (React text nodes, newlines kept by CSS).
 * - Q&A: the questions asked by then, newest first, "Answered" once the mentor had answered.
 * - Polls: the polls launched by then, newest first: open ones with their options, closed ones
 *   with their results (bars with the same figures as text, a quiz's answer marked).
 * - A badge on a tab counts what appeared while it wasn't open; a polite line says when a poll or
 *   a question comes up as the video plays (not after a seek).
 *
 * Test hooks: `replay-panels`, `replay-tab-{chat,qa,polls}` with `replay-badge`, `replay-chat`,
 * `replay-message` (`data-id`, `data-at-ms`), `replay-question` (`data-question-id`,
 * `data-answered`), `replay-poll` (`data-poll-id`, `data-closed`), `replay-poll-result`
 * (`data-correct`), `replay-announcer`.
 */
import { memo, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { ClassTabs, type TabBadge } from './ClassTabs';
import { resultLine } from '../lib/classroom';
import { clockText, type ReplayChatMessage, type ReplayMoment, type ReplayPollAt, type ReplayQuestionAt } from '../lib/replay';

export const REPLAY_TABS = [
  { id: 'chat', label: 'Chat' },
  { id: 'qa', label: 'Q&A' },
  { id: 'polls', label: 'Polls' },
] as const;
export type ReplayTabId = (typeof REPLAY_TABS)[number]['id'];

type Props = {
  moment: ReplayMoment;
  /** Whether the class had any of each at all (the empty states say "none in this class" vs "none yet"). */
  totals: { chat: number; questions: number; polls: number };
  tab: ReplayTabId;
  onTab: (tab: ReplayTabId) => void;
  /** Bumped on every seek: the chat jumps to its newest message, nothing is announced. */
  seekCount: number;
};

/** Within this many pixels of the bottom counts as reading the latest. */
const AT_BOTTOM_PX = 32;

// The server renders the panels as they first look; layout effects run in the browser only.
const useBrowserLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;

function ReplayPanels({ moment, totals, tab, onTab, seekCount }: Props) {
  const counts: Record<ReplayTabId, number> = { chat: moment.chatTotal, qa: moment.questions.length, polls: moment.polls.length };

  // ── Badges: what appeared while a tab wasn't open. A seek isn't news: everything up to the new
  // moment counts as seen (and a seek back lowers what counts as seen). ──
  const [seen, setSeen] = useState<Record<ReplayTabId, number>>(() => ({ ...counts }));
  const lastSeek = useRef(seekCount);
  const chatTotal = moment.chatTotal;
  const questionTotal = moment.questions.length;
  const pollTotal = moment.polls.length;
  useEffect(() => {
    const now: Record<ReplayTabId, number> = { chat: chatTotal, qa: questionTotal, polls: pollTotal };
    const seeked = lastSeek.current !== seekCount;
    lastSeek.current = seekCount;
    setSeen((previous) => {
      const next = { ...previous };
      for (const { id } of REPLAY_TABS) next[id] = seeked || id === tab ? now[id] : Math.min(previous[id], now[id]);
      return REPLAY_TABS.every(({ id }) => next[id] === previous[id]) ? previous : next;
    });
  }, [tab, chatTotal, questionTotal, pollTotal, seekCount]);

  const badges = Object.fromEntries(
    REPLAY_TABS.map(({ id }) => {
      const fresh = tab === id ? 0 : Math.max(0, counts[id] - seen[id]);
      return [id, fresh > 0 ? { text: fresh > 99 ? '99+' : String(fresh), spoken: `${fresh} new` } : null];
    })
  ) as Record<ReplayTabId, TabBadge>;

  // ── One polite line when a question or a poll comes up as the video plays ──
  const [announcement, setAnnouncement] = useState('');
  const announced = useRef({ questions: moment.questions.length, polls: moment.polls.length, seekCount });
  useEffect(() => {
    const before = announced.current;
    announced.current = { questions: moment.questions.length, polls: moment.polls.length, seekCount };
    if (seekCount !== before.seekCount) return;
    const poll = moment.polls.length > before.polls ? moment.polls.at(-1) : undefined;
    const question = moment.questions.length > before.questions ? moment.questions.at(-1) : undefined;
    if (poll) setAnnouncement(`${poll.kind === 'quiz' ? 'Quiz' : 'Poll'} in the class: ${poll.question}`);
    else if (question) setAnnouncement(`Question from ${question.authorName}: ${question.text}`);
  }, [moment.questions, moment.polls, seekCount]);

  return (
    <section aria-labelledby="replay-panels-heading" className="card flex flex-col" data-testid="replay-panels">
      <h2 id="replay-panels-heading" className="sr-only">
        The class at this moment
      </h2>
      <ClassTabs tabs={REPLAY_TABS} active={tab} onSelect={onTab} badges={badges} idPrefix="replay" label="The class" />

      <div className="h-[28rem] lg:h-[34rem]">
        <div role="tabpanel" id="replay-panel-chat" aria-labelledby="replay-tab-chat" hidden={tab !== 'chat'} className="h-full">
          <ChatPanel messages={moment.chat} total={moment.chatTotal} classTotal={totals.chat} active={tab === 'chat'} seekCount={seekCount} />
        </div>
        <div role="tabpanel" id="replay-panel-qa" aria-labelledby="replay-tab-qa" hidden={tab !== 'qa'} className="h-full">
          <QuestionsPanel questions={moment.questions} classTotal={totals.questions} />
        </div>
        <div role="tabpanel" id="replay-panel-polls" aria-labelledby="replay-tab-polls" hidden={tab !== 'polls'} className="h-full">
          <PollsPanel polls={moment.polls} classTotal={totals.polls} />
        </div>
      </div>

      <p className="sr-only" aria-live="polite" aria-atomic="true" data-testid="replay-announcer">
        {announcement}
      </p>
    </section>
  );
}

export default memo(ReplayPanels);

const ChatPanel = memo(function ChatPanel({ messages, total, classTotal, active, seekCount }: { messages: ReplayChatMessage[]; total: number; classTotal: number; active: boolean; seekCount: number }) {
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const newest = messages.at(-1)?.id ?? null;

  // Follow the newest message while the reader is at the bottom; a seek (or coming back to the tab) goes to the newest.
  useBrowserLayoutEffect(() => {
    const box = scroller.current;
    if (box && atBottom.current) box.scrollTop = box.scrollHeight;
  }, [newest, active]);
  useBrowserLayoutEffect(() => {
    const box = scroller.current;
    if (!box) return;
    box.scrollTop = box.scrollHeight;
    atBottom.current = true;
  }, [seekCount]);

  const onScroll = () => {
    const box = scroller.current;
    if (box) atBottom.current = box.scrollHeight - box.scrollTop - box.clientHeight <= AT_BOTTOM_PX;
  };

  return (
    <div className="flex h-full flex-col" data-testid="replay-chat">
      <p className="min-h-10 shrink-0 px-4 py-2 text-sm text-slate-700">
        {total > messages.length
          ? `The last ${messages.length} of ${total} messages so far.`
          : classTotal > 0
            ? `${total} of ${classTotal} ${classTotal === 1 ? 'message' : 'messages'} so far.`
            : '\u00a0'}
      </p>
      <div
        ref={scroller}
        onScroll={onScroll}
        role="log"
        aria-live="off"
        aria-label="Chat messages"
        tabIndex={0}
        className="focus-ring min-h-0 flex-1 overflow-y-auto px-4 py-2"
        data-testid="replay-chat-messages"
      >
        {messages.length === 0 ? (
          <p className="py-6 text-center text-sm text-slate-700">{classTotal === 0 ? 'No one wrote in the chat during this class.' : 'No messages yet at this point of the class.'}</p>
        ) : (
          <ol className="space-y-3" role="list">
            {messages.map((message) => (
              <ChatItem key={message.id} message={message} />
            ))}
          </ol>
        )}
      </div>
    </div>
  );
});

function ChatItem({ message }: { message: ReplayChatMessage }) {
  const staff = message.authorRole === 'mentor' || message.authorRole === 'admin';
  return (
    <li data-testid="replay-message" data-id={message.id} data-at-ms={message.atMs} data-author={message.authorName}>
      <p className="flex flex-wrap items-baseline gap-x-2 text-sm">
        <span className="font-semibold text-slate-900">{message.authorName}</span>
        {staff && <span className="rounded-full bg-brand-100 px-2 py-0.5 text-xs font-semibold text-brand-900">Mentor</span>}
        <span className="text-xs text-slate-700">
          <span className="sr-only">at </span>
          {clockText(message.atMs)}
        </span>
      </p>
      <p className="mt-0.5 break-words whitespace-pre-wrap text-slate-900" data-testid="replay-message-text">
        {message.text}
      </p>
    </li>
  );
}

const QuestionsPanel = memo(function QuestionsPanel({ questions, classTotal }: { questions: ReplayQuestionAt[]; classTotal: number }) {
  const newestFirst = questions.toReversed();
  return (
    <div className="focus-ring h-full overflow-y-auto px-3 py-2" tabIndex={0} role="region" aria-label="Questions" data-testid="replay-questions">
      {newestFirst.length === 0 ? (
        <p className="py-6 text-center text-sm text-slate-700">{classTotal === 0 ? 'No questions were asked in this class.' : 'No questions yet at this point of the class.'}</p>
      ) : (
        <ol className="space-y-2" role="list">
          {newestFirst.map((question) => (
            <li key={question.id} className="rounded-lg border border-slate-200 p-3" data-testid="replay-question" data-question-id={question.id} data-answered={question.answered}>
              <p className="break-words whitespace-pre-wrap text-slate-900" data-testid="replay-question-text">
                {question.text}
              </p>
              <div className="mt-2 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
                <span className="text-slate-700">
                  {question.authorName} · <span className="sr-only">asked at </span>
                  {clockText(question.atMs)}
                </span>
                {question.answered && (
                  <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-semibold text-emerald-900" data-testid="replay-question-answered">
                    Answered
                  </span>
                )}
                <span className="ml-auto text-slate-700">
                  {question.votes} {question.votes === 1 ? 'vote' : 'votes'}
                </span>
              </div>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
});

const PollsPanel = memo(function PollsPanel({ polls, classTotal }: { polls: ReplayPollAt[]; classTotal: number }) {
  const newestFirst = polls.toReversed();
  return (
    // Focusable: a keyboard can scroll long results even when nothing inside takes focus.
    <div className="focus-ring h-full overflow-y-auto p-3" tabIndex={0} role="region" aria-label="Polls" data-testid="replay-polls">
      {newestFirst.length === 0 ? (
        <p className="py-6 text-center text-sm text-slate-700">{classTotal === 0 ? 'The mentor didn’t run any polls in this class.' : 'No polls yet at this point of the class.'}</p>
      ) : (
        <ol className="space-y-6" role="list">
          {newestFirst.map((poll) => (
            <li key={poll.id}>
              <PollItem poll={poll} />
            </li>
          ))}
        </ol>
      )}
    </div>
  );
});

function PollItem({ poll }: { poll: ReplayPollAt }) {
  const heading = `replay-poll-${poll.id}-question`;
  return (
    <section aria-labelledby={heading} data-testid="replay-poll" data-poll-id={poll.id} data-closed={poll.closed}>
      <p className="flex flex-wrap items-center gap-x-3 text-sm text-slate-700">
        <span className="font-semibold text-slate-900">{poll.kind === 'quiz' ? 'Quiz' : 'Poll'}</span>
        <span>{clockText(poll.atMs)}</span>
        <span data-testid="replay-poll-state">{poll.closed ? 'Closed' : 'Open: the class is voting'}</span>
      </p>
      <h3 id={heading} className="mt-1 text-lg font-semibold text-slate-900">
        {poll.question}
      </h3>
      {poll.closed ? (
        <div className="mt-3" data-testid="replay-poll-results">
          <h4 className="text-sm font-semibold text-slate-900">
            Results <span className="font-normal text-slate-700">({poll.total} {poll.total === 1 ? 'vote' : 'votes'})</span>
          </h4>
          <ul className="mt-2 space-y-2" role="list">
            {poll.options.map((option, index) => {
              const count = poll.counts[index] ?? 0;
              const share = poll.total > 0 ? (count / poll.total) * 100 : 0;
              const correct = poll.kind === 'quiz' && poll.correctOption === index;
              return (
                <li key={index} data-testid="replay-poll-result" data-correct={correct} data-count={count}>
                  <p className="flex flex-wrap gap-x-2 text-sm text-slate-900">
                    <span>{resultLine(option, count, poll.total)}</span>
                    {correct && <span className="font-semibold text-emerald-800">✓ correct answer</span>}
                  </p>
                  {/* The bar repeats the line above for the eye. An SVG width, not a style: no inline styles under the CSP. */}
                  <svg className="mt-1 block h-2 w-full rounded-full bg-slate-200" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                    <rect width={share} height="1" className={correct ? 'fill-emerald-600' : 'fill-brand-600'} />
                  </svg>
                </li>
              );
            })}
          </ul>
        </div>
      ) : (
        <ul className="mt-3 space-y-2" role="list" aria-label="Options">
          {poll.options.map((option, index) => (
            <li key={index} className="rounded-lg border border-slate-300 px-3 py-2 text-slate-900">
              {option}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

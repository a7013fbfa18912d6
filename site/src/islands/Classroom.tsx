/**
 * The classroom beside the video (client:load on /live/[session] while the class is waiting or
 * live): one connection to the class (lib/chat-client.ts) and three tabs — Chat, Q&A and the
 * current Poll — plus the "I'm lost" / "Slow down" signals.
 *
 * - Tabs follow the WAI-ARIA tabs pattern (arrow keys, Home, End; automatic activation). Inactive
 *   panels stay mounted (hidden), so a draft or a scroll position survives switching. A badge on
 *   a tab counts what arrived while it wasn't open (unread messages, new questions, a new poll).
 * - A poll appears when this student's video reaches the moment the mentor launched it, not when
 *   the socket says so: the player island shares its delay behind live and the IVS cues through
 *   lib/player-sync.ts, and lib/poll-timing.ts decides. A newly launched poll opens the Poll tab
 *   unless the student is typing.
 * - No layout shift: the panels share one fixed height, badges and feedback lines keep their room.
 * - Screen readers: one polite line for the classroom's few events (a new poll, results, the
 *   question being answered); the chat has its own throttled announcer.
 *
 * Test hooks: `classroom`, `classroom-tab-{chat,qa,poll}` with `classroom-badge`,
 * `classroom-announcer`, `signal-lost`, `signal-slow-down`, `signal-feedback` (`data-cooldown`).
 */
// First: the contracts build zod schemas as they load (see zod-jitless.ts).
import '../lib/zod-jitless';
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { SignalKind } from '../../../src-plugins/live/server/src/realtime/contracts';
import { createChatClient, initialChatState, type ChatClient, type ChatState, type SessionStatus } from '../lib/chat-client';
import { durationText, isMine } from '../lib/chat';
import type { RealtimeGrant } from '../lib/live-state';
import { playerSync } from '../lib/player-sync';
import { pollDeadline, pollVisibleAt } from '../lib/poll-timing';
import { ClassTabs, type TabBadge } from './ClassTabs';
import ClassroomChat from './ClassroomChat';
import ClassroomPoll, { type ShownPoll } from './ClassroomPoll';
import ClassroomQuestions from './ClassroomQuestions';

type Props = {
  sessionId: string;
  /** From the page's server-side join: this student's short-lived grant for the class's socket. */
  realtime: RealtimeGrant;
  status: SessionStatus;
};

const TABS = [
  { id: 'chat', label: 'Chat' },
  { id: 'qa', label: 'Q&A' },
  { id: 'poll', label: 'Poll' },
] as const;
type TabId = (typeof TABS)[number]['id'];

const noSubscription = () => () => undefined;

export default function Classroom({ sessionId, realtime, status }: Props) {
  const [client, setClient] = useState<ChatClient | null>(null);
  const [initial] = useState<ChatState>(() => initialChatState(status));
  const chat = useSyncExternalStore(client?.subscribe ?? noSubscription, client?.getState ?? (() => initial), () => initial);
  const player = useSyncExternalStore(playerSync.subscribe, playerSync.get, playerSync.get);

  useEffect(() => {
    const created = createChatClient({ sessionId, grant: realtime, status });
    setClient(created);
    created.start();
    return () => created.stop();
  }, [sessionId, realtime, status]);

  const [tab, setTab] = useState<TabId>('chat');
  const [now, setNow] = useState(() => Date.now());
  const [announcement, setAnnouncement] = useState('');
  const { classroom } = chat;

  // ── Polls: which are on screen for this student, and when the next one appears ──
  const entries = useMemo(
    () =>
      classroom.polls.map((poll) => {
        const arrival = classroom.arrivals[poll.id] ?? { at: 0, source: 'state' as const, kind: null, latencySeconds: null };
        const visibleAt = pollVisibleAt(arrival, player.cues[poll.id] ?? null);
        return { poll, arrival, visibleAt, deadline: pollDeadline(poll, visibleAt, arrival.source) };
      }),
    [classroom.polls, classroom.arrivals, player.cues]
  );
  const shown: ShownPoll[] = entries.filter((e) => e.visibleAt <= now).sort((a, b) => a.visibleAt - b.visibleAt || a.poll.id - b.poll.id);
  const nextAppearance = Math.min(...entries.filter((e) => e.visibleAt > now).map((e) => e.visibleAt));
  const current = shown.at(-1);

  useEffect(() => {
    if (!Number.isFinite(nextAppearance)) return;
    // Wakes exactly when the video reaches the poll (a timer never fires early).
    const timer = setTimeout(() => setNow(Date.now()), Math.max(0, nextAppearance - Date.now()) + 1);
    return () => clearTimeout(timer);
  }, [nextAppearance]);

  // ── "I'm lost" / "Slow down" ──
  const [signalHold, setSignalHold] = useState<{ until: number; text: string } | null>(null);
  const [signalBusy, setSignalBusy] = useState(false);
  const cooldownLeft = signalHold ? Math.max(0, Math.ceil((signalHold.until - now) / 1000)) : 0;

  // A clock for the countdowns (a timed poll, the signal's cooldown), ticking only while one runs.
  const counting = cooldownLeft > 0 || Boolean(current && current.deadline !== null && current.poll.state === 'open' && current.deadline > now);
  useEffect(() => {
    if (!counting) return;
    const ticker = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(ticker);
  }, [counting]);

  async function signal(kind: SignalKind) {
    if (!client || signalBusy || cooldownLeft > 0) return;
    setSignalBusy(true);
    const ack = await client.signal(kind);
    setSignalBusy(false);
    const at = Date.now();
    setNow(at);
    if (ack.ok) {
      setSignalHold({ until: at + ack.retryAfterSeconds * 1000, text: kind === 'lost' ? 'Sent: the mentor knows someone is lost.' : 'Sent: the mentor knows someone would like it slower.' });
    } else if (ack.error.code === 'rate-limited' && ack.error.retryAfterSeconds) {
      setSignalHold({ until: at + ack.error.retryAfterSeconds * 1000, text: 'You signalled a moment ago.' });
    } else {
      setSignalHold({ until: at, text: `Not sent: ${ack.error.message}` });
    }
  }

  // ── Badges: what arrived while a tab wasn't open ──
  const [chatSeenSeq, setChatSeenSeq] = useState<number | null>(null);
  const [seenQuestions, setSeenQuestions] = useState<ReadonlySet<number> | null>(null);
  const [seenPoll, setSeenPoll] = useState<number | null>(null);
  const newestSeq = chat.log.messages.at(-1)?.seq ?? 0;
  const connected = chat.connection === 'connected';

  useEffect(() => {
    // The history on arrival isn't news; nor is what is read in the open tab.
    if (connected && chatSeenSeq === null) setChatSeenSeq(newestSeq);
    else if (tab === 'chat' && chatSeenSeq !== null && chatSeenSeq < newestSeq) setChatSeenSeq(newestSeq);
  }, [connected, tab, newestSeq, chatSeenSeq]);
  useEffect(() => {
    if ((connected && seenQuestions === null) || tab === 'qa') {
      const ids = classroom.questions.map((q) => q.id);
      if (seenQuestions === null || ids.some((id) => !seenQuestions.has(id))) setSeenQuestions(new Set([...(seenQuestions ?? []), ...ids]));
    }
  }, [connected, tab, classroom.questions, seenQuestions]);
  useEffect(() => {
    if (tab === 'poll' && current && seenPoll !== current.poll.id) setSeenPoll(current.poll.id);
  }, [tab, current, seenPoll]);

  const unreadChat = chatSeenSeq === null ? 0 : chat.log.messages.filter((m) => m.seq > chatSeenSeq && !isMine(m, chat.me)).length;
  const newQuestions = seenQuestions === null ? 0 : classroom.questions.filter((q) => !seenQuestions.has(q.id) && !(chat.me && q.author.id === chat.me.id)).length;
  const newPoll = Boolean(current && current.poll.id !== seenPoll && current.poll.state === 'open');
  const badges: Record<TabId, TabBadge> = {
    chat: tab !== 'chat' && unreadChat > 0 ? { text: unreadChat > 99 ? '99+' : String(unreadChat), spoken: `${unreadChat} unread` } : null,
    qa: tab !== 'qa' && newQuestions > 0 ? { text: String(newQuestions), spoken: `${newQuestions} new` } : null,
    poll: tab !== 'poll' && newPoll ? { text: 'New', spoken: 'new poll' } : null,
  };

  // ── A newly launched poll: open its tab (unless the student is typing) and say so ──
  const announcedPoll = useRef<number | null>(null);
  const revealedPolls = useRef<Set<number> | null>(null);
  const pinnedQuestion = useRef<number | null | undefined>(undefined);
  useEffect(() => {
    if (!current) return;
    const { poll, arrival } = current;
    if (announcedPoll.current !== poll.id) {
      announcedPoll.current = poll.id;
      if (arrival.source === 'launch') {
        setAnnouncement(`New ${poll.kind === 'quiz' ? 'quiz' : 'poll'}: ${poll.question}`);
        const typing = document.activeElement instanceof HTMLTextAreaElement;
        if (!typing) setTab('poll');
      }
    }
  }, [current]);
  useEffect(() => {
    const revealed = shown.filter((s) => s.poll.revealed && s.poll.results).map((s) => s.poll);
    if (revealedPolls.current === null) {
      if (connected) revealedPolls.current = new Set(revealed.map((p) => p.id));
      return;
    }
    for (const poll of revealed) {
      if (revealedPolls.current.has(poll.id)) continue;
      revealedPolls.current.add(poll.id);
      setAnnouncement(`Results are in: ${poll.question}`);
    }
  }, [shown, connected]);
  useEffect(() => {
    if (!connected) return;
    const pinned = classroom.questions.find((q) => q.pinned);
    if (pinnedQuestion.current !== undefined && pinned && pinned.id !== pinnedQuestion.current) setAnnouncement(`The mentor is answering: ${pinned.text}`);
    pinnedQuestion.current = pinned?.id ?? null;
  }, [classroom.questions, connected]);

  const over = chat.status === 'ENDED' || chat.status === 'CANCELLED' || chat.connection === 'closed';
  const signalText = signalHold ? `${signalHold.text}${cooldownLeft > 0 ? ` You can signal again in ${durationText(cooldownLeft)}.` : ''}` : '';

  return (
    <section aria-labelledby="classroom-heading" className="card flex flex-col" data-testid="classroom">
      <h2 id="classroom-heading" className="sr-only">
        Classroom
      </h2>

      {!over && (
        <div className="border-b border-slate-200 px-4 py-3" role="group" aria-labelledby="signal-heading" aria-describedby="signal-privacy">
          <p id="signal-heading" className="text-sm font-semibold text-slate-900">
            Need the mentor to know?
          </p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            {(['lost', 'slow-down'] as const).map((kind) => (
              <button
                key={kind}
                type="button"
                className="btn-secondary min-h-10 py-1 aria-disabled:cursor-not-allowed aria-disabled:opacity-60"
                aria-disabled={signalBusy || cooldownLeft > 0 || !connected || undefined}
                onClick={() => void signal(kind)}
                data-testid={`signal-${kind}`}
              >
                {kind === 'lost' ? 'I’m lost' : 'Slow down'}
              </button>
            ))}
          </div>
          <p id="signal-privacy" className="mt-1 text-xs text-slate-700">
            Other students don’t see who sends these; the mentor sees how many of the class do.
          </p>
          <p aria-live="polite" className="min-h-5 text-sm text-slate-800" data-testid="signal-feedback" data-cooldown={cooldownLeft}>
            {signalText}
          </p>
        </div>
      )}

      <ClassTabs tabs={TABS} active={tab} onSelect={setTab} badges={badges} idPrefix="classroom" label="Classroom" />

      <div className="h-[28rem] lg:h-[34rem]">
        <div role="tabpanel" id="classroom-panel-chat" aria-labelledby="classroom-tab-chat" hidden={tab !== 'chat'} className="h-full">
          <ClassroomChat client={client} chat={chat} active={tab === 'chat'} />
        </div>
        <div role="tabpanel" id="classroom-panel-qa" aria-labelledby="classroom-tab-qa" hidden={tab !== 'qa'} className="h-full">
          <ClassroomQuestions client={client} chat={chat} />
        </div>
        <div role="tabpanel" id="classroom-panel-poll" aria-labelledby="classroom-tab-poll" hidden={tab !== 'poll'} className="h-full">
          <ClassroomPoll client={client} connected={connected} shown={shown} myVotes={classroom.myVotes} now={now} />
        </div>
      </div>

      <p className="sr-only" aria-live="polite" aria-atomic="true" data-testid="classroom-announcer">
        {announcement}
      </p>
    </section>
  );
}

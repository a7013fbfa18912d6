/**
 * The waiting room of a scheduled class: a countdown to the start, and a re-join through the
 * site's /api/live/:id/join every ~15 s (every minute while the class is over an hour off, every 5 s once
 * it is LIVE but the stream isn't up yet; never while the tab is hidden). When the class goes
 * live — or ends, or the student can no longer join — the page reloads and the server renders
 * the player or the message. Without JavaScript the server-rendered start time and a Refresh link
 * remain.
 */
import { useEffect, useRef, useState } from 'react';
import { countdownText, nextStep, waitingPollDelayMs } from '../lib/live-state';
import { rejoin } from './live-client';

type Props = {
  sessionId: string;
  scheduledAt: string;
  /** LIVE already, waiting for the stream. */
  startingNow: boolean;
};

export default function LiveWaitingRoom({ sessionId, scheduledAt, startingNow }: Props) {
  // null until mounted: the server's clock isn't the browser's (no hydration mismatch).
  const [now, setNow] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const lastPoll = useRef(Date.now());
  const start = Date.parse(scheduledAt);

  useEffect(() => {
    setNow(Date.now());
    const ticker = setInterval(() => setNow(Date.now()), 1_000);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;

    const poll = async () => {
      clearTimeout(timer);
      if (stopped) return;
      if (document.visibilityState === 'hidden') return; // resumed by visibilitychange
      lastPoll.current = Date.now();
      const outcome = await rejoin(sessionId);
      if (stopped) return;
      const step = nextStep(outcome, 'waiting');
      if (step.action === 'reload') {
        stopped = true;
        setAnnouncement(outcome.ok && outcome.data.session.status === 'LIVE' ? 'The class has started. Loading the video…' : 'The class has changed. Reloading…');
        window.location.reload();
        return;
      }
      schedule();
    };
    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void poll(), waitingPollDelayMs(start - Date.now(), startingNow));
    };
    const onVisible = () => {
      if (document.visibilityState !== 'visible' || stopped) return;
      if (Date.now() - lastPoll.current >= waitingPollDelayMs(start - Date.now(), startingNow)) void poll();
      else schedule();
    };
    schedule();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stopped = true;
      clearInterval(ticker);
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [sessionId, start, startingNow]);

  const countdown = now === null ? null : countdownText(start - now);
  const text = startingNow
    ? 'The mentor is starting the stream. The video appears here in a moment.'
    : now === null
      ? 'This page updates by itself when the class starts.'
      : countdown
        ? `Starts ${countdown}.`
        : 'Starting any moment now: waiting for the mentor to go live.';

  return (
    <div data-testid="live-waiting">
      {/* Two lines' room on a phone: the text before the clock starts is longer than the countdown (no layout shift). */}
      <p className="min-h-14 text-xl font-semibold sm:min-h-0" data-testid="live-countdown" aria-live="off">
        {text}
      </p>
      <p className="mt-2 text-sm text-slate-700">
        Keep this page open: the class starts here automatically.
      </p>
      <p className="sr-only" role="status">
        {announcement}
      </p>
    </div>
  );
}

/**
 * The classroom's Poll panel (the Poll tab of the Classroom island): the poll on screen now — it
 * appears when this student's video reaches the moment the mentor launched it (the island decides
 * when, lib/poll-timing.ts) — with its options, a one-time vote (final, said before voting), the
 * student's answer, a countdown for timed polls that started when they saw it, and the results
 * once the mentor reveals them: bars with the same figures as text, a quiz's answer marked and
 * whether the student was right. Below, the class's earlier polls with their answers and the
 * quiz score.
 *
 * Test hooks: `poll-current` (`data-poll-id`, `data-poll-state`, `data-revealed`,
 * `data-arrived-at`, `data-visible-at`, `data-latency`), `poll-option` (radios), `poll-vote`,
 * `poll-feedback`, `poll-my-vote`, `poll-timer`, `poll-results`, `poll-result`
 * (`data-correct`), `poll-result-line`, `poll-verdict` (`data-right`), `poll-history`, `quiz-score`.
 */
import { useState, type FormEvent } from 'react';
import type { MyVote, PollDto } from '../../../src-plugins/live/server/src/realtime/contracts';
import type { ChatClient } from '../lib/chat-client';
import { durationText } from '../lib/chat';
import { quizScore, resultLine, scoreText, wasRight } from '../lib/classroom';
import type { PollArrival } from '../lib/poll-timing';

/** A poll as this student sees it: when it appeared and when their time runs out. */
export type ShownPoll = { poll: PollDto; arrival: PollArrival; visibleAt: number; deadline: number | null };

type Props = {
  client: ChatClient | null;
  connected: boolean;
  /** Shown polls, the current one last. */
  shown: ShownPoll[];
  myVotes: MyVote[];
  now: number;
};

export default function ClassroomPoll({ client, connected, shown, myVotes, now }: Props) {
  const current = shown.at(-1);
  const earlier = shown.slice(0, -1).reverse();
  const score = quizScore(
    shown.map((s) => s.poll),
    myVotes
  );
  return (
    // Focusable: a keyboard can scroll long results even when nothing inside takes focus.
    <div className="focus-ring h-full overflow-y-auto p-3" tabIndex={0} role="region" aria-label="Polls" data-testid="poll-panel">
      {current ? (
        <CurrentPoll key={current.poll.id} client={client} connected={connected} shown={current} vote={myVotes.find((v) => v.pollId === current.poll.id)} now={now} />
      ) : (
        <p className="py-6 text-center text-sm text-slate-700" data-testid="poll-none">
          No poll right now. When the mentor asks the class something, it appears here.
        </p>
      )}

      {(earlier.length > 0 || score) && (
        <section aria-labelledby="poll-history-heading" className="mt-6 border-t border-slate-200 pt-3" data-testid="poll-history">
          <h3 id="poll-history-heading" className="text-sm font-semibold text-slate-900">
            Earlier in this class
          </h3>
          {score && (
            <p className="mt-1 text-sm text-slate-800" data-testid="quiz-score">
              {scoreText(score)}
            </p>
          )}
          <ul className="mt-2 space-y-2" role="list">
            {earlier.map(({ poll }) => {
              const vote = myVotes.find((v) => v.pollId === poll.id);
              const right = wasRight(poll, vote);
              return (
                <li key={poll.id} className="text-sm" data-testid="poll-past" data-poll-id={poll.id}>
                  <p className="font-medium text-slate-900">{poll.question}</p>
                  <p className="text-slate-700">
                    {vote ? `You answered: ${poll.options[vote.option] ?? '—'}` : 'You didn’t answer.'}
                    {right === true && ' — right.'}
                    {right === false && poll.correctOption !== null && ` — the answer was ${poll.options[poll.correctOption]}.`}
                  </p>
                </li>
              );
            })}
          </ul>
        </section>
      )}
    </div>
  );
}

function CurrentPoll({ client, connected, shown, vote, now }: { client: ChatClient | null; connected: boolean; shown: ShownPoll; vote: MyVote | undefined; now: number }) {
  const { poll, arrival, visibleAt, deadline } = shown;
  const [choice, setChoice] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [feedback, setFeedback] = useState('');
  const secondsLeft = deadline === null ? null : Math.max(0, Math.ceil((deadline - now) / 1000));
  const timeUp = secondsLeft === 0;
  const open = poll.state === 'open' && !timeUp;
  const canVote = open && !vote;
  const right = wasRight(poll, vote);
  const results = poll.revealed ? poll.results : null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!client || busy || !canVote) return;
    if (choice === null) return setFeedback('Choose an answer first.');
    if (!connected) return setFeedback('The classroom is reconnecting: vote again in a moment.');
    setBusy(true);
    const ack = await client.vote(poll.id, choice);
    setBusy(false);
    setFeedback(ack.ok ? '' : ack.error.code === 'not-live' || ack.error.code === 'not-found' ? 'This poll is closed.' : `Not counted: ${ack.error.message}`);
  }

  const heading = `poll-${poll.id}-question`;
  return (
    <section
      aria-labelledby={heading}
      data-testid="poll-current"
      data-poll-id={poll.id}
      data-poll-state={poll.state}
      data-revealed={poll.revealed}
      data-arrived-at={arrival.at}
      data-visible-at={visibleAt}
      data-latency={arrival.latencySeconds ?? ''}
    >
      <p className="flex flex-wrap items-center gap-x-3 text-sm text-slate-700">
        <span className="font-semibold text-slate-900">{poll.kind === 'quiz' ? 'Quiz' : 'Poll'}</span>
        {poll.state === 'closed' || timeUp ? (
          <span data-testid="poll-closed">Closed</span>
        ) : secondsLeft !== null ? (
          // Visible countdown; a screen reader hears it when it reads the panel, not every second.
          <span className="tabular-nums" data-testid="poll-timer" data-seconds-left={secondsLeft}>
            {durationText(secondsLeft)} left
          </span>
        ) : null}
      </p>
      <h3 id={heading} className="mt-1 text-lg font-semibold text-slate-900">
        {poll.question}
      </h3>

      {canVote ? (
        <form onSubmit={(event) => void submit(event)} noValidate className="mt-3">
          <fieldset>
            <legend className="sr-only">Your answer</legend>
            <div className="space-y-2">
              {poll.options.map((option, index) => (
                <label key={index} className="flex min-h-11 cursor-pointer items-center gap-3 rounded-lg border border-slate-300 px-3 py-2 has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50">
                  <input
                    type="radio"
                    name={`poll-${poll.id}`}
                    value={index}
                    checked={choice === index}
                    onChange={() => {
                      setChoice(index);
                      setFeedback('');
                    }}
                    className="size-4 accent-brand-600"
                    data-testid="poll-option"
                  />
                  <span className="text-slate-900">{option}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <p id={`poll-${poll.id}-final`} className="mt-2 text-sm text-slate-700">
            Your vote is final: you can’t change it once sent.
          </p>
          <div className="mt-2 flex items-start gap-3">
            <button type="submit" className="btn-primary aria-disabled:opacity-60" aria-disabled={busy || choice === null || undefined} aria-describedby={`poll-${poll.id}-final`} data-testid="poll-vote">
              {busy ? 'Voting…' : 'Vote'}
            </button>
            <p aria-live="polite" className="min-h-6 flex-1 text-sm text-slate-800" data-testid="poll-feedback">
              {feedback}
            </p>
          </div>
        </form>
      ) : (
        <p className="mt-3 text-sm text-slate-800" role="status" data-testid="poll-my-vote">
          {vote
            ? `You voted: ${poll.options[vote.option] ?? '—'}.${results ? '' : ' The mentor will show the results.'}`
            : timeUp && poll.state === 'open'
              ? 'Time’s up: this poll no longer takes answers.'
              : 'This poll is closed: you didn’t answer.'}
        </p>
      )}

      {results && (
        <div className="mt-4" data-testid="poll-results">
          <h4 className="text-sm font-semibold text-slate-900">
            Results <span className="font-normal text-slate-700">({results.total} {results.total === 1 ? 'vote' : 'votes'})</span>
          </h4>
          <ul className="mt-2 space-y-2" role="list">
            {poll.options.map((option, index) => {
              const count = results.counts[index] ?? 0;
              const share = results.total > 0 ? (count / results.total) * 100 : 0;
              const correct = poll.kind === 'quiz' && poll.correctOption === index;
              return (
                <li key={index} data-testid="poll-result" data-correct={correct} data-count={count}>
                  <p className="flex flex-wrap gap-x-2 text-sm text-slate-900">
                    <span data-testid="poll-result-line">{resultLine(option, count, results.total)}</span>
                    {correct && <span className="font-semibold text-emerald-800">✓ correct answer</span>}
                    {vote?.option === index && <span className="text-slate-700">(your answer)</span>}
                  </p>
                  {/* The bar repeats the line above for the eye; screen readers read the line. */}
                  <div className="mt-1 h-2 rounded-full bg-slate-200" aria-hidden="true">
                    <div className={correct ? 'h-2 rounded-full bg-emerald-600' : 'h-2 rounded-full bg-brand-600'} style={{ width: `${share}%` }} />
                  </div>
                </li>
              );
            })}
          </ul>
          {right !== null && (
            <p className={right ? 'mt-3 font-semibold text-emerald-800' : 'mt-3 font-semibold text-slate-900'} data-testid="poll-verdict" data-right={right}>
              {right ? 'You were right!' : `Not quite: the answer was ${poll.correctOption !== null ? poll.options[poll.correctOption] : '—'}.`}
            </p>
          )}
        </div>
      )}
    </section>
  );
}

/**
 * The classroom's Q&A panel (the Q&A tab of the Classroom island): ask the mentor a question,
 * upvote others' (a second press takes the vote back), withdraw one's own; the question being
 * answered now is pinned at the top and highlighted, answered ones say so, dismissed and
 * withdrawn ones leave the list. Order: pinned, then votes, then time asked (lib/classroom.ts).
 *
 * Test hooks: `qa-input`, `qa-ask`, `qa-feedback`, `question` (`data-question-id`,
 * `data-pinned`, `data-state`, `data-mine`), `question-upvote` (aria-pressed), `question-votes`,
 * `question-withdraw`.
 */
import { useState, type FormEvent } from 'react';
import { QUESTION_MAX_LENGTH, type QuestionDto } from '../../../src-plugins/live/server/src/realtime/contracts';
import type { ChatClient, ChatState } from '../lib/chat-client';
import { clockTime } from '../lib/chat';

type Props = { client: ChatClient | null; chat: ChatState };

const QUESTION_MIN_LENGTH = 3;

const ownQuestion = (question: QuestionDto, me: ChatState['me']) => Boolean(me && me.role === 'student' && question.author.id === me.id);

export default function ClassroomQuestions({ client, chat }: Props) {
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [feedback, setFeedback] = useState('');
  const { questions, myUpvotes } = chat.classroom;
  const connected = chat.connection === 'connected';
  const length = draft.trim().length;
  const tooLong = length > QUESTION_MAX_LENGTH;

  async function ask(event: FormEvent) {
    event.preventDefault();
    if (!client || busy) return;
    if (!connected) return setFeedback('The classroom is reconnecting: ask again in a moment. Your question is still here.');
    if (length < QUESTION_MIN_LENGTH) return setFeedback(`A question needs at least ${QUESTION_MIN_LENGTH} characters.`);
    if (tooLong) return setFeedback(`Your question is ${length - QUESTION_MAX_LENGTH} characters too long.`);
    setBusy(true);
    const ack = await client.ask(draft.trim());
    setBusy(false);
    if (ack.ok) {
      setDraft('');
      setFeedback('Your question was sent to the mentor.');
    } else {
      setFeedback(ack.error.code === 'muted' ? 'The mentor has muted you: you can’t ask questions for now.' : `Not sent: ${ack.error.message}`);
    }
  }

  async function upvote(question: QuestionDto) {
    if (!client) return;
    const ack = await client.upvote(question.id);
    setFeedback(ack.ok ? (ack.voted ? 'Upvoted.' : 'Upvote taken back.') : `Couldn’t upvote: ${ack.error.message}`);
  }

  async function withdraw(question: QuestionDto) {
    if (!client) return;
    const ack = await client.withdraw(question.id);
    setFeedback(ack.ok ? 'Your question was withdrawn.' : `Couldn’t withdraw it: ${ack.error.message}`);
  }

  return (
    <div className="flex h-full flex-col">
      <form onSubmit={(event) => void ask(event)} noValidate className="shrink-0 border-b border-slate-200 p-3">
        <label htmlFor="qa-input" className="text-sm font-semibold text-slate-900">
          Ask the mentor a question
        </label>
        <textarea
          id="qa-input"
          value={draft}
          onChange={(event) => {
            setDraft(event.target.value);
            setFeedback('');
          }}
          rows={2}
          className="field mt-1 resize-none"
          aria-describedby="qa-counter qa-feedback"
          aria-invalid={tooLong || undefined}
          data-testid="qa-input"
        />
        <div className="mt-2 flex items-start justify-between gap-3">
          <p id="qa-feedback" aria-live="polite" className="min-h-10 flex-1 text-sm text-slate-800" data-testid="qa-feedback">
            {feedback}
          </p>
          <div className="flex shrink-0 items-center gap-3">
            <span id="qa-counter" className={tooLong ? 'text-xs font-semibold text-red-700' : 'text-xs text-slate-700'}>
              {length}/{QUESTION_MAX_LENGTH}
            </span>
            <button type="submit" className="btn-primary aria-disabled:opacity-60" aria-disabled={busy || !connected || undefined} data-testid="qa-ask">
              {busy ? 'Asking…' : 'Ask'}
            </button>
          </div>
        </div>
      </form>

      <div className="focus-ring min-h-0 flex-1 overflow-y-auto px-3 py-2" tabIndex={0} role="region" aria-label="Questions" data-testid="qa-list">
        {questions.length === 0 ? (
          <p className="py-6 text-center text-sm text-slate-700">{connected ? 'No questions yet. Ask the first one!' : '\u00a0'}</p>
        ) : (
          <ol className="space-y-2" role="list">
            {questions.map((question) => {
              const mine = ownQuestion(question, chat.me);
              const voted = myUpvotes.includes(question.id);
              return (
                <li
                  key={question.id}
                  className={question.pinned ? 'rounded-lg border-2 border-brand-600 bg-brand-50 p-3' : 'rounded-lg border border-slate-200 p-3'}
                  data-testid="question"
                  data-question-id={question.id}
                  data-pinned={question.pinned}
                  data-state={question.state}
                  data-mine={mine}
                >
                  {question.pinned && (
                    <p className="mb-1 text-xs font-bold tracking-wide text-brand-900 uppercase" data-testid="question-pinned">
                      Being answered now
                    </p>
                  )}
                  <p className="break-words whitespace-pre-wrap text-slate-900" data-testid="question-text">
                    {question.text}
                  </p>
                  <div className="mt-2 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
                    <span className="text-slate-700">
                      {question.author.name}
                      {mine && ' (you)'} · <time dateTime={question.askedAt}>{clockTime(question.askedAt)}</time>
                    </span>
                    {question.state === 'answered' && (
                      <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-semibold text-emerald-900" data-testid="question-answered">
                        Answered
                      </span>
                    )}
                    <span className="ml-auto flex items-center gap-2">
                      {mine ? (
                        <>
                          <span className="text-slate-700" data-testid="question-votes">
                            {question.votes} {question.votes === 1 ? 'vote' : 'votes'}
                          </span>
                          {question.state === 'open' && (
                            <button type="button" className="btn-secondary min-h-9 py-1" onClick={() => void withdraw(question)} data-testid="question-withdraw">
                              Withdraw<span className="sr-only"> your question</span>
                            </button>
                          )}
                        </>
                      ) : (
                        <button
                          type="button"
                          className={voted ? 'btn-primary min-h-9 py-1' : 'btn-secondary min-h-9 py-1'}
                          aria-pressed={voted}
                          onClick={() => void upvote(question)}
                          data-testid="question-upvote"
                        >
                          {/* Named "Upvote, N votes": the visible count is part of the name. */}
                          <svg viewBox="0 0 10 8" className="mr-1.5 size-3 fill-current" aria-hidden="true" focusable="false">
                            <path d="M5 0 10 8H0z" />
                          </svg>
                          <span className="sr-only">Upvote, </span>
                          <span data-testid="question-votes">{question.votes}</span>
                          <span className="sr-only"> {question.votes === 1 ? 'vote' : 'votes'}</span>
                        </button>
                      )}
                    </span>
                  </div>
                </li>
              );
            })}
          </ol>
        )}
      </div>
    </div>
  );
}

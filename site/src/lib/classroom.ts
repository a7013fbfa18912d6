/**
 * The classroom beyond chat, as pure reducers and words (chat-client.ts keeps the state, the
 * Classroom island renders it; tested in __tests__/classroom.test.ts): the Q&A list, the class's
 * polls with this student's votes, their quiz score, and what the "I'm lost" signal answers.
 */
// First: the contracts build zod schemas as they load (see zod-jitless.ts).
import './zod-jitless';
import {
  compareQuestions,
  type ClassroomServerEvents,
  type ClassroomState,
  type MyVote,
  type PollDto,
  type QuestionDto,
} from '../../../src-plugins/live/server/src/realtime/contracts';
import type { PollArrival } from './poll-timing';
import { applyMyVote, applyPoll, applyPollResults } from '../../../src-plugins/live/server/src/realtime/classroom-state';

export type ClassroomData = {
  /** Open and answered questions: the pinned one first, then by votes, then time asked. */
  questions: QuestionDto[];
  myUpvotes: number[];
  /** Launched polls of the class, oldest launch first. */
  polls: PollDto[];
  myVotes: MyVote[];
  /** How this client learnt of each poll (for when to show it): poll id → arrival. */
  arrivals: Record<number, PollArrival>;
};

export const emptyClassroom = (): ClassroomData => ({ questions: [], myUpvotes: [], polls: [], myVotes: [], arrivals: {} });

/** Pinned first (the one being answered now), then votes, then the earlier question. */
export const orderQuestions = (questions: QuestionDto[]) => questions.toSorted((a, b) => Number(b.pinned) - Number(a.pinned) || compareQuestions(a, b));

const gone = (question: QuestionDto) => question.state === 'withdrawn' || question.state === 'dismissed';

/** A question asked or changed: withdrawn and dismissed ones leave the list; a pin moves it to the top. */
export function upsertQuestion(questions: QuestionDto[], question: QuestionDto): QuestionDto[] {
  const others = questions.filter((q) => q.id !== question.id);
  if (gone(question)) return others;
  // One pinned at a time: a newly pinned question unpins the others here too (their own updates may come later).
  const rest = question.pinned ? others.map((q) => (q.pinned ? { ...q, pinned: false } : q)) : others;
  return orderQuestions([...rest, question]);
}

/** The ack of this student's upvote (a second upvote takes it back). */
export function applyUpvote(data: ClassroomData, id: number, voted: boolean, votes: number): ClassroomData {
  const myUpvotes = voted ? [...new Set([...data.myUpvotes, id])] : data.myUpvotes.filter((q) => q !== id);
  const questions = orderQuestions(data.questions.map((q) => (q.id === id ? { ...q, votes } : q)));
  return { ...data, myUpvotes, questions };
}

export const withdrawQuestion = (data: ClassroomData, id: number): ClassroomData => ({ ...data, questions: data.questions.filter((q) => q.id !== id) });

const byLaunch = (a: PollDto, b: PollDto) => (a.launchedAt ?? '').localeCompare(b.launchedAt ?? '') || a.id - b.id;

/**
 * A poll launched, closed or revealed: merged by the panel's and the site's one reducer
 * (realtime/classroom-state.ts: a poll only moves forward, keeps its reveal and the newer
 * results); students never hold drafts; ordered by launch.
 */
export function upsertPoll(polls: PollDto[], poll: PollDto): PollDto[] {
  if (poll.state === 'draft') return polls;
  return applyPoll(polls, poll).sort(byLaunch);
}

/** Throttled live counts ('poll:results'). */
export const applyResults = (polls: PollDto[], results: ClassroomServerEvents['poll:results']): PollDto[] => applyPollResults(polls, results);

export const recordVote = (votes: MyVote[], vote: MyVote): MyVote[] => applyMyVote(votes, vote);

/** Whether this student's answer to a quiz was right: null for a poll, an unrevealed quiz, or no answer. */
export function wasRight(poll: PollDto, vote: MyVote | undefined): boolean | null {
  if (!vote || poll.kind !== 'quiz') return null;
  if (vote.correct !== null) return vote.correct;
  return poll.revealed && poll.correctOption !== null ? vote.option === poll.correctOption : null;
}

export type QuizScore = { correct: number; answered: number; quizzes: number };

/** The student's quiz score in this class: over the quizzes whose answer has been revealed. */
export function quizScore(polls: PollDto[], votes: MyVote[]): QuizScore | null {
  const revealed = polls.filter((p) => p.kind === 'quiz' && p.revealed);
  if (revealed.length === 0) return null;
  let correct = 0;
  let answered = 0;
  for (const poll of revealed) {
    const vote = votes.find((v) => v.pollId === poll.id);
    if (!vote) continue;
    answered += 1;
    if (wasRight(poll, vote)) correct += 1;
  }
  return { correct, answered, quizzes: revealed.length };
}

/**
 * The classroom as `ready` says it is now. Polls this client already knew keep their arrival;
 * the others arrived now, from the state (shown at once).
 */
export function resumeClassroom(data: ClassroomData, state: ClassroomState, now: number): ClassroomData {
  const arrivals = { ...data.arrivals };
  for (const poll of state.polls) arrivals[poll.id] ??= { at: now, source: 'state', kind: null, latencySeconds: null };
  return {
    questions: orderQuestions(state.questions.filter((q) => !gone(q))),
    myUpvotes: state.myUpvotes,
    polls: state.polls.reduce(upsertPoll, data.polls),
    myVotes: state.myVotes,
    arrivals,
  };
}

/** One result line, for screen readers and as the bar's label: "Closures — 3 votes (60 %)". */
export function resultLine(option: string, count: number, total: number): string {
  const share = total > 0 ? Math.round((count / total) * 100) : 0;
  return `${option} — ${count} ${count === 1 ? 'vote' : 'votes'} (${share} %)`;
}

/** "2 of 3 right" and the like. */
export function scoreText(score: QuizScore): string {
  if (score.answered === 0) return `You haven’t answered any of the ${score.quizzes === 1 ? 'quiz' : `${score.quizzes} quizzes`} yet.`;
  return `Quiz score: ${score.correct} of ${score.quizzes} right${score.answered < score.quizzes ? ` (${score.answered} answered)` : ''}.`;
}

import { compareQuestions, type MyVote, type PollDto, type PollState, type QuestionDto } from './contracts';

/**
 * A client's copy of a class's Q&A and polls, as the mentor panel and the site's classroom keep
 * them from `ready.classroom`, the REST lists and the pushes ('question:updated', 'poll:updated',
 * 'poll:results'). Pushes can arrive out of order (two Strapi processes each push their own) and
 * twice (an ack and the room's push of the same change); these reducers make the result the same
 * whatever the order, relying on what only moves forward: a question leaves the list for good
 * once withdrawn or dismissed and an answered one doesn't reopen; a poll goes draft → open →
 * closed and stays revealed; votes are final, so a poll's results never lose votes.
 *
 * Browser-safe and immutable (React state): every operation returns a new value, or the same one
 * when nothing changed.
 */

// ---------------------------------------------------------------------------
// Q&A

export type QuestionList = {
  /** Open and answered questions, ordered by compareQuestions (votes, then time asked). */
  questions: QuestionDto[];
  /** Ids that left the list (withdrawn, dismissed): a late push of one must not bring it back. */
  removed: number[];
};

/** Ids remembered at most (ids are never reused, older ones can't arrive again in practice). */
const REMOVED_MEMORY = 1_000;

export const emptyQuestionList = (): QuestionList => ({ questions: [], removed: [] });

/** Only these are listed: withdrawn and dismissed questions leave everyone's list. */
export const isListedQuestion = (question: QuestionDto) => question.state === 'open' || question.state === 'answered';

/** One question asked or changed. A pinned one unpins the others (one pinned per class). */
export function applyQuestion(list: QuestionList, update: QuestionDto): QuestionList {
  if (list.removed.includes(update.id)) return list;
  const existing = list.questions.find((question) => question.id === update.id);
  const others = list.questions.filter((question) => question.id !== update.id);
  if (!isListedQuestion(update)) {
    return { questions: others, removed: [...list.removed, update.id].slice(-REMOVED_MEMORY) };
  }
  // An answered question doesn't reopen: an 'open' copy arriving after it is an older push (its votes still count).
  const merged: QuestionDto =
    existing?.state === 'answered' && update.state === 'open'
      ? { ...update, state: 'answered', answeredAt: existing.answeredAt, pinned: existing.pinned }
      : update;
  const rest = merged.pinned ? others.map((question) => (question.pinned ? { ...question, pinned: false } : question)) : others;
  return { ...list, questions: [...rest, merged].sort(compareQuestions) };
}

/** The whole list as the server has it now (`ready.classroom.questions`, GET …/questions). */
export function resetQuestions(list: QuestionList, questions: QuestionDto[]): QuestionList {
  const removed = new Set(list.removed);
  return {
    ...list,
    questions: questions.filter((question) => isListedQuestion(question) && !removed.has(question.id)).sort(compareQuestions),
  };
}

export type QuestionOrder = 'votes' | 'newest' | 'oldest';

/** The list in the order a reader picked: most votes (the server's order), newest or oldest first. */
export function sortQuestions(questions: QuestionDto[], order: QuestionOrder): QuestionDto[] {
  if (order === 'votes') return [...questions].sort(compareQuestions);
  const byTime = (a: QuestionDto, b: QuestionDto) => a.askedAt.localeCompare(b.askedAt) || a.id - b.id;
  return [...questions].sort(order === 'oldest' ? byTime : (a, b) => byTime(b, a));
}

/** A student's upvotes after an upvote's ack (`voted: false` means the second press took it back). */
export function applyUpvote(myUpvotes: number[], questionId: number, voted: boolean): number[] {
  const has = myUpvotes.includes(questionId);
  if (voted === has) return myUpvotes;
  return voted ? [...myUpvotes, questionId] : myUpvotes.filter((id) => id !== questionId);
}

// ---------------------------------------------------------------------------
// Polls

const STATE_RANK: Record<PollState, number> = { draft: 0, open: 1, closed: 2 };

type Results = NonNullable<PollDto['results']>;

/** Votes are final, so of two copies of a poll's results the one with more votes is the newer. */
function newerResults(held: PollDto['results'], incoming: PollDto['results']): PollDto['results'] {
  if (!incoming) return held;
  if (!held) return incoming;
  return incoming.total >= held.total ? incoming : held;
}

/** Two copies of one poll → what is known now: the later state, revealed once revealed, the answer once known, the fuller results. */
function mergeOne(held: PollDto | undefined, incoming: PollDto): PollDto {
  if (!held) return incoming;
  const base = STATE_RANK[incoming.state] >= STATE_RANK[held.state] ? incoming : held;
  return {
    ...base,
    revealed: held.revealed || incoming.revealed,
    correctOption: incoming.correctOption ?? held.correctOption,
    results: newerResults(held.results, incoming.results),
  };
}

/** A poll created, edited, launched, closed or revealed (a push, an ack or a REST answer). */
export function applyPoll(polls: PollDto[], incoming: PollDto): PollDto[] {
  const index = polls.findIndex((poll) => poll.id === incoming.id);
  if (index === -1) return [...polls, incoming];
  const next = [...polls];
  next[index] = mergeOne(polls[index], incoming);
  return next;
}

/**
 * A full list of the class's polls (`ready.classroom.polls`, 'poll:list', GET …/polls). Held
 * drafts it doesn't list were deleted; a held launched poll it doesn't list is kept (launched
 * polls are never deleted: the list was read before it launched).
 */
export function resetPolls(polls: PollDto[], listed: PollDto[]): PollDto[] {
  const held = new Map(polls.map((poll) => [poll.id, poll]));
  const listedIds = new Set(listed.map((poll) => poll.id));
  const kept = polls.filter((poll) => !listedIds.has(poll.id) && poll.state !== 'draft');
  return [...listed.map((poll) => mergeOne(held.get(poll.id), poll)), ...kept];
}

/** A draft deleted. */
export const removePoll = (polls: PollDto[], pollId: number): PollDto[] =>
  polls.some((poll) => poll.id === pollId) ? polls.filter((poll) => poll.id !== pollId) : polls;

/** A 'poll:results' push: the counts of a poll held (an unknown poll's counts wait for its poll:updated). */
export function applyPollResults(polls: PollDto[], { id, counts, total }: { id: number } & Results): PollDto[] {
  const index = polls.findIndex((poll) => poll.id === id);
  if (index === -1) return polls;
  const held = polls[index];
  const results = newerResults(held.results, { counts, total });
  if (results === held.results) return polls;
  const next = [...polls];
  next[index] = { ...held, results };
  return next;
}

/** A student's own vote (the ack of 'poll:vote'; a reveal fills in `correct`). */
export function applyMyVote(myVotes: MyVote[], vote: MyVote): MyVote[] {
  return [...myVotes.filter((held) => held.pollId !== vote.pollId), vote];
}

/** A quiz's share of right answers (0..1), null for a poll, an unrevealed answer or no votes yet. */
export function quizAccuracy(poll: PollDto): number | null {
  if (poll.kind !== 'quiz' || poll.correctOption === null || !poll.results || poll.results.total === 0) return null;
  return (poll.results.counts[poll.correctOption] ?? 0) / poll.results.total;
}

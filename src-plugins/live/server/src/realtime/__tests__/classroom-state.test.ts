import {
  applyMyVote,
  applyPoll,
  applyPollResults,
  applyQuestion,
  applyUpvote,
  emptyQuestionList,
  quizAccuracy,
  removePoll,
  resetPolls,
  resetQuestions,
  sortQuestions,
  type QuestionList,
} from '../classroom-state';
import type { PollDto, QuestionDto } from '../contracts';

const question = (id: number, changes: Partial<QuestionDto> = {}): QuestionDto => ({
  id,
  text: `question ${id}`,
  author: { id: 100 + id, name: `Student ${id}` },
  votes: 0,
  state: 'open',
  pinned: false,
  askedAt: new Date(Date.UTC(2030, 0, 1, 10, 0, id)).toISOString(),
  offsetMs: id * 1000,
  answeredAt: null,
  ...changes,
});

const poll = (id: number, changes: Partial<PollDto> = {}): PollDto => ({
  id,
  question: `poll ${id}?`,
  options: ['Yes', 'No', 'Maybe'],
  kind: 'poll',
  state: 'draft',
  durationSeconds: null,
  launchedAt: null,
  launchedOffsetMs: null,
  closesAt: null,
  closedAt: null,
  revealed: false,
  correctOption: null,
  results: null,
  ...changes,
});

const ids = (list: QuestionList) => list.questions.map((q) => q.id);
const apply = (list: QuestionList, ...updates: QuestionDto[]) => updates.reduce(applyQuestion, list);

describe('the Q&A list a client keeps', () => {
  it('orders questions by votes, then by the earlier one, as they are asked and upvoted', () => {
    let list = apply(emptyQuestionList(), question(1), question(2), question(3));
    expect(ids(list)).toEqual([1, 2, 3]);
    list = apply(list, question(3, { votes: 2 }), question(2, { votes: 1 }));
    expect(ids(list)).toEqual([3, 2, 1]);
    expect(list.questions[0].votes).toBe(2);
    // A second upvote took one back: the server's copy says so.
    list = apply(list, question(3, { votes: 1 }));
    expect(ids(list)).toEqual([2, 3, 1]);
  });

  it('drops withdrawn and dismissed questions, and a late push of one does not bring it back', () => {
    let list = apply(emptyQuestionList(), question(1), question(2, { votes: 4 }));
    list = apply(list, question(2, { state: 'dismissed' }), question(1, { state: 'withdrawn' }));
    expect(ids(list)).toEqual([]);
    list = apply(list, question(2, { votes: 5 }), question(1));
    expect(ids(list)).toEqual([]);
    // Nor does a full list read before they left.
    list = resetQuestions(list, [question(1), question(2), question(3)]);
    expect(ids(list)).toEqual([3]);
  });

  it('keeps one pinned question: pinning another unpins the first', () => {
    let list = apply(emptyQuestionList(), question(1), question(2));
    list = apply(list, question(1, { pinned: true }));
    list = apply(list, question(2, { pinned: true }));
    expect(list.questions.filter((q) => q.pinned).map((q) => q.id)).toEqual([2]);
  });

  it('does not reopen an answered question when an older open copy arrives after it, but takes its votes', () => {
    const answeredAt = '2030-01-01T10:05:00.000Z';
    let list = apply(emptyQuestionList(), question(1, { state: 'answered', answeredAt, votes: 2 }));
    list = apply(list, question(1, { votes: 3 }));
    expect(list.questions[0]).toMatchObject({ state: 'answered', answeredAt, votes: 3 });
  });

  it('applies the same update twice as once (an ack and the room push)', () => {
    const once = apply(emptyQuestionList(), question(1, { votes: 1 }));
    const twice = apply(once, question(1, { votes: 1 }));
    expect(twice.questions).toEqual(once.questions);
  });

  it('sorts by votes, newest or oldest first on request', () => {
    const questions = [question(1, { votes: 1 }), question(2), question(3, { votes: 5 })];
    expect(sortQuestions(questions, 'votes').map((q) => q.id)).toEqual([3, 1, 2]);
    expect(sortQuestions(questions, 'newest').map((q) => q.id)).toEqual([3, 2, 1]);
    expect(sortQuestions(questions, 'oldest').map((q) => q.id)).toEqual([1, 2, 3]);
  });

  it("tracks a student's own upvotes from the acks", () => {
    let mine = applyUpvote([], 4, true);
    expect(mine).toEqual([4]);
    expect(applyUpvote(mine, 4, true)).toBe(mine);
    mine = applyUpvote(mine, 4, false);
    expect(mine).toEqual([]);
  });
});

describe('the polls a client keeps', () => {
  it('never moves a poll back: a late "launched" after "closed" keeps it closed, revealed stays revealed', () => {
    const launched = poll(1, { state: 'open', launchedAt: '2030-01-01T10:00:00.000Z', launchedOffsetMs: 60_000 });
    const closed = { ...launched, state: 'closed' as const, closedAt: '2030-01-01T10:01:00.000Z' };
    const revealed = { ...closed, revealed: true, correctOption: 1 };
    let polls = applyPoll([], launched);
    polls = applyPoll(polls, revealed);
    polls = applyPoll(polls, closed);
    polls = applyPoll(polls, launched);
    expect(polls).toHaveLength(1);
    expect(polls[0]).toMatchObject({ state: 'closed', closedAt: '2030-01-01T10:01:00.000Z', revealed: true, correctOption: 1 });
  });

  it('takes the results with the most votes, whatever order the throttled pushes arrive in', () => {
    let polls = applyPoll([], poll(1, { state: 'open' }));
    polls = applyPollResults(polls, { id: 1, counts: [2, 1, 0], total: 3 });
    polls = applyPollResults(polls, { id: 1, counts: [1, 1, 0], total: 2 });
    expect(polls[0].results).toEqual({ counts: [2, 1, 0], total: 3 });
    // A student's copy of a poll:updated carries no results: the counts held stay.
    polls = applyPoll(polls, poll(1, { state: 'closed', results: null }));
    expect(polls[0]).toMatchObject({ state: 'closed', results: { counts: [2, 1, 0], total: 3 } });
    // Counts for a poll not held yet are left for its poll:updated.
    expect(applyPollResults(polls, { id: 9, counts: [1, 0], total: 1 })).toBe(polls);
  });

  it('edits a draft in place and deletes it', () => {
    let polls = applyPoll([], poll(1));
    polls = applyPoll(polls, poll(1, { question: 'edited?', options: ['A', 'B'] }));
    expect(polls[0]).toMatchObject({ question: 'edited?', options: ['A', 'B'] });
    expect(removePoll(polls, 1)).toEqual([]);
  });

  it('a full list drops deleted drafts but keeps a launched poll it was read too early to have', () => {
    const held = [poll(1), poll(2), poll(3, { state: 'open', results: { counts: [1, 0, 0], total: 1 } })];
    const polls = resetPolls(held, [poll(2, { question: 'renamed?' })]);
    expect(polls.map((p) => p.id)).toEqual([2, 3]);
    expect(polls[0].question).toBe('renamed?');
    expect(polls[1].results?.total).toBe(1);
  });

  it("keeps one vote per poll for a student's own answers", () => {
    let mine = applyMyVote([], { pollId: 1, option: 2, correct: null });
    mine = applyMyVote(mine, { pollId: 1, option: 2, correct: true });
    expect(mine).toEqual([{ pollId: 1, option: 2, correct: true }]);
  });

  it("measures a quiz's accuracy once its answer and votes are known", () => {
    const quiz = poll(1, { kind: 'quiz', state: 'closed', correctOption: 1, results: { counts: [1, 3, 0], total: 4 } });
    expect(quizAccuracy(quiz)).toBe(0.75);
    expect(quizAccuracy({ ...quiz, correctOption: null })).toBeNull();
    expect(quizAccuracy({ ...quiz, results: { counts: [0, 0, 0], total: 0 } })).toBeNull();
    expect(quizAccuracy({ ...quiz, kind: 'poll' })).toBeNull();
  });
});

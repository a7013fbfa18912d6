import type { MyVote, PollDto, QuestionDto } from '../../../../src-plugins/live/server/src/realtime/contracts';
import { applyResults, applyUpvote, emptyClassroom, quizScore, recordVote, resultLine, resumeClassroom, scoreText, upsertPoll, upsertQuestion, wasRight, withdrawQuestion } from '../classroom';

const question = (id: number, votes: number, minute: number, extra: Partial<QuestionDto> = {}): QuestionDto => ({
  id,
  text: `question ${id}`,
  author: { id: 100 + id, name: `Student ${id}` },
  votes,
  state: 'open',
  pinned: false,
  askedAt: new Date(Date.UTC(2030, 0, 1, 10, minute)).toISOString(),
  offsetMs: minute * 60_000,
  answeredAt: null,
  ...extra,
});

const poll = (id: number, extra: Partial<PollDto> = {}): PollDto => ({
  id,
  question: `poll ${id}`,
  options: ['A', 'B', 'C'],
  kind: 'poll',
  state: 'open',
  durationSeconds: null,
  launchedAt: new Date(Date.UTC(2030, 0, 1, 10, id)).toISOString(),
  launchedOffsetMs: id * 60_000,
  closesAt: null,
  closedAt: null,
  revealed: false,
  correctOption: null,
  results: null,
  ...extra,
});

const ids = (questions: QuestionDto[]) => questions.map((q) => q.id);

describe('the Q&A list', () => {
  it('orders by votes, then time asked; the pinned one goes first', () => {
    let list: QuestionDto[] = [];
    list = upsertQuestion(list, question(1, 0, 1));
    list = upsertQuestion(list, question(2, 2, 2));
    list = upsertQuestion(list, question(3, 2, 0));
    expect(ids(list)).toEqual([3, 2, 1]);
    list = upsertQuestion(list, question(1, 0, 1, { pinned: true }));
    expect(ids(list)).toEqual([1, 3, 2]);
    // One pinned at a time.
    list = upsertQuestion(list, question(2, 2, 2, { pinned: true }));
    expect(list.filter((q) => q.pinned).map((q) => q.id)).toEqual([2]);
    expect(ids(list)).toEqual([2, 3, 1]);
  });

  it('withdrawn and dismissed questions leave; answered ones stay', () => {
    let list = [question(1, 0, 1), question(2, 0, 2)];
    list = upsertQuestion(list, question(1, 0, 1, { state: 'dismissed' }));
    list = upsertQuestion(list, question(2, 0, 2, { state: 'answered', answeredAt: new Date().toISOString() }));
    expect(list.map((q) => [q.id, q.state])).toEqual([[2, 'answered']]);
    list = upsertQuestion(list, question(2, 0, 2, { state: 'withdrawn' }));
    expect(list).toEqual([]);
  });

  it('an upvote’s ack toggles this student’s vote and reorders', () => {
    let data = { ...emptyClassroom(), questions: [question(1, 1, 0), question(2, 1, 1)] };
    data = applyUpvote(data, 2, true, 2);
    expect(data.myUpvotes).toEqual([2]);
    expect(ids(data.questions)).toEqual([2, 1]);
    data = applyUpvote(data, 2, false, 1);
    expect(data.myUpvotes).toEqual([]);
    expect(ids(data.questions)).toEqual([1, 2]);
    expect(ids(withdrawQuestion(data, 1).questions)).toEqual([2]);
  });
});

describe('polls', () => {
  it('keeps launched polls in launch order, ignores drafts, and keeps revealed results an update leaves out', () => {
    let polls: PollDto[] = [];
    polls = upsertPoll(polls, poll(2));
    polls = upsertPoll(polls, poll(1));
    polls = upsertPoll(polls, poll(3, { state: 'draft' }));
    expect(polls.map((p) => p.id)).toEqual([1, 2]);
    polls = upsertPoll(polls, poll(2, { revealed: true, state: 'closed', results: { counts: [1, 2, 0], total: 3 } }));
    polls = applyResults(polls, { id: 2, counts: [1, 3, 0], total: 4 });
    expect(polls[1].results).toEqual({ counts: [1, 3, 0], total: 4 });
    polls = upsertPoll(polls, poll(2, { revealed: true, state: 'closed', results: null }));
    expect(polls[1].results).toEqual({ counts: [1, 3, 0], total: 4 });
  });

  it('says whether a quiz answer was right once revealed, and scores the class’s revealed quizzes', () => {
    const quizzes = [
      poll(1, { kind: 'quiz', revealed: true, correctOption: 1, state: 'closed' }),
      poll(2, { kind: 'quiz', revealed: true, correctOption: 0, state: 'closed' }),
      poll(3, { kind: 'quiz', revealed: false }),
      poll(4, { kind: 'poll', revealed: true }),
      poll(5, { kind: 'quiz', revealed: true, correctOption: 2, state: 'closed' }),
    ];
    let votes: MyVote[] = [];
    votes = recordVote(votes, { pollId: 1, option: 1, correct: null });
    votes = recordVote(votes, { pollId: 2, option: 2, correct: null });
    votes = recordVote(votes, { pollId: 3, option: 0, correct: null });
    expect(wasRight(quizzes[0], votes[0])).toBe(true);
    expect(wasRight(quizzes[1], votes[1])).toBe(false);
    expect(wasRight(quizzes[2], votes[2])).toBeNull();
    expect(wasRight(quizzes[3], { pollId: 4, option: 0, correct: null })).toBeNull();
    // The server's own verdict wins when it sends one.
    expect(wasRight(quizzes[1], { pollId: 2, option: 2, correct: true })).toBe(true);
    const score = quizScore(quizzes, votes)!;
    expect(score).toEqual({ correct: 1, answered: 2, quizzes: 3 });
    expect(scoreText(score)).toBe('Quiz score: 1 of 3 right (2 answered).');
    expect(quizScore([poll(1)], votes)).toBeNull();
  });

  it('words a result line with count and share', () => {
    expect(resultLine('Closures', 3, 5)).toBe('Closures — 3 votes (60 %)');
    expect(resultLine('Scope', 1, 5)).toBe('Scope — 1 vote (20 %)');
    expect(resultLine('None', 0, 0)).toBe('None — 0 votes (0 %)');
  });
});

describe('a (re)connect’s classroom state', () => {
  it('replaces the lists, keeps how known polls arrived, and marks the others as known from the state', () => {
    const before = { ...emptyClassroom(), polls: [poll(1)], arrivals: { 1: { at: 5, source: 'launch' as const, kind: 'flv' as const, latencySeconds: 0.4 } } };
    const after = resumeClassroom(
      before,
      { questions: [question(1, 0, 0), question(2, 3, 1), question(3, 0, 2, { state: 'withdrawn' })], myUpvotes: [2], polls: [poll(1, { state: 'closed' }), poll(2)], myVotes: [{ pollId: 1, option: 0, correct: null }], meter: null },
      1_000
    );
    expect(ids(after.questions)).toEqual([2, 1]);
    expect(after.myUpvotes).toEqual([2]);
    expect(after.polls.map((p) => [p.id, p.state])).toEqual([[1, 'closed'], [2, 'open']]);
    expect(after.arrivals[1]).toEqual(before.arrivals[1]);
    expect(after.arrivals[2]).toEqual({ at: 1_000, source: 'state', kind: null, latencySeconds: null });
    expect(after.myVotes).toHaveLength(1);
  });
});

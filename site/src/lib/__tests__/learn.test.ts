import { continueLesson, flattenSyllabus, latestProgress, neighbours, progressSummary } from '../learn';

const lesson = (n: number) => ({ documentId: `lesson${n}`, slug: `l${n}`, title: `Lesson ${n}`, type: 'video', duration: 60, isPreview: n === 1 });
const modules = [
  { documentId: 'm1', title: 'One', lessons: [lesson(1), lesson(2)] },
  { documentId: 'm2', title: 'Two', lessons: [lesson(3), lesson(4)] },
];
const row = (n: number, updatedAt: string, completed = false, positionSeconds = 0) => ({
  positionSeconds,
  completedAt: completed ? updatedAt : null,
  updatedAt,
  lesson: { documentId: `lesson${n}` },
});

describe('syllabus', () => {
  const lessons = flattenSyllabus(modules);
  it('flattens modules in reading order', () => {
    expect(lessons.map((l) => [l.slug, l.moduleTitle, l.index])).toEqual([
      ['l1', 'One', 0],
      ['l2', 'One', 1],
      ['l3', 'Two', 2],
      ['l4', 'Two', 3],
    ]);
  });

  it('finds the previous and next lesson across modules', () => {
    expect(neighbours(lessons, 'l2')).toMatchObject({ index: 1, previous: { slug: 'l1' }, next: { slug: 'l3' } });
    expect(neighbours(lessons, 'l1').previous).toBeUndefined();
    expect(neighbours(lessons, 'l4').next).toBeUndefined();
    expect(neighbours(lessons, 'nope')).toEqual({ index: -1, previous: undefined, next: undefined });
  });

  it('summarises progress', () => {
    expect(progressSummary(lessons, [])).toEqual({ completed: 0, total: 4, percent: 0, done: false });
    expect(progressSummary(lessons, [row(1, '2025-01-01', true), row(2, '2025-01-02', false, 30)])).toEqual({ completed: 1, total: 4, percent: 25, done: false });
    expect(progressSummary(lessons, [1, 2, 3, 4].map((n) => row(n, '2025-01-01', true)))).toMatchObject({ percent: 100, done: true });
    expect(progressSummary([], [])).toEqual({ completed: 0, total: 0, percent: 0, done: false });
  });
});

describe('continueLesson', () => {
  const lessons = flattenSyllabus(modules);
  it('starts at the beginning', () => expect(continueLesson(lessons, [])?.slug).toBe('l1'));
  it('resumes an unfinished lesson last worked on', () => {
    expect(continueLesson(lessons, [row(1, '2025-01-01', true), row(3, '2025-01-03', false, 40), row(2, '2025-01-02')])?.slug).toBe('l3');
  });
  it('moves past a lesson just completed', () => {
    expect(continueLesson(lessons, [row(1, '2025-01-01', true), row(2, '2025-01-05', true)])?.slug).toBe('l3');
  });
  it('goes back to an earlier gap when the end is done', () => {
    expect(continueLesson(lessons, [row(4, '2025-01-05', true), row(1, '2025-01-01', true)])?.slug).toBe('l2');
  });
  it('returns the first lesson of a finished course, and nothing for an empty one', () => {
    expect(continueLesson(lessons, [1, 2, 3, 4].map((n) => row(n, `2025-01-0${n}`, true)))?.slug).toBe('l1');
    expect(continueLesson([], [])).toBeUndefined();
  });
  it('ignores progress for lessons no longer in the course', () => {
    expect(continueLesson(lessons, [{ ...row(9, '2025-02-01'), lesson: { documentId: 'gone' } }])?.slug).toBe('l1');
  });
  it('latestProgress picks the most recent row', () => {
    expect(latestProgress([row(1, '2025-01-01'), row(2, '2025-03-01'), row(3, '2025-02-01')])?.lesson?.documentId).toBe('lesson2');
  });
});

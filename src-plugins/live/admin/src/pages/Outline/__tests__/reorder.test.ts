import { describeLessonPlace, lessonDown, lessonUp, moduleDown, moduleUp, moveLesson, moveModule } from '../reorder';
import { orderOf, titleFromFileName } from '../../../api/outline';
import type { OutlineLesson, OutlineModule } from '../../../api/outline';

const lesson = (documentId: string): OutlineLesson => ({
  documentId,
  title: documentId,
  slug: documentId,
  type: 'article',
  duration: 0,
  isPreview: false,
  hasVideo: false,
  state: 'draft',
  order: 0,
});
const moduleOf = (documentId: string, lessons: string[]): OutlineModule => ({ documentId, title: documentId.toUpperCase(), order: 0, state: 'draft', lessons: lessons.map(lesson) });
const outline = () => [moduleOf('m1', ['a', 'b']), moduleOf('m2', ['c']), moduleOf('m3', [])];
/** The order the page would save: what the server receives. */
const saved = (modules: OutlineModule[] | null) => (modules ? orderOf({ modules }).modules.map((m) => `${m.documentId}:${m.lessons.join(',')}`) : null);

describe('the outline moves', () => {
  it('drops a module before another or at the end, leaving its input alone', () => {
    const before = outline();
    expect(saved(moveModule(before, 'm3', 'm1'))).toEqual(['m3:', 'm1:a,b', 'm2:c']);
    expect(saved(moveModule(before, 'm1', null))).toEqual(['m2:c', 'm3:', 'm1:a,b']);
    expect(saved(before)).toEqual(['m1:a,b', 'm2:c', 'm3:']);
  });

  it('drops a lesson into another module, before a lesson or at its end (also into an empty module)', () => {
    expect(saved(moveLesson(outline(), 'b', 'm2', 'c'))).toEqual(['m1:a', 'm2:b,c', 'm3:']);
    expect(saved(moveLesson(outline(), 'a', 'm3', null))).toEqual(['m1:b', 'm2:c', 'm3:a']);
    expect(saved(moveLesson(outline(), 'a', 'm1', null))).toEqual(['m1:b,a', 'm2:c', 'm3:']);
  });

  it('ignores a move onto itself or into a module that is not there', () => {
    const before = outline();
    expect(moveLesson(before, 'a', 'm1', 'a')).toBe(before);
    expect(moveLesson(before, 'a', 'nope', null)).toBe(before);
    expect(moveModule(before, 'm2', 'm2')).toBe(before);
  });

  it('moves with the keyboard across module boundaries, and says where the lesson landed', () => {
    expect(saved(lessonUp(outline(), 'c'))).toEqual(['m1:a,b,c', 'm2:', 'm3:']);
    expect(saved(lessonDown(outline(), 'b'))).toEqual(['m1:a', 'm2:b,c', 'm3:']);
    expect(saved(lessonDown(outline(), 'c'))).toEqual(['m1:a,b', 'm2:', 'm3:c']);
    expect(lessonUp(outline(), 'a')).toBeNull();
    expect(saved(moduleUp(outline(), 'm2'))).toEqual(['m2:c', 'm1:a,b', 'm3:']);
    expect(saved(moduleDown(outline(), 'm1'))).toEqual(['m2:c', 'm1:a,b', 'm3:']);
    expect(moduleDown(outline(), 'm3')).toBeNull();
    expect(describeLessonPlace(lessonDown(outline(), 'b')!, 'b')).toBe('position 1 of 2 in “M2”');
  });
});

describe('lesson titles from dropped files', () => {
  it.each([
    ['03-closures_and-scope.final.mp4', 'Closures and scope final'],
    ['intro.MOV', 'Intro'],
    ['1. Setting up.webm', 'Setting up'],
    ['2024.mp4', '2024'],
    ['.mp4', 'Untitled video'],
  ])('%s → %s', (name, title) => {
    expect(titleFromFileName(name)).toBe(title);
  });
});

import { createLessonBody, orderBody, updateLessonBody } from '../contracts';
import { outlineRights, requireRight, type Ability } from '../rights';
import { itemState } from '../store';
import { HttpError } from '../../utils/http';

/** An admin ability holding exactly these content-manager actions (as "<action> <uid>"). */
const abilityWith = (...granted: string[]): Ability => ({
  can: (action: string, subject?: unknown) => granted.includes(`${action.replace('plugin::content-manager.explorer.', '')} ${String(subject)}`),
});
const ALL = ['course', 'module', 'lesson'].flatMap((name) =>
  ['read', 'create', 'update', 'delete', 'publish'].map((action) => `${action} api::${name}.${name}`)
);
const MENTOR = ['course', 'module', 'lesson'].map((name) => `read api::${name}.${name}`);

describe('outline rights', () => {
  it('follow the caller’s content-manager permissions: editors edit and publish, mentors read', () => {
    expect(outlineRights(abilityWith(...ALL))).toEqual({ edit: true, publish: true });
    expect(outlineRights(abilityWith(...MENTOR))).toEqual({ edit: false, publish: false });
    // Publishing a course whole needs publish on all three types.
    expect(outlineRights(abilityWith(...ALL.filter((p) => p !== 'publish api::lesson.lesson')))).toEqual({ edit: true, publish: false });
  });

  it('refuse an operation the permissions don’t cover with a 403 that says why', () => {
    const mentor = { userId: 7, ability: abilityWith(...MENTOR) };
    expect(() => requireRight(mentor, 'read')).not.toThrow();
    for (const operation of ['addModule', 'reorder', 'publish'] as const) {
      try {
        requireRight(mentor, operation);
        throw new Error('allowed');
      } catch (error) {
        expect(error).toBeInstanceOf(HttpError);
        expect((error as HttpError).status).toBe(403);
        expect((error as HttpError).message).toMatch(/^You don't have permission to .+: courses are edited by editors/);
      }
    }
  });
});

describe('item state', () => {
  it('is the content manager’s: draft, published, or modified when the draft is newer', () => {
    expect(itemState('2026-01-02T00:00:00Z', undefined)).toBe('draft');
    expect(itemState('2026-01-02T00:00:00Z', '2026-01-02T00:00:00Z')).toBe('published');
    expect(itemState('2026-01-02T00:00:01Z', '2026-01-02T00:00:00Z')).toBe('modified');
  });
});

describe('outline contracts', () => {
  it('trim titles and refuse empty, long or multi-line ones', () => {
    expect(createLessonBody.parse({ title: '  Closures ' })).toEqual({ title: 'Closures' });
    for (const title of ['  ', 'x'.repeat(161), 'two\nlines']) expect(createLessonBody.safeParse({ title }).success).toBe(false);
  });

  it('take a video lesson with the browser’s duration, but not as another type', () => {
    expect(createLessonBody.parse({ title: 'Clip', videoFileId: 4, duration: 93 })).toEqual({ title: 'Clip', videoFileId: 4, duration: 93 });
    expect(createLessonBody.safeParse({ title: 'Clip', videoFileId: 4, type: 'quiz' }).success).toBe(false);
    expect(createLessonBody.safeParse({ title: 'Clip', duration: 1.5 }).success).toBe(false);
  });

  it('need something to update, and nothing unknown', () => {
    expect(updateLessonBody.safeParse({}).success).toBe(false);
    expect(updateLessonBody.safeParse({ slug: 'x' }).success).toBe(false);
    expect(updateLessonBody.parse({ isPreview: true })).toEqual({ isPreview: true });
  });

  it('take an order of module and lesson ids', () => {
    const id = 'abcdefghijklmnopqrstuvwx';
    expect(orderBody.parse({ modules: [{ documentId: id, lessons: [id] }] })).toEqual({ modules: [{ documentId: id, lessons: [id] }] });
    expect(orderBody.safeParse({ modules: [{ documentId: 'not an id', lessons: [] }] }).success).toBe(false);
  });
});

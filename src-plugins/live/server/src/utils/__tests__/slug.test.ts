import { firstFreeSlug, followsTitle, slugify, SLUG_PATTERN } from '../slug';

describe('slugify', () => {
  it.each([
    ['Getting started', 'getting-started'],
    ['  Déjà vu: closures & scope!  ', 'deja-vu-closures-scope'],
    ['React 19 — hooks', 'react-19-hooks'],
    ['C++ / C#', 'c-c'],
    ['हिन्दी', ''],
  ])('%j → %j', (title, slug) => {
    expect(slugify(title)).toBe(slug);
    if (slug) expect(slug).toMatch(SLUG_PATTERN);
  });

  it('cuts long titles to the maximum length, without a trailing dash', () => {
    expect(slugify('word '.repeat(100), 12)).toBe('word-word-wo');
    expect(slugify('abcde fghij', 6)).toBe('abcde');
  });
});

describe('followsTitle', () => {
  it('is true for the title’s slug, with or without a uniqueness suffix', () => {
    expect(followsTitle('getting-started', 'Getting started')).toBe(true);
    expect(followsTitle('getting-started-2', 'Getting started')).toBe(true);
  });

  it('is false for a slug typed by hand, or when there is nothing to compare', () => {
    expect(followsTitle('intro', 'Getting started')).toBe(false);
    expect(followsTitle('getting-started-now', 'Getting started')).toBe(false);
    expect(followsTitle(null, 'Getting started')).toBe(false);
    expect(followsTitle('lesson', 'हिन्दी')).toBe(false);
  });
});

describe('firstFreeSlug', () => {
  it('adds -2, -3 … until the slug is free', () => {
    expect(firstFreeSlug('intro', new Set())).toBe('intro');
    expect(firstFreeSlug('intro', new Set(['intro']))).toBe('intro-2');
    expect(firstFreeSlug('intro', new Set(['intro', 'intro-2', 'intro-4']))).toBe('intro-3');
  });
});

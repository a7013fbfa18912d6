import {
  DEFAULT_SORT,
  canonicalCatalogRedirect,
  catalogSearch,
  describeCatalogQuery,
  hasCatalogParams,
  parseCatalogQuery,
  toStrapiQuery,
} from '../catalog-query';

const parse = (search: string) => parseCatalogQuery(new URLSearchParams(search));

describe('parseCatalogQuery', () => {
  it('reads every filter', () => {
    expect(parse('q=react&category=web-development&level=beginner&price=paid&sort=price-asc&page=2')).toEqual({
      q: 'react',
      category: 'web-development',
      level: 'beginner',
      price: 'paid',
      sort: 'price-asc',
      page: 2,
    });
  });

  it('drops anything malformed instead of failing', () => {
    expect(parse('q=%20%20&category=Not%20A%20Slug&level=expert&price=cheap&sort=__proto__&page=-3')).toEqual({ sort: DEFAULT_SORT, page: 1 });
    expect(parse('page=abc').page).toBe(1);
    expect(parse('page=999999').page).toBe(1000);
    expect(parse('sort=toString').sort).toBe(DEFAULT_SORT);
  });

  it('normalises and bounds the search text', () => {
    expect(parse('q=%20react%20%20%20hooks%20').q).toBe('react hooks');
    expect(parse(`q=${'a'.repeat(500)}`).q).toHaveLength(100);
  });
});

describe('catalogSearch', () => {
  it('writes a canonical query: fixed order, defaults left out', () => {
    expect(catalogSearch(parse('page=1&sort=newest'))).toBe('');
    expect(catalogSearch(parse('sort=title&level=advanced&q=ml'))).toBe('?q=ml&level=advanced&sort=title');
  });

  it('applies a change (pagination links)', () => {
    const query = parse('price=free&page=3');
    expect(catalogSearch(query, { page: 4 })).toBe('?price=free&page=4');
    expect(catalogSearch(query, { page: 1 })).toBe('?price=free');
  });

  it('round-trips', () => {
    const query = parse('q=data%20science&category=data-science-ai&level=intermediate&price=paid&sort=price-desc&page=5');
    expect(parse(catalogSearch(query).slice(1))).toEqual(query);
  });
});

describe('canonicalCatalogRedirect', () => {
  it('leaves a canonical URL alone', () => {
    expect(canonicalCatalogRedirect('/courses', new URLSearchParams('q=react&level=beginner'))).toBeUndefined();
    expect(canonicalCatalogRedirect('/courses', new URLSearchParams(''))).toBeUndefined();
    expect(canonicalCatalogRedirect('/courses', new URLSearchParams('utm_source=x'))).toBeUndefined();
  });

  it('drops the empty fields a submitted form sends, and defaults, keeping other parameters', () => {
    expect(canonicalCatalogRedirect('/courses', new URLSearchParams('q=&category=&level=beginner&price=&sort=newest'))).toBe('/courses?level=beginner');
    expect(canonicalCatalogRedirect('/courses', new URLSearchParams('page=1&utm_source=mail'))).toBe('/courses?utm_source=mail');
    expect(canonicalCatalogRedirect('/courses', new URLSearchParams('level=beginner&level=advanced'))).toBe('/courses?level=beginner');
  });

  it('knows which parameters belong to the catalog', () => {
    expect(hasCatalogParams(new URLSearchParams('price=free'))).toBe(true);
    expect(hasCatalogParams(new URLSearchParams('utm_source=x'))).toBe(false);
  });
});

describe('toStrapiQuery', () => {
  const asObject = (search: string) => Object.fromEntries(toStrapiQuery(parse(search), 6));

  it('pages and sorts with a stable tie-break', () => {
    expect(asObject('')).toEqual({
      'sort[0]': 'publishedAt:desc',
      'sort[1]': 'title:asc',
      'pagination[page]': '1',
      'pagination[pageSize]': '6',
    });
    expect(asObject('sort=price-asc&page=2')).toMatchObject({ 'sort[0]': 'price:asc', 'sort[1]': 'title:asc', 'pagination[page]': '2' });
  });

  it('combines filters with $and, the search across title, summary, instructors and category', () => {
    const query = asObject('q=rao&category=web-development&level=beginner&price=paid');
    expect(query).toMatchObject({
      'filters[$and][0][$or][0][title][$containsi]': 'rao',
      'filters[$and][0][$or][1][summary][$containsi]': 'rao',
      'filters[$and][0][$or][2][instructors][name][$containsi]': 'rao',
      'filters[$and][0][$or][3][category][name][$containsi]': 'rao',
      'filters[$and][1][category][slug][$eq]': 'web-development',
      'filters[$and][2][level][$eq]': 'beginner',
      'filters[$and][3][isFree][$eq]': 'false',
      'filters[$and][3][price][$gt]': '0',
    });
  });

  it('treats a zero price as free, like the cards do', () => {
    expect(asObject('price=free')).toMatchObject({ 'filters[$and][0][$or][0][isFree][$eq]': 'true', 'filters[$and][0][$or][1][price][$eq]': '0' });
  });

  it('never filters or sorts on protected lesson fields', () => {
    const keys = toStrapiQuery(parse('q=body&sort=title'), 6).map(([key]) => key).join(' ');
    expect(keys).not.toMatch(/\[(body|video)\]/);
  });
});

describe('describeCatalogQuery', () => {
  it('says what is shown', () => {
    expect(describeCatalogQuery(parse(''))).toBe('Courses');
    expect(describeCatalogQuery(parse('price=free&level=beginner'), 'Web Development')).toBe('Free Beginner Web Development courses');
    expect(describeCatalogQuery(parse('q=sql'))).toBe('Courses matching “sql”');
  });
});

/**
 * The catalog's state lives in the URL query (`/courses?q=react&level=beginner&price=paid&sort=price-asc&page=2`)
 * so a result can be shared, bookmarked and used without JavaScript. This module is pure: it
 * parses a query leniently (anything unknown or malformed is dropped, never an error page),
 * writes it back canonically, and turns it into Strapi's REST query.
 */

export const LEVELS = ['beginner', 'intermediate', 'advanced'] as const;
export type Level = (typeof LEVELS)[number];

export const PRICES = ['free', 'paid'] as const;
export type PriceFilter = (typeof PRICES)[number];

export const SORTS = {
  newest: { label: 'Newest', strapi: ['publishedAt:desc', 'title:asc'] },
  title: { label: 'Title (A–Z)', strapi: ['title:asc'] },
  'price-asc': { label: 'Price: low to high', strapi: ['price:asc', 'title:asc'] },
  'price-desc': { label: 'Price: high to low', strapi: ['price:desc', 'title:asc'] },
} as const;
export type SortKey = keyof typeof SORTS;
export const DEFAULT_SORT: SortKey = 'newest';

/** Courses per catalog page. */
export const PAGE_SIZE = 6;
const MAX_PAGE = 1000;
const MAX_QUERY_LENGTH = 100;

export type CatalogQuery = {
  q?: string;
  category?: string;
  level?: Level;
  price?: PriceFilter;
  sort: SortKey;
  page: number;
};

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const includes = <T extends string>(list: readonly T[], value: string | null): value is T =>
  value !== null && (list as readonly string[]).includes(value);

/** Reads the catalog state from a URL's query; never throws. */
export function parseCatalogQuery(params: URLSearchParams): CatalogQuery {
  const q = (params.get('q') ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_QUERY_LENGTH);
  const category = params.get('category');
  const level = params.get('level');
  const price = params.get('price');
  const sort = params.get('sort');
  const page = Number.parseInt(params.get('page') ?? '', 10);
  return {
    ...(q ? { q } : {}),
    ...(category && category.length <= 80 && SLUG.test(category) ? { category } : {}),
    ...(includes(LEVELS, level) ? { level } : {}),
    ...(includes(PRICES, price) ? { price } : {}),
    sort: sort !== null && Object.hasOwn(SORTS, sort) ? (sort as SortKey) : DEFAULT_SORT,
    page: Number.isFinite(page) && page >= 1 ? Math.min(page, MAX_PAGE) : 1,
  };
}

/** The canonical query string (defaults left out, fixed order), with a leading `?` when not empty. */
export function catalogSearch(query: CatalogQuery, change: Partial<CatalogQuery> = {}): string {
  const next = { ...query, ...change };
  const params = new URLSearchParams();
  if (next.q) params.set('q', next.q);
  if (next.category) params.set('category', next.category);
  if (next.level) params.set('level', next.level);
  if (next.price) params.set('price', next.price);
  if (next.sort && next.sort !== DEFAULT_SORT) params.set('sort', next.sort);
  if (next.page && next.page > 1) params.set('page', String(next.page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Is any filter (not sort or page) applied? */
export const isFiltered = (query: CatalogQuery) => Boolean(query.q || query.category || query.level || query.price);

export type StrapiQuery = [key: string, value: string][];

/** The `/api/courses` query for a catalog state: filters, sort, and the page. */
export function toStrapiQuery(query: CatalogQuery, pageSize = PAGE_SIZE): StrapiQuery {
  const out: StrapiQuery = [];
  const and: ((prefix: string) => StrapiQuery)[] = [];

  if (query.q) {
    const q = query.q;
    and.push((p) => [
      [`${p}[$or][0][title][$containsi]`, q],
      [`${p}[$or][1][summary][$containsi]`, q],
      [`${p}[$or][2][instructors][name][$containsi]`, q],
      [`${p}[$or][3][category][name][$containsi]`, q],
    ]);
  }
  if (query.category) {
    const category = query.category;
    and.push((p) => [[`${p}[category][slug][$eq]`, category]]);
  }
  if (query.level) {
    const level = query.level;
    and.push((p) => [[`${p}[level][$eq]`, level]]);
  }
  // "Free" is what the card shows: isFree, or a price of zero.
  if (query.price === 'free') {
    and.push((p) => [
      [`${p}[$or][0][isFree][$eq]`, 'true'],
      [`${p}[$or][1][price][$eq]`, '0'],
    ]);
  } else if (query.price === 'paid') {
    and.push((p) => [
      [`${p}[isFree][$eq]`, 'false'],
      [`${p}[price][$gt]`, '0'],
    ]);
  }
  and.forEach((clause, index) => out.push(...clause(`filters[$and][${index}]`)));

  SORTS[query.sort].strapi.forEach((sort, index) => out.push([`sort[${index}]`, sort]));
  out.push(['pagination[page]', String(query.page)], ['pagination[pageSize]', String(pageSize)]);
  return out;
}

/** A short human summary of the applied filters, for the page title and the results heading. */
export function describeCatalogQuery(query: CatalogQuery, categoryName?: string): string {
  const parts: string[] = [];
  if (query.price === 'free') parts.push('Free');
  if (query.price === 'paid') parts.push('Paid');
  if (query.level) parts.push(query.level[0].toUpperCase() + query.level.slice(1));
  parts.push(categoryName ? `${categoryName} courses` : 'courses');
  let text = parts.join(' ');
  text = text[0].toUpperCase() + text.slice(1);
  if (query.q) text += ` matching “${query.q}”`;
  return text;
}

const KNOWN_KEYS = ['q', 'category', 'level', 'price', 'sort', 'page'];

/**
 * Where a catalog URL should redirect so every result has one address: empty or invalid
 * catalog parameters (what a plain GET form submits), defaults, and duplicates are dropped;
 * unrelated parameters (utm_…) are kept. Undefined when the URL is already canonical.
 */
export function canonicalCatalogRedirect(pathname: string, params: URLSearchParams): string | undefined {
  const query = parseCatalogQuery(params);
  const canonical = new URLSearchParams(catalogSearch(query));
  const present = KNOWN_KEYS.filter((key) => params.has(key));
  const clean = present.every((key) => params.getAll(key).length === 1 && canonical.get(key) === params.get(key));
  if (clean) return undefined;
  const out = new URLSearchParams(canonical);
  for (const [key, value] of params) if (!KNOWN_KEYS.includes(key)) out.append(key, value);
  const text = out.toString();
  return `${pathname}${text ? `?${text}` : ''}`;
}

/** Does the URL carry any catalog parameter? (The home page sends those to /courses.) */
export const hasCatalogParams = (params: URLSearchParams) => KNOWN_KEYS.some((key) => params.has(key));

import { z } from 'zod';
import { siteEnv } from './env';

/** Long enough for a cold Strapi, short enough that a page doesn't hang when it is down. */
const TIMEOUT_MS = 5_000;

/** A failed API call. `status` is the HTTP status, or 0 when Strapi could not be reached. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    options?: { cause?: unknown }
  ) {
    super(message, options);
    this.name = 'ApiError';
  }
}

/** Strapi's error body: `{ data: null, error: { status, name, message, details } }`. */
const errorBodySchema = z.object({ error: z.object({ message: z.string() }) });

type Query = [key: string, value: string | number][];

/** GETs `/api/{path}` from Strapi and validates the JSON body against `schema`. */
async function apiGet<T>(path: string, query: Query, schema: z.ZodType<T>): Promise<T> {
  const url = new URL(joinUrl(siteEnv().apiUrl, `/api/${path}`));
  for (const [key, value] of query) url.searchParams.append(key, String(value));

  let response: Response;
  try {
    response = await fetch(url, {
      headers: { Accept: 'application/json' },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (cause) {
    throw new ApiError(`Could not reach the API at ${url.origin}`, 0, { cause });
  }

  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const strapi = errorBodySchema.safeParse(body);
    const message = strapi.success ? strapi.data.error.message : response.statusText || 'Request failed';
    throw new ApiError(message, response.status);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ApiError(`Unexpected response from GET /api/${path}`, response.status, { cause: parsed.error });
  }
  return parsed.data;
}

// Schemas describe only what the site reads; z.object drops any other fields.

const mediaSchema = z.object({
  url: z.string(),
  alternativeText: z.string().nullish(),
  width: z.number().nullish(),
  height: z.number().nullish(),
});

export const courseSchema = z.object({
  id: z.number(),
  documentId: z.string(),
  title: z.string(),
  slug: z.string(),
  summary: z.string().nullish(),
  level: z.enum(['beginner', 'intermediate', 'advanced']),
  language: z.string().nullish(),
  /** In paise. */
  price: z.number().int().nonnegative(),
  currency: z.enum(['INR']),
  isFree: z.boolean(),
  cover: mediaSchema.nullish(),
  category: z.object({ name: z.string(), slug: z.string() }).nullish(),
  instructors: z.array(z.object({ name: z.string() })).nullish().transform((list) => list ?? []),
});

export const courseListSchema = z.object({
  data: z.array(courseSchema),
  meta: z.object({
    pagination: z.object({
      page: z.number(),
      pageSize: z.number(),
      pageCount: z.number(),
      total: z.number(),
    }),
  }),
});

export type Media = z.infer<typeof mediaSchema>;
export type Course = z.infer<typeof courseSchema>;
export type CourseList = z.infer<typeof courseListSchema>;

const COURSE_CARD_QUERY: Query = [
  ['populate[cover][fields][0]', 'url'],
  ['populate[cover][fields][1]', 'alternativeText'],
  ['populate[cover][fields][2]', 'width'],
  ['populate[cover][fields][3]', 'height'],
  ['populate[category][fields][0]', 'name'],
  ['populate[category][fields][1]', 'slug'],
  ['populate[instructors][fields][0]', 'name'],
  ['sort[0]', 'title:asc'],
];

/** Published courses (Strapi serves only those to anonymous callers), title order, with what a card shows. */
export function listCourses({ page = 1, pageSize = 24 } = {}): Promise<CourseList> {
  return apiGet(
    'courses',
    [...COURSE_CARD_QUERY, ['pagination[page]', page], ['pagination[pageSize]', pageSize]],
    courseListSchema
  );
}

/**
 * A browser-facing URL for a Strapi upload. Local uploads come back as paths
 * (`/uploads/x.png`) relative to Strapi's public URL; CDN uploads are already absolute.
 */
export function mediaUrl(path: string, publicUrl: string = siteEnv().publicUrl): string {
  return /^([a-z][a-z\d+.-]*:|\/\/)/i.test(path) ? path : joinUrl(publicUrl, path);
}

/** Joined as strings, not with new URL(base, path), so a base under a path prefix (https://x/cms) keeps it. */
function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

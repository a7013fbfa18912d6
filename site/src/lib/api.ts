/**
 * The site's one client for the Strapi API: a thin typed fetch wrapper. Every response is
 * validated with zod (the schemas describe only what the site reads; other fields are dropped),
 * every failure becomes an ApiError carrying Strapi's status, message, reason and field errors.
 * Server-side only: the browser never talks to Strapi for data (media URLs aside) and never sees
 * a token.
 */
import { z } from 'zod';
import { siteEnv } from './env';
import { currentSiteRequest } from './request-context';

/** Long enough for a cold Strapi, short enough that a page doesn't hang when it is down. */
const TIMEOUT_MS = 5_000;
/** Payment calls wait on Razorpay too. */
const PAYMENT_TIMEOUT_MS = 15_000;

/** A failed API call. `status` is the HTTP status, or 0 when Strapi could not be reached. */
export class ApiError extends Error {
  /** Field name → first message, from `error.details.errors[].path[0]`. */
  readonly fieldErrors: Record<string, string>;
  /** `error.details.reason` (e.g. 'email-not-verified', 'invalid', 'expired'). */
  readonly reason: string | undefined;
  /** Seconds, from a 429's Retry-After. */
  readonly retryAfter: number | undefined;
  /** `error.details` as Strapi sent it (unvalidated; read with a schema). */
  readonly details: unknown;

  constructor(
    message: string,
    readonly status: number,
    options: { cause?: unknown; details?: unknown; retryAfter?: number; errorName?: string } = {}
  ) {
    super(message, { cause: options.cause });
    this.name = 'ApiError';
    this.details = options.details;
    const details = errorDetailsSchema.safeParse(options.details);
    this.fieldErrors = {};
    if (details.success) {
      for (const { path, message: text } of details.data.errors ?? []) {
        const field = path[0];
        if (field !== undefined && !(field in this.fieldErrors)) this.fieldErrors[String(field)] = text;
      }
    }
    this.reason = details.success ? details.data.reason : undefined;
    this.retryAfter = options.retryAfter ?? (details.success ? details.data.retryAfter : undefined);
  }

  /** Strapi unreachable or failing (not the caller's fault): pages say "try again later". */
  get unavailable() {
    return this.status === 0 || this.status >= 500;
  }
}

const errorDetailsSchema = z.object({
  errors: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })).optional(),
  reason: z.string().optional(),
  retryAfter: z.number().optional(),
});

/** Strapi's error body: `{ data: null, error: { status, name, message, details } }`. */
const errorBodySchema = z.object({
  error: z.object({ message: z.string(), name: z.string().optional(), details: z.unknown().optional() }),
});

export type Query = [key: string, value: string | number][];

type RequestOptions = {
  method?: 'GET' | 'POST' | 'PUT';
  query?: Query;
  body?: unknown;
  /** The student's access token (Bearer). */
  token?: string | null;
  /** The visitor's address, so Strapi's per-IP sign-in limits count visitors, not this server. */
  clientIp?: string;
  timeoutMs?: number;
};

/** Calls `/api/{path}` on Strapi and validates the JSON body against `schema`. */
export async function apiRequest<T>(path: string, schema: z.ZodType<T>, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', query = [], body, token, clientIp, timeoutMs = TIMEOUT_MS } = options;
  const url = new URL(joinUrl(siteEnv().apiUrl, `/api/${path}`));
  for (const [key, value] of query) url.searchParams.append(key, String(value));

  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  if (clientIp) headers['X-Forwarded-For'] = clientIp;
  // The page's request id: Strapi logs this call under it (one id across both processes' logs).
  const requestId = currentSiteRequest()?.requestId;
  if (requestId) headers['X-Request-Id'] = requestId;

  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (cause) {
    throw new ApiError(`Could not reach the API at ${url.origin}`, 0, { cause });
  }

  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const strapi = errorBodySchema.safeParse(json);
    const message = strapi.success ? strapi.data.error.message : response.statusText || 'Request failed';
    const retryAfter = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
    throw new ApiError(message, response.status, {
      details: strapi.success ? strapi.data.error.details : undefined,
      errorName: strapi.success ? strapi.data.error.name : undefined,
      retryAfter: Number.isFinite(retryAfter) ? retryAfter : undefined,
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ApiError(`Unexpected response from ${method} /api/${path}`, response.status, { cause: parsed.error });
  }
  return parsed.data;
}

/** GET shorthand kept for the catalog functions. */
const apiGet = <T>(path: string, query: Query, schema: z.ZodType<T>, token?: string | null) =>
  apiRequest(path, schema, { query, token });

// ── Schemas: only what the site reads ─────────────────────────────────────────────────────────

const mediaSchema = z.object({
  url: z.string(),
  alternativeText: z.string().nullish(),
  width: z.number().nullish(),
  height: z.number().nullish(),
  mime: z.string().nullish(),
});

/** Strapi "blocks" rich text: rendered defensively by components/Blocks.astro. */
const blocksSchema = z.array(z.looseObject({ type: z.string() })).nullish().transform((blocks) => blocks ?? []);

const levelSchema = z.enum(['beginner', 'intermediate', 'advanced']);

export const courseSchema = z.object({
  id: z.number(),
  documentId: z.string(),
  title: z.string(),
  slug: z.string(),
  summary: z.string().nullish(),
  level: levelSchema,
  language: z.string().nullish(),
  /** In paise. */
  price: z.number().int().nonnegative(),
  currency: z.enum(['INR']),
  isFree: z.boolean(),
  cover: mediaSchema.nullish(),
  category: z.object({ name: z.string(), slug: z.string() }).nullish(),
  instructors: z
    .array(z.object({ name: z.string() }))
    .nullish()
    .transform((list) => list ?? []),
  updatedAt: z.string().optional(),
  publishedAt: z.string().nullish(),
});

const paginationSchema = z.object({ page: z.number(), pageSize: z.number(), pageCount: z.number(), total: z.number() });

export const courseListSchema = z.object({
  data: z.array(courseSchema),
  meta: z.object({ pagination: paginationSchema }),
});

const lessonTypeSchema = z.enum(['video', 'article', 'live', 'quiz']);

const syllabusLessonSchema = z.object({
  documentId: z.string(),
  title: z.string(),
  slug: z.string(),
  type: lessonTypeSchema,
  duration: z.number().nullish().transform((d) => d ?? 0),
  isPreview: z.boolean(),
  order: z.number(),
});

const moduleSchema = z.object({
  documentId: z.string(),
  title: z.string(),
  order: z.number(),
  lessons: z
    .array(syllabusLessonSchema)
    .nullish()
    .transform((lessons) => (lessons ?? []).toSorted((a, b) => a.order - b.order)),
});

export const courseDetailSchema = courseSchema.extend({
  description: blocksSchema,
  instructors: z
    .array(z.object({ name: z.string(), slug: z.string(), bio: z.string().nullish(), avatar: mediaSchema.nullish() }))
    .nullish()
    .transform((list) => list ?? []),
  modules: z
    .array(moduleSchema)
    .nullish()
    .transform((modules) => (modules ?? []).toSorted((a, b) => a.order - b.order)),
});

const courseDetailListSchema = z.object({ data: z.array(courseDetailSchema) });

export const lessonSchema = syllabusLessonSchema.extend({
  body: blocksSchema.optional(),
  video: mediaSchema.nullish(),
  /** A lesson made from a class's recording: its id (GET /api/live/recordings/:id); stripped, like the video, from locked lessons. */
  recording: z
    .string()
    .nullish()
    .transform((id) => (id && /^[a-z0-9]{10,40}$/.test(id) ? id : null)),
  locked: z.boolean().optional().transform((locked) => locked ?? false),
  module: z.object({ documentId: z.string(), course: z.object({ documentId: z.string(), slug: z.string() }).nullish() }).nullish(),
});
const lessonListSchema = z.object({ data: z.array(lessonSchema) });

const categorySchema = z.object({ documentId: z.string(), name: z.string(), slug: z.string() });
const categoryListSchema = z.object({ data: z.array(categorySchema) });

const sitemapListSchema = z.object({
  data: z.array(z.object({ slug: z.string(), updatedAt: z.string().nullish() })),
  meta: z.object({ pagination: paginationSchema }),
});

export const userSchema = z.object({
  id: z.number(),
  username: z.string(),
  email: z.string(),
  /** Missing on accounts from before display names (the site then uses the email's local part). */
  displayName: z.string().nullish().transform((value) => value ?? null),
});

/** What the site calls a student: their display name, or (accounts from before names) their email's local part. */
export const displayNameOf = (user: { displayName: string | null; email: string }) => user.displayName || user.email.split('@')[0];

const sessionSchema = z.object({ jwt: z.string(), refreshToken: z.string(), user: userSchema });
const refreshedSchema = z.object({ jwt: z.string(), refreshToken: z.string() });
const okSchema = z.object({ ok: z.literal(true), message: z.string() });
/** A sign-up's answer: its token goes with the code to verify (and to ask for a new code). */
const registeredSchema = okSchema.extend({ registration: z.string() });

export const enrollmentSchema = z.object({
  documentId: z.string(),
  /** Where the enrollment stands (Strapi's own `status` is draft/published). */
  state: z.enum(['active', 'refunded', 'revoked']),
  source: z.enum(['purchase', 'free', 'admin']),
  enrolledAt: z.string(),
  course: z
    .object({
      documentId: z.string(),
      title: z.string(),
      slug: z.string(),
      summary: z.string().nullish(),
      level: levelSchema.nullish(),
      isFree: z.boolean().nullish(),
      cover: mediaSchema.nullish(),
    })
    .nullish(),
});
const enrollmentListSchema = z.object({ data: z.array(enrollmentSchema), meta: z.object({ pagination: paginationSchema }) });
const enrollmentCreatedSchema = z.object({ data: z.object({ documentId: z.string(), state: z.string() }) });

export const progressSchema = z.object({
  documentId: z.string(),
  positionSeconds: z.number(),
  completedAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
  lesson: z.object({ documentId: z.string(), slug: z.string(), title: z.string() }).nullish(),
});
const progressListSchema = z.object({ data: z.array(progressSchema) });
const progressOneSchema = z.object({ data: progressSchema });

export const orderSchema = z.object({
  documentId: z.string(),
  status: z.enum(['created', 'paid', 'failed', 'refunded']),
  amount: z.number(),
  currency: z.string(),
  course: z.object({ documentId: z.string(), title: z.string().nullish() }),
  razorpayOrderId: z.string().nullish(),
  failureReason: z.string().nullish(),
  createdAt: z.string().nullish(),
  paidAt: z.string().nullish(),
});
const orderListSchema = z.object({ data: z.array(orderSchema), meta: z.object({ pagination: paginationSchema }) });

/** What Razorpay Checkout is opened with (or the sandbox, when `mode` is 'sandbox'). */
export const checkoutSchema = z.object({
  mode: z.enum(['razorpay', 'sandbox']),
  key: z.string(),
  order_id: z.string(),
  amount: z.number(),
  currency: z.string(),
  name: z.string(),
  description: z.string().nullish(),
  prefill: z.object({ name: z.string().optional(), email: z.string().optional() }).optional(),
  notes: z.record(z.string(), z.string()).optional(),
});
const createdOrderSchema = z.object({ data: z.object({ order: orderSchema, checkout: checkoutSchema }) });

export const paymentResponseSchema = z.object({
  razorpay_order_id: z.string(),
  razorpay_payment_id: z.string(),
  razorpay_signature: z.string(),
});
/** The sandbox answers either what Checkout's handler gets, or what its payment.failed callback gets. */
const sandboxPaidSchema = z.object({
  data: z.union([
    paymentResponseSchema,
    z.object({ error: z.object({ description: z.string().nullish(), reason: z.string().nullish() }) }),
  ]),
});
const verifiedSchema = z.object({
  data: z.object({ order: orderSchema }),
  meta: z.object({ pending: z.boolean().optional(), alreadyPaid: z.boolean().optional(), message: z.string().optional() }),
});

export type Media = z.infer<typeof mediaSchema>;
export type Course = z.infer<typeof courseSchema>;
export type CourseList = z.infer<typeof courseListSchema>;
export type CourseDetail = z.infer<typeof courseDetailSchema>;
export type SyllabusModule = CourseDetail['modules'][number];
export type SyllabusLesson = z.infer<typeof syllabusLessonSchema>;
export type Lesson = z.infer<typeof lessonSchema>;
export type Category = z.infer<typeof categorySchema>;
export type User = z.infer<typeof userSchema>;
export type Session = z.infer<typeof sessionSchema>;
export type Enrollment = z.infer<typeof enrollmentSchema>;
export type Progress = z.infer<typeof progressSchema>;
export type Order = z.infer<typeof orderSchema>;
export type Checkout = z.infer<typeof checkoutSchema>;
export type PaymentResponse = z.infer<typeof paymentResponseSchema>;
export type Blocks = z.infer<typeof blocksSchema>;

// ── Catalog (public) ─────────────────────────────────────────────────────────────────────────

const CARD_POPULATE: Query = [
  ['populate[cover][fields][0]', 'url'],
  ['populate[cover][fields][1]', 'alternativeText'],
  ['populate[cover][fields][2]', 'width'],
  ['populate[cover][fields][3]', 'height'],
  ['populate[category][fields][0]', 'name'],
  ['populate[category][fields][1]', 'slug'],
  ['populate[instructors][fields][0]', 'name'],
];

/** Published courses (Strapi serves only those), with what a card shows; `query` adds filters, sort and paging. */
export function listCourses(query: Query = [['sort[0]', 'title:asc'], ['pagination[page]', 1], ['pagination[pageSize]', 24]]): Promise<CourseList> {
  return apiGet('courses', [...CARD_POPULATE, ...query], courseListSchema);
}

const SYLLABUS_FIELDS = ['title', 'slug', 'type', 'duration', 'isPreview', 'order'];

/**
 * One published course by slug with its description, instructors and syllabus (lesson titles
 * only: this is the public, cacheable view — lesson content is fetched per student).
 */
export async function getCourse(slug: string): Promise<CourseDetail | null> {
  const query: Query = [
    ['filters[slug][$eq]', slug],
    ...CARD_POPULATE.filter(([key]) => !key.startsWith('populate[instructors]')),
    ['populate[instructors][fields][0]', 'name'],
    ['populate[instructors][fields][1]', 'slug'],
    ['populate[instructors][fields][2]', 'bio'],
    ['populate[instructors][populate][avatar][fields][0]', 'url'],
    ['populate[instructors][populate][avatar][fields][1]', 'alternativeText'],
    ['populate[instructors][populate][avatar][fields][2]', 'width'],
    ['populate[instructors][populate][avatar][fields][3]', 'height'],
    ['populate[modules][fields][0]', 'title'],
    ['populate[modules][fields][1]', 'order'],
    ['populate[modules][sort][0]', 'order:asc'],
    ...SYLLABUS_FIELDS.map((field, i): [string, string] => [`populate[modules][populate][lessons][fields][${i}]`, field]),
    ['populate[modules][populate][lessons][sort][0]', 'order:asc'],
    ['pagination[pageSize]', 1],
  ];
  const { data } = await apiGet('courses', query, courseDetailListSchema);
  return data[0] ?? null;
}

export async function getCourseSlug(documentId: string): Promise<string | null> {
  const { data } = await apiGet(
    'courses',
    [['filters[documentId][$eq]', documentId], ['fields[0]', 'slug'], ['fields[1]', 'updatedAt'], ['pagination[pageSize]', 1]],
    sitemapListSchema
  );
  return data[0]?.slug ?? null;
}

/**
 * The categories with at least one published course (the catalog's filter, the sitemap): a course
 * relation row with a publication date exists only for a published course, so a category whose
 * courses are all drafts, or that has none, is left out by Strapi's query.
 */
export async function listCategories(): Promise<Category[]> {
  const { data } = await apiGet(
    'categories',
    [
      ['fields[0]', 'name'],
      ['fields[1]', 'slug'],
      ['filters[courses][publishedAt][$notNull]', 'true'],
      ['sort[0]', 'name:asc'],
      ['pagination[pageSize]', 100],
    ],
    categoryListSchema
  );
  return data;
}

/** Every published course's slug and last change, for sitemap.xml. */
export async function listCourseSlugs(): Promise<{ slug: string; updatedAt?: string | null }[]> {
  const all: { slug: string; updatedAt?: string | null }[] = [];
  for (let page = 1; ; page++) {
    const { data, meta } = await apiGet(
      'courses',
      [['fields[0]', 'slug'], ['fields[1]', 'updatedAt'], ['sort[0]', 'slug:asc'], ['pagination[page]', page], ['pagination[pageSize]', 100]],
      sitemapListSchema
    );
    all.push(...data);
    if (page >= meta.pagination.pageCount) return all;
  }
}

/**
 * A lesson of a course, as the caller may see it: with `token`, Strapi includes the body and
 * video when the student is enrolled; otherwise only previews come with them (`locked: true`).
 */
export async function getLesson(courseSlug: string, lessonSlug: string, token?: string | null): Promise<Lesson | null> {
  const { data } = await apiGet(
    'lessons',
    [
      ['filters[slug][$eq]', lessonSlug],
      ['filters[module][course][slug][$eq]', courseSlug],
      ['populate[video][fields][0]', 'url'],
      ['populate[video][fields][1]', 'mime'],
      ['populate[video][fields][2]', 'width'],
      ['populate[video][fields][3]', 'height'],
      ['populate[video][fields][4]', 'alternativeText'],
      ['populate[module][fields][0]', 'title'],
      ['populate[module][populate][course][fields][0]', 'slug'],
      ['pagination[pageSize]', 1],
    ],
    lessonListSchema,
    token
  );
  return data[0] ?? null;
}

// ── Accounts ─────────────────────────────────────────────────────────────────────────────────

type Caller = { clientIp?: string };

export const register = (input: { email: string; password: string; displayName: string }, caller: Caller = {}) =>
  apiRequest('auth/local/register', registeredSchema, { method: 'POST', body: input, ...caller });

export const verifyEmail = (input: { email: string; code: string; registration: string }, caller: Caller = {}) =>
  apiRequest('auth/otp/verify', sessionSchema, { method: 'POST', body: input, ...caller });

export const resendCode = (input: { email: string; registration: string }, caller: Caller = {}) =>
  apiRequest('auth/otp/resend', okSchema, { method: 'POST', body: input, ...caller });

export const login = (input: { identifier: string; password: string }, caller: Caller = {}) =>
  apiRequest('auth/local', sessionSchema, { method: 'POST', body: input, ...caller });

export const refreshSession = (refreshToken: string, caller: Caller = {}) =>
  apiRequest('auth/refresh', refreshedSchema, { method: 'POST', body: { refreshToken }, ...caller });

/** Ends this session only (the refresh token names it); other devices stay signed in. */
export const logout = (token: string, refreshToken?: string) =>
  apiRequest('auth/logout', z.unknown(), { method: 'POST', token, body: refreshToken ? { refreshToken } : {} });

export const forgotPassword = (email: string, caller: Caller = {}) =>
  apiRequest('auth/password/forgot', okSchema, { method: 'POST', body: { email }, ...caller });

export const resetPassword = (input: { email: string; code: string; password: string }, caller: Caller = {}) =>
  apiRequest('auth/password/reset', okSchema, { method: 'POST', body: input, ...caller });

export const me = (token: string) => apiRequest('users/me', userSchema, { token });

/** Changes the student's own display name; answers the updated user. */
export const updateProfile = (token: string, input: { displayName: string }) =>
  apiRequest('account/profile', userSchema, { method: 'PUT', token, body: input });

/**
 * Changes the password (the current one is required). Every session of the account ends; the
 * answer is a new session for this device. 429 after too many wrong current passwords.
 */
export const changePassword = (token: string, input: { currentPassword: string; password: string; passwordConfirmation: string }, caller: Caller = {}) =>
  apiRequest('auth/change-password', sessionSchema, { method: 'POST', token, body: input, ...caller });

// ── Learning ─────────────────────────────────────────────────────────────────────────────────

/** The student's enrollments, newest first, with the course each is for. */
export async function listEnrollments(token: string): Promise<Enrollment[]> {
  const { data } = await apiRequest('enrollments', enrollmentListSchema, { token, query: [['pagination[pageSize]', 100]] });
  return data;
}

/** Enrolls the student in a free course (idempotent). Paid courses answer 402. */
export const enrollFree = (token: string, courseDocumentId: string) =>
  apiRequest(`courses/${encodeURIComponent(courseDocumentId)}/enroll`, enrollmentCreatedSchema, { method: 'POST', token, body: {} });

/** The student's progress rows, for one course or all. */
export async function listProgress(token: string, courseDocumentId?: string): Promise<Progress[]> {
  const { data } = await apiRequest('lesson-progresses', progressListSchema, {
    token,
    query: courseDocumentId ? [['course', courseDocumentId]] : [],
  });
  return data;
}

export async function saveProgress(token: string, lessonDocumentId: string, change: { positionSeconds?: number; completed?: boolean }) {
  const { data } = await apiRequest(`lesson-progresses/${encodeURIComponent(lessonDocumentId)}`, progressOneSchema, {
    method: 'PUT',
    token,
    body: change,
  });
  return data;
}

// ── Payments ─────────────────────────────────────────────────────────────────────────────────

export async function listOrders(token: string, pageSize = 5): Promise<Order[]> {
  const { data } = await apiRequest('payments/orders', orderListSchema, { token, query: [['pageSize', pageSize]] });
  return data;
}

/** One of the student's orders, by its documentId or its Razorpay order id. */
export async function getOrder(token: string, id: string): Promise<Order> {
  const { data } = await apiRequest(`payments/orders/${encodeURIComponent(id)}`, z.object({ data: orderSchema }), { token });
  return data;
}

/** An order for a paid course (an unpaid one is reused) and the options to open Checkout with. */
export async function createOrder(token: string, courseDocumentId: string) {
  const { data } = await apiRequest('payments/orders', createdOrderSchema, {
    method: 'POST',
    token,
    body: { courseId: courseDocumentId },
    timeoutMs: PAYMENT_TIMEOUT_MS,
  });
  return data;
}

/** Development only: plays Razorpay Checkout for one of the student's orders. */
export async function sandboxPay(token: string, razorpayOrderId: string, outcome: 'success' | 'failure') {
  const { data } = await apiRequest('payments/sandbox/pay', sandboxPaidSchema, {
    method: 'POST',
    token,
    body: { razorpay_order_id: razorpayOrderId, outcome },
    timeoutMs: PAYMENT_TIMEOUT_MS,
  });
  return data;
}

/** Hands Strapi what Checkout returned; it checks the signature and the payment, then enrolls. */
export async function verifyPayment(token: string, payment: PaymentResponse) {
  const { data, meta } = await apiRequest('payments/verify', verifiedSchema, {
    method: 'POST',
    token,
    body: payment,
    timeoutMs: PAYMENT_TIMEOUT_MS,
  });
  return { order: data.order, pending: meta.pending ?? false, message: meta.message };
}

// ── Live classes ─────────────────────────────────────────────────────────────────────────────
// Mirrors src-plugins/live/server/src/sessions/contracts.ts (PublicSessionDto, JoinResponse,
// LeaveResponse), providers/types.ts (Playback) and realtime/contracts.ts (RealtimeGrant);
// src/lib/__tests__/live.test.ts checks that the server's types still fit these schemas. Unknown
// fields are dropped, so nothing the API might add by mistake (a stream key, say) ever reaches a
// page or the browser.

export const LIVE_STATUSES = ['SCHEDULED', 'LIVE', 'ENDED', 'CANCELLED'] as const;
const liveStatusSchema = z.enum(LIVE_STATUSES);
const courseRefSchema = z.object({ documentId: z.string(), title: z.string(), slug: z.string() });
const nullableString = z.string().nullish().transform((value) => value ?? null);

export const publicSessionSchema = z.object({
  id: z.string(),
  title: z.string(),
  scheduledAt: z.string(),
  status: liveStatusSchema,
  course: courseRefSchema.nullish().transform((course) => course ?? null),
});
const upcomingSessionsSchema = z.object({ data: z.array(publicSessionSchema) });

/** Only URLs a player can open: no `javascript:` or relative tricks. */
const streamUrl = z.string().regex(/^(https?|wss?):\/\/[^\s]+$/i, 'must be an http(s) or ws(s) URL');

export const playbackSchema = z.object({
  kind: z.enum(['flv', 'ivs']),
  url: streamUrl,
  wsUrl: streamUrl.nullish().transform((value) => value ?? undefined),
  expiresAt: z.string(),
});

/**
 * The classroom chat's credentials (the live plugin's realtime/contracts.ts RealtimeGrant): where
 * the socket connects (Strapi's own origin) and this student's short-lived token.
 */
export const realtimeGrantSchema = z.object({
  url: z.string().regex(/^https?:\/\/[^\s/]+$/i, 'must be an http(s) origin'),
  path: z.string().regex(/^\/[\w\-/]*$/, 'must be a path'),
  token: z.string().min(16).max(2048),
  expiresAt: z.string(),
  capabilities: z.array(z.enum(['read', 'send', 'moderate'])),
  /** CHAT_PROVIDER=ivs-chat: send over IVS Chat's messaging WebSocket with this token (ivs-chat-transport.ts). */
  ivsChat: z
    .object({
      messagingUrl: z.string().regex(/^wss?:\/\/[^\s]+$/i, 'must be a ws(s) URL'),
      token: z.string().min(16).max(8192),
      sessionExpirationTime: z.string(),
    })
    .optional(),
});

export const joinResponseSchema = z.object({
  session: publicSessionSchema.extend({ description: nullableString, startedAt: nullableString, endedAt: nullableString }),
  playback: playbackSchema.nullish().transform((playback) => playback ?? null),
  attendee: z
    .object({ joinedAt: z.string(), watchDuration: z.number() })
    .nullish()
    .transform((attendee) => attendee ?? null),
  /** Null when this student may not chat (the class is over), or from a server without chat. */
  realtime: realtimeGrantSchema.nullish().transform((realtime) => realtime ?? null),
});
export const leaveResponseSchema = z.object({ leftAt: nullableString, watchDuration: z.number() });

/** A class the student attended (watched at least the configured share of): the live plugin's AttendedClassDto. */
export const attendedClassSchema = z.object({
  id: z.string(),
  title: z.string(),
  course: courseRefSchema.nullish().transform((course) => course ?? null),
  startedAt: nullableString,
  endedAt: nullableString,
  watchSeconds: z.number(),
});

export type LiveStatus = z.infer<typeof liveStatusSchema>;
export type PublicSession = z.infer<typeof publicSessionSchema>;
export type Playback = z.infer<typeof playbackSchema>;
export type RealtimeGrant = z.infer<typeof realtimeGrantSchema>;
export type JoinResponse = z.infer<typeof joinResponseSchema>;
export type LeaveResponse = z.infer<typeof leaveResponseSchema>;
export type AttendedClass = z.infer<typeof attendedClassSchema>;

/** Scheduled and live classes of some courses (public), live first, then soonest first. */
export async function listUpcomingLiveSessions(courseDocumentIds: string[], limit = 10): Promise<PublicSession[]> {
  const { data } = await apiRequest('live/upcoming', upcomingSessionsSchema, {
    query: [
      ['course', courseDocumentIds.join(',')],
      ['limit', limit],
    ],
  });
  return data;
}

/**
 * Joins a class as the student: the session and, while it is LIVE, a playback URL for this
 * viewer only (short-lived: join again for a fresh one). 403 not enrolled, 404 unknown, 409 ended
 * or cancelled.
 */
export async function joinLiveSession(token: string, sessionId: string): Promise<JoinResponse> {
  const { data } = await apiRequest(`live/sessions/${encodeURIComponent(sessionId)}/join`, z.object({ data: joinResponseSchema }), { token });
  return data;
}

export async function leaveLiveSession(token: string, sessionId: string): Promise<LeaveResponse> {
  const { data } = await apiRequest(`live/sessions/${encodeURIComponent(sessionId)}/leave`, z.object({ data: leaveResponseSchema }), {
    method: 'POST',
    token,
    body: {},
  });
  return data;
}

/** The live classes the student attended, latest first (GET /api/live/me/attended). */
export async function listAttendedLiveClasses(token: string): Promise<AttendedClass[]> {
  const { data } = await apiRequest('live/me/attended', z.object({ data: z.array(attendedClassSchema) }), { token });
  return data;
}

// ── URLs ─────────────────────────────────────────────────────────────────────────────────────

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

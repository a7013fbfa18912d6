import { ApiError, courseDetailSchema, courseListSchema, listCourses, login, me, mediaUrl, register } from '../api';

const sampleCourse = {
  id: 3,
  documentId: 'k1x9c0ursea',
  title: 'Python for Data Analysis',
  slug: 'python-for-data-analysis',
  summary: 'Pandas from zero.',
  description: [{ type: 'paragraph', children: [] }],
  level: 'beginner',
  language: 'English',
  price: 49900,
  currency: 'INR',
  isFree: false,
  createdAt: '2025-01-01T00:00:00.000Z',
  publishedAt: '2025-01-02T00:00:00.000Z',
  cover: { id: 9, url: '/uploads/python.png', alternativeText: 'A snake', width: 1280, height: 720 },
  category: { id: 1, name: 'Data', slug: 'data' },
  instructors: [{ id: 4, name: 'Asha Rao' }],
};

const sampleList = {
  data: [sampleCourse],
  meta: { pagination: { page: 1, pageSize: 24, pageCount: 1, total: 1 } },
};

const jsonResponse = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('mediaUrl', () => {
  it('makes relative upload paths absolute on the public URL', () => {
    expect(mediaUrl('/uploads/x.png', 'http://localhost:1337')).toBe('http://localhost:1337/uploads/x.png');
    expect(mediaUrl('uploads/x.png', 'http://localhost:1337/')).toBe('http://localhost:1337/uploads/x.png');
  });

  it('keeps a path prefix on the public URL', () => {
    expect(mediaUrl('/uploads/x.png', 'https://skillyug.in/cms/')).toBe('https://skillyug.in/cms/uploads/x.png');
  });

  it('leaves absolute and protocol-relative URLs alone', () => {
    expect(mediaUrl('https://cdn.example.com/x.png', 'http://localhost:1337')).toBe('https://cdn.example.com/x.png');
    expect(mediaUrl('//cdn.example.com/x.png', 'http://localhost:1337')).toBe('//cdn.example.com/x.png');
  });
});

describe('courseListSchema', () => {
  it('parses a Strapi 5 list, dropping fields the site does not use', () => {
    const { data, meta } = courseListSchema.parse(sampleList);
    expect(meta.pagination.total).toBe(1);
    expect(data[0]).toEqual({
      id: 3,
      documentId: 'k1x9c0ursea',
      title: 'Python for Data Analysis',
      slug: 'python-for-data-analysis',
      summary: 'Pandas from zero.',
      level: 'beginner',
      language: 'English',
      price: 49900,
      currency: 'INR',
      isFree: false,
      cover: { url: '/uploads/python.png', alternativeText: 'A snake', width: 1280, height: 720 },
      category: { name: 'Data', slug: 'data' },
      instructors: [{ name: 'Asha Rao' }],
      publishedAt: '2025-01-02T00:00:00.000Z',
    });
  });

  it('accepts missing cover, category and instructors', () => {
    const bare = { ...sampleCourse, cover: null, category: null, instructors: undefined, summary: null };
    const [course] = courseListSchema.parse({ ...sampleList, data: [bare] }).data;
    expect(course.cover).toBeNull();
    expect(course.category).toBeNull();
    expect(course.instructors).toEqual([]);
  });

  it('rejects a course without the fields a card needs', () => {
    const { title: _title, ...untitled } = sampleCourse;
    expect(courseListSchema.safeParse({ ...sampleList, data: [untitled] }).success).toBe(false);
    expect(courseListSchema.safeParse({ ...sampleList, data: [{ ...sampleCourse, level: 'expert' }] }).success).toBe(false);
  });
});

describe('listCourses', () => {
  const fetchMock = jest.spyOn(globalThis, 'fetch');
  afterEach(() => fetchMock.mockReset());
  afterAll(() => fetchMock.mockRestore());

  it('asks for published course cards in title order and parses the answer', async () => {
    fetchMock.mockResolvedValue(jsonResponse(sampleList));
    const list = await listCourses();

    expect(list.data[0].title).toBe('Python for Data Analysis');
    const url = new URL(String(fetchMock.mock.calls[0][0]));
    expect(url.pathname).toBe('/api/courses');
    expect(url.searchParams.get('populate[cover][fields][0]')).toBe('url');
    expect(url.searchParams.get('populate[instructors][fields][0]')).toBe('name');
    expect(url.searchParams.get('sort[0]')).toBe('title:asc');
    expect(url.searchParams.get('pagination[pageSize]')).toBe('24');
    expect(fetchMock.mock.calls[0][1]?.signal).toBeInstanceOf(AbortSignal);
  });

  it("carries the status and Strapi's error message", async () => {
    fetchMock.mockResolvedValue(
      jsonResponse({ data: null, error: { status: 400, name: 'ValidationError', message: 'Invalid key foo' } }, 400)
    );
    await expect(listCourses()).rejects.toMatchObject({ name: 'ApiError', status: 400, message: 'Invalid key foo' });
  });

  it('falls back to the status text when the error body is not Strapi JSON', async () => {
    fetchMock.mockResolvedValue(new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    await expect(listCourses()).rejects.toMatchObject({ status: 502, message: 'Bad Gateway' });
  });

  it('reports an unreachable API as status 0', async () => {
    fetchMock.mockRejectedValue(new TypeError('fetch failed'));
    const error = await listCourses().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 0 });
  });

  it('rejects a response of the wrong shape', async () => {
    fetchMock.mockResolvedValue(jsonResponse({ data: 'nope' }));
    await expect(listCourses()).rejects.toMatchObject({ name: 'ApiError', status: 200 });
  });
});

describe('ApiError from a Strapi error body', () => {
  let fetchMock: jest.SpiedFunction<typeof fetch>;
  beforeEach(() => {
    fetchMock = jest.spyOn(globalThis, 'fetch');
  });
  afterEach(() => fetchMock.mockRestore());

  it('maps details.errors[].path to fields and keeps the reason', async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(
        {
          data: null,
          error: {
            status: 400,
            name: 'ValidationError',
            message: 'password: use at least 10 characters',
            details: { errors: [{ path: ['password'], message: 'use at least 10 characters' }, { path: ['password'], message: 'second' }] },
          },
        },
        400
      )
    );
    const error = (await register({ email: 'a@b.co', password: 'x', displayName: 'A' }).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.fieldErrors).toEqual({ password: 'use at least 10 characters' });
    expect(error.unavailable).toBe(false);

    fetchMock.mockResolvedValue(jsonResponse({ data: null, error: { status: 400, name: 'ApplicationError', message: 'Verify first', details: { reason: 'email-not-verified' } } }, 400));
    const unverified = (await login({ identifier: 'a@b.co', password: 'x' }).catch((e: unknown) => e)) as ApiError;
    expect(unverified.reason).toBe('email-not-verified');
  });

  it('reads Retry-After on 429 and forwards the visitor address', async () => {
    fetchMock.mockResolvedValue(
      new Response(JSON.stringify({ error: { status: 429, name: 'RateLimitError', message: 'Too many attempts.' } }), {
        status: 429,
        headers: { 'Content-Type': 'application/json', 'Retry-After': '42' },
      })
    );
    const error = (await login({ identifier: 'a@b.co', password: 'x' }, { clientIp: '203.0.113.9' }).catch((e: unknown) => e)) as ApiError;
    expect(error.retryAfter).toBe(42);
    const init = fetchMock.mock.calls[0][1] as RequestInit;
    expect((init.headers as Record<string, string>)['X-Forwarded-For']).toBe('203.0.113.9');
    expect(init.method).toBe('POST');
    expect(JSON.parse(String(init.body))).toEqual({ identifier: 'a@b.co', password: 'x' });
  });

  it('sends the bearer token only when given one', async () => {
    fetchMock.mockResolvedValue(jsonResponse({ id: 1, username: 'u', email: 'u@x.co' }));
    await me('tok123');
    expect((fetchMock.mock.calls[0][1]?.headers as Record<string, string>).Authorization).toBe('Bearer tok123');
    fetchMock.mockResolvedValue(jsonResponse(sampleList));
    await listCourses();
    expect((fetchMock.mock.calls[1][1]?.headers as Record<string, string>).Authorization).toBeUndefined();
  });
});

describe('courseDetailSchema', () => {
  it('sorts modules and lessons by order', () => {
    const lesson = (order: number) => ({ documentId: `l${order}xxxxxxxxxx`, title: `L${order}`, slug: `l${order}`, type: 'video', duration: 60, isPreview: false, order });
    const parsed = courseDetailSchema.parse({
      ...sampleCourse,
      instructors: [{ name: 'Asha Rao', slug: 'asha-rao', bio: null }],
      modules: [
        { documentId: 'm2', title: 'Second', order: 2, lessons: [lesson(2), lesson(1)] },
        { documentId: 'm1', title: 'First', order: 1, lessons: null },
      ],
    });
    expect(parsed.modules.map((m) => m.title)).toEqual(['First', 'Second']);
    expect(parsed.modules[1].lessons.map((l) => l.order)).toEqual([1, 2]);
    expect(parsed.modules[0].lessons).toEqual([]);
  });
});

import { ApiError, courseListSchema, listCourses, mediaUrl } from '../api';

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

import { listCourses } from '../api';
import { currentSiteRequest, requestContextStorage } from '../request-context';

const emptyList = { data: [], meta: { pagination: { page: 1, pageSize: 24, pageCount: 0, total: 0 } } };

describe("the page's request id on the site's calls to Strapi", () => {
  const fetchMock = jest.spyOn(globalThis, 'fetch');
  afterEach(() => fetchMock.mockReset());
  afterAll(() => fetchMock.mockRestore());
  const sentHeaders = (call: number) => fetchMock.mock.calls[call][1]?.headers as Record<string, string>;

  it('is sent as X-Request-Id on every call made while serving the request, also after awaits', async () => {
    fetchMock.mockImplementation(async () => new Response(JSON.stringify(emptyList), { headers: { 'Content-Type': 'application/json' } }));
    await requestContextStorage().run({ requestId: 'page-request-0001', userId: undefined, route: undefined }, async () => {
      await listCourses();
      await new Promise((resolve) => setImmediate(resolve));
      await listCourses();
    });
    expect(sentHeaders(0)['X-Request-Id']).toBe('page-request-0001');
    expect(sentHeaders(1)['X-Request-Id']).toBe('page-request-0001');
  });

  it('keeps concurrent requests apart, and sends none outside a request', async () => {
    fetchMock.mockImplementation(async () => new Response(JSON.stringify(emptyList), { headers: { 'Content-Type': 'application/json' } }));
    const serve = (requestId: string) => requestContextStorage().run({ requestId, userId: undefined, route: undefined }, () => listCourses());
    await Promise.all([serve('concurrent-aaaa'), serve('concurrent-bbbb')]);
    expect(fetchMock.mock.calls.map((_, i) => sentHeaders(i)['X-Request-Id']).sort()).toEqual(['concurrent-aaaa', 'concurrent-bbbb']);
    await listCourses();
    expect(sentHeaders(2)).not.toHaveProperty('X-Request-Id');
    expect(currentSiteRequest()).toBeUndefined();
  });
});

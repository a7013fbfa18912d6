import { startStrapi, type TestApp } from './helpers/strapi';

let app: TestApp;
beforeAll(async () => {
  app = await startStrapi();
});
afterAll(async () => {
  await app?.stop();
});

/** Each public catalog route, with one of its numeric fields, a date field, a relation and a text field. */
const ROUTES = [
  { path: '/api/courses', number: 'price', relation: 'category', text: 'title', boolean: 'isFree' },
  { path: '/api/categories', number: 'id', relation: 'courses', text: 'name', boolean: null },
  { path: '/api/lessons', number: 'duration', relation: 'module', text: 'title', boolean: 'isPreview' },
  { path: '/api/modules', number: 'order', relation: 'course', text: 'title', boolean: null },
  { path: '/api/instructors', number: 'id', relation: 'courses', text: 'name', boolean: null },
];

const deepAnd = (depth: number) => `filters${'[$and][0]'.repeat(depth)}[id][$eq]=1`;
const deepRelation = (relation: string, back: string, depth: number) =>
  `filters${`[${relation}][${back}]`.repeat(depth)}[id][$eq]=1`;

/** Queries a hostile or careless client sends; every one must be a 400 with a message, never a 500. */
function hostileQueries(route: (typeof ROUTES)[number]) {
  const { number, relation, text } = route;
  const queries = [
    `filters[${number}][$eq]=abc`,
    `filters[${number}][$gt]=1e999999`,
    `filters[${number}][$in]=x`,
    `filters[${number}][$in][0]=1&filters[${number}][$in][1]=abc`,
    `filters[${number}][$between]=5`,
    `filters[${number}][$between][0]=1`,
    `filters[${number}][$between][0]=a&filters[${number}][$between][1]=b`,
    `filters[id][$in]=x`,
    `filters[id][$eq]=9999999999999999999999`,
    `filters[createdAt][$gt]=not-a-date`,
    `filters[createdAt][$between][0]=yesterday&filters[createdAt][$between][1]=today`,
    `filters[${text}][$foo]=x`,
    `filters[${text}][$eq][$eq]=x`,
    `filters[${text}][$null]=maybe`,
    `filters[${text}][$eq]=a%00b`,
    `filters[${number}][$containsi]=1`,
    `filters[$or]=x`,
    `filters[$and][0]=x`,
    `filters=abc`,
    deepAnd(30),
    `filters[${relation}][$eq]=abc`,
    `sort=nonexistent`,
    `sort=${text}:sideways`,
    `sort[0][nonexistent]=asc`,
    `pagination[pageSize]=-1`,
    `pagination[page]=0`,
    `pagination[page]=abc`,
    `pagination[pageSize]=abc`,
    `pagination[start]=-5&pagination[limit]=5`,
    `pagination[limit]=abc`,
    `pagination[page]=1&pagination[start]=0`,
    `populate[foo]=*`,
    `populate=foo`,
    `populate[${relation}][populate][foo]=*`,
    `populate[${relation}][fields][0]=nonexistent`,
    `fields[0]=nonexistent`,
    `fields=nonexistent`,
    `locale[$eq]=x`,
  ];
  if (route.boolean) queries.push(`filters[${route.boolean}][$eq]=maybe`);
  return queries;
}

const CASES = ROUTES.flatMap((route) => hostileQueries(route).map((query) => [route.path, query] as const));

describe('malformed catalog queries', () => {
  it.each(CASES)('%s?%s answers 400 with a message', async (path, query) => {
    const res = await app.http.get(`${path}?${query}`);
    expect({ status: res.status, message: res.body?.error?.message }).toEqual({ status: 400, message: expect.any(String) });
    expect(res.body.error.name).toBe('ValidationError');
    expect(res.body.error.message.length).toBeGreaterThan(5);
  });

  it.each(ROUTES.map((route) => [route.path]))('%s/:id answers 400 for a malformed query too', async (path) => {
    const list = await app.http.get(path);
    const documentId = list.body.data[0].documentId;
    for (const query of ['filters[id][$in]=x', 'populate[foo]=*', 'fields[0]=nonexistent']) {
      const res = await app.http.get(`${path}/${documentId}?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
    }
  });

  it('refuses relation filters nested deeper than the site ever asks', async () => {
    const res = await app.http.get(`/api/courses?${deepRelation('category', 'courses', 8)}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/deep/i);
  });

  it('still answers well-formed queries of every kind', async () => {
    const ok = [
      '/api/courses?filters[price][$gt]=0&filters[price][$lte]=100000',
      '/api/courses?filters[price][$between][0]=0&filters[price][$between][1]=100000',
      '/api/courses?filters[id][$in][0]=1&filters[id][$in][1]=2',
      '/api/courses?filters[createdAt][$gt]=2020-01-01T00:00:00.000Z',
      '/api/courses?filters[isFree][$eq]=true',
      '/api/courses?filters[category][slug][$eq]=web-development',
      '/api/courses?filters[$or][0][title][$containsi]=react&filters[$or][1][summary][$containsi]=react',
      '/api/courses?filters[title][$null]=false',
      '/api/courses?sort[0]=publishedAt:desc&sort[1]=title:asc&pagination[page]=1&pagination[pageSize]=6',
      '/api/courses?pagination[start]=0&pagination[limit]=5',
      '/api/courses?populate[category][fields][0]=name&populate[instructors][fields][0]=name&fields[0]=title',
      '/api/courses?populate=*',
      '/api/lessons?filters[duration][$gte]=0&sort=order:asc',
      '/api/lessons?filters[slug][$eq]=x&filters[module][course][slug][$eq]=react-for-beginners',
      '/api/courses?filters[documentId][$eq]=abc&fields[0]=slug&fields[1]=updatedAt&pagination[pageSize]=1',
      '/api/modules?populate[lessons][fields][0]=title&sort=order',
      '/api/categories?populate[courses][count]=true',
      '/api/instructors?filters[name][$containsi]=a',
    ];
    for (const url of ok) {
      const res = await app.http.get(url);
      expect({ url, status: res.status }).toEqual({ url, status: 200 });
    }
  });
});

/**
 * Course prices through the admin's content manager: stored in paise, a paid course can't be
 * saved below the ₹49 minimum (a price typed in paise by mistake), a free course has no price.
 */
import { startStrapi, type TestApp } from './helpers/strapi';
import { superAdmin } from './helpers/payments';

const CM = '/content-manager/collection-types/api::course.course';
let app: TestApp;
let admin: Awaited<ReturnType<typeof superAdmin>>;

beforeAll(async () => {
  app = await startStrapi();
  admin = await superAdmin(app);
});
afterAll(async () => {
  await app?.stop();
});

let counter = 0;
const draft = (fields: Record<string, unknown>) => {
  counter += 1;
  return { title: `Pricing test ${counter}`, slug: `pricing-test-${counter}`, level: 'beginner', currency: 'INR', ...fields };
};
const storedPrice = async (documentId: string) =>
  ((await app.strapi.documents('api::course.course').findOne({ documentId, status: 'draft', fields: ['price', 'isFree'] } as any)) as any);

describe('saving a course price in the admin', () => {
  it('refuses a paid course priced below ₹49, saying why, next to the price field', async () => {
    const response = await app.http.post(CM).set(admin.auth).send(draft({ price: 499, isFree: false }));
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      name: 'ValidationError',
      message: '₹4.99 is below the ₹49 minimum for a paid course. Enter the price in rupees (e.g. 499 for ₹499), or tick “Is free”',
    });
    expect(response.body.error.details.errors[0]).toMatchObject({ path: ['price'] });
    expect(await app.strapi.documents('api::course.course').count({ filters: { slug: `pricing-test-${counter}` } } as any)).toBe(0);
  });

  it('refuses a paid course with no price, and a free course with one', async () => {
    const unpriced = await app.http.post(CM).set(admin.auth).send(draft({ price: 0, isFree: false }));
    expect(unpriced.status).toBe(400);
    expect(unpriced.body.error.message).toMatch(/A paid course needs a price of at least ₹49/);

    const pricedFree = await app.http.post(CM).set(admin.auth).send(draft({ price: 49_900, isFree: true }));
    expect(pricedFree.status).toBe(400);
    expect(pricedFree.body.error.message).toMatch(/A free course has no price/);
  });

  it('saves ₹499.50 as 49950 paise, and ₹49 exactly', async () => {
    const created = await app.http.post(CM).set(admin.auth).send(draft({ price: 49_950, isFree: false }));
    expect(created.status).toBe(201);
    expect(await storedPrice(created.body.data.documentId)).toMatchObject({ price: 49_950, isFree: false });

    const minimum = await app.http.post(CM).set(admin.auth).send(draft({ price: 4_900, isFree: false }));
    expect(minimum.status).toBe(201);
  });

  it('refuses an update that drops a paid course below the minimum, and keeps the old price', async () => {
    const created = await app.http.post(CM).set(admin.auth).send(draft({ price: 129_900, isFree: false }));
    expect(created.status).toBe(201);
    const documentId = created.body.data.documentId;

    const lowered = await app.http.put(`${CM}/${documentId}`).set(admin.auth).send({ ...created.body.data, price: 1299 });
    expect(lowered.status).toBe(400);
    expect(lowered.body.error.message).toMatch(/^₹12.99 is below the ₹49 minimum/);
    expect(await storedPrice(documentId)).toMatchObject({ price: 129_900 });

    // Unticking "Is free" on a free course without giving it a price is refused too.
    const free = await app.http.post(CM).set(admin.auth).send(draft({ price: 0, isFree: true }));
    expect(free.status).toBe(201);
    const unticked = await app.http.put(`${CM}/${free.body.data.documentId}`).set(admin.auth).send({ ...free.body.data, isFree: false });
    expect(unticked.status).toBe(400);
    expect(await storedPrice(free.body.data.documentId)).toMatchObject({ price: 0, isFree: true });
  });

  it('applies to writes from code as well: a partial update is checked against the stored course', async () => {
    const created = await app.http.post(CM).set(admin.auth).send(draft({ price: 49_900, isFree: false }));
    const documentId = created.body.data.documentId;
    await expect(app.strapi.documents('api::course.course').update({ documentId, data: { price: 4_899 } } as any)).rejects.toThrow(
      /₹48.99 is below the ₹49 minimum/
    );
    await expect(app.strapi.documents('api::course.course').update({ documentId, data: { price: 99_900 } } as any)).resolves.toBeTruthy();
    expect(await storedPrice(documentId)).toMatchObject({ price: 99_900 });
  });
});

describe('the price field', () => {
  it('is the money custom field, an integer of paise underneath', () => {
    const price = (app.strapi.getModel('api::course.course' as any) as any).attributes.price;
    expect(price).toMatchObject({ type: 'integer', customField: 'plugin::live.money' });
  });
});

import crypto from 'node:crypto';
import { signInNewStudent, demoCourse } from './helpers/strapi';
import { startRazorpayDouble, type RazorpayDouble } from './helpers/razorpay-double';
import { startPaymentsApp, ordersOf, enrollmentsOf, canReadLesson, expectNoSecrets, type PaymentsApp } from './helpers/payments';
import { waitFor } from './helpers/wait';

let app: PaymentsApp;
let razorpay: RazorpayDouble;

beforeAll(async () => {
  razorpay = await startRazorpayDouble();
  app = await startPaymentsApp(razorpay.env);
});
afterAll(async () => {
  await app?.stop();
  await razorpay?.close();
});

type Student = Awaited<ReturnType<typeof signInNewStudent>>;

/** Every published paid course of the demo seed. */
async function paidCourses() {
  return (await app.strapi.documents('api::course.course').findMany({
    status: 'published',
    filters: { isFree: false, price: { $gt: 0 } },
    fields: ['title', 'price', 'currency'],
    sort: 'slug:asc',
  } as any)) as any[];
}

const order = (student: Student, courseId: string) => app.http.post('/api/payments/orders').set(student.auth).send({ courseId });
const verify = (student: Student, body: object) => app.http.post('/api/payments/verify').set(student.auth).send(body);

/** Creates an order through the API and pays it in the double, like Checkout would. */
async function orderAndPay(student: Student, courseId: string, options: Parameters<RazorpayDouble['pay']>[1] = {}) {
  const created = await order(student, courseId);
  expect([200, 201]).toContain(created.status);
  const payment = razorpay.pay(created.body.data.checkout.order_id, options);
  return { created, payment };
}

async function expectNothingGranted(student: Student, lessonDocumentId: string) {
  expect(await enrollmentsOf(app, student.id)).toHaveLength(0);
  expect((await ordersOf(app, student.id)).filter((o: any) => o.status === 'paid')).toHaveLength(0);
  expect(await canReadLesson(app, student.auth, lessonDocumentId)).toBe(false);
}

describe('buying a course', () => {
  it('order → Checkout → verify → enrolled, and the paid lesson opens', async () => {
    const student = await signInNewStudent(app, 'buyer');
    const { course, paidLesson } = await demoCourse(app, 'paid');
    expect(await canReadLesson(app, student.auth, paidLesson.documentId)).toBe(false);

    const created = await order(student, course.documentId);
    expect(created.status).toBe(201);
    const { checkout, order: mine } = created.body.data;
    // What Checkout needs, priced from the database.
    expect(checkout).toMatchObject({
      mode: 'razorpay',
      key: razorpay.env.RAZORPAY_KEY_ID,
      amount: course.price,
      currency: 'INR',
      name: 'Skillyug',
      description: course.title,
      prefill: { email: student.email },
    });
    expect(mine).toMatchObject({ status: 'created', amount: course.price, course: { documentId: course.documentId } });
    const remote = razorpay.orders.get(checkout.order_id)!;
    expect(remote).toMatchObject({ amount: course.price, currency: 'INR', receipt: mine.documentId });
    expect(remote.notes).toMatchObject({ userId: String(student.id), courseId: course.documentId, orderId: mine.documentId });

    const payment = razorpay.pay(checkout.order_id);
    const verified = await verify(student, razorpay.checkoutResponse(payment));
    expect(verified.status).toBe(200);
    expect(verified.body.data.order).toMatchObject({ status: 'paid', razorpayPaymentId: payment.id });
    expect(verified.body.data.enrollment).toMatchObject({ state: 'active', source: 'purchase', course: { documentId: course.documentId } });
    expect(verified.body.meta.alreadyPaid).toBe(false);
    expect(await canReadLesson(app, student.auth, paidLesson.documentId)).toBe(true);

    // The purchase receipt goes to the student, once.
    await waitFor(() => app.emails.some((m) => m.to === student.email), 5_000, 'the receipt email');
    const receipt = app.emails.filter((m) => m.to === student.email);
    expect(receipt).toHaveLength(1);
    expect(receipt[0].subject).toContain(course.title);
    expect(receipt[0].text).toContain(payment.id);

    // Verifying again is harmless and answers with the same enrollment.
    const again = await verify(student, razorpay.checkoutResponse(payment));
    expect(again.status).toBe(200);
    expect(again.body.meta.alreadyPaid).toBe(true);
    expect(again.body.data.enrollment.documentId).toBe(verified.body.data.enrollment.documentId);
    expect(await enrollmentsOf(app, student.id)).toHaveLength(1);
    expect(app.emails.filter((m) => m.to === student.email)).toHaveLength(1);

    // The student sees the order in their list; the order is audited.
    const list = await app.http.get('/api/payments/orders').set(student.auth);
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).toMatchObject({ documentId: mine.documentId, status: 'paid' });
    const [row] = await ordersOf(app, student.id);
    expect(row.events.map((e: any) => e.outcome)).toContain('paid');

    // Owning it now, the student can't buy it again.
    const twice = await order(student, course.documentId);
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toMatch(/already own/);
  });

  it('never puts a secret in an order response', async () => {
    const student = await signInNewStudent(app);
    const { course } = await demoCourse(app, 'paid');
    const created = await order(student, course.documentId);
    const payment = razorpay.pay(created.body.data.checkout.order_id);
    const verified = await verify(student, razorpay.checkoutResponse(payment));
    const listed = await app.http.get('/api/payments/orders').set(student.auth);
    const one = await app.http.get(`/api/payments/orders/${created.body.data.order.documentId}`).set(student.auth);
    const secrets = [razorpay.secrets.keySecret, razorpay.secrets.webhookSecret, process.env.DATA_ENCRYPTION_KEY!];
    for (const res of [created, verified, listed, one]) {
      expect(res.status).toBe(200 + (res === created ? 1 : 0));
      expectNoSecrets(res.body, secrets);
      expect(JSON.stringify(res.body)).not.toMatch(/userCourseKey|"events"/);
    }
  });

  it('reuses an unpaid order instead of creating another, even when asked concurrently', async () => {
    const student = await signInNewStudent(app);
    const { course } = await demoCourse(app, 'paid');
    const before = razorpay.orders.size;
    const responses = await Promise.all(Array.from({ length: 5 }, () => order(student, course.documentId)));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(responses.map((r) => r.body.data.checkout.order_id)).size).toBe(1);
    const later = await order(student, course.documentId);
    expect(later.status).toBe(200);
    expect(later.body.meta.reused).toBe(true);
    expect(later.body.data.checkout.order_id).toBe(responses[0].body.data.checkout.order_id);
    expect(razorpay.orders.size - before).toBe(1);
    expect(await ordersOf(app, student.id)).toHaveLength(1);
  });

  it('prices a new order again when the course price changed', async () => {
    const student = await signInNewStudent(app);
    const [, course] = await paidCourses();
    const first = await order(student, course.documentId);
    await app.strapi.documents('api::course.course').update({ documentId: course.documentId, data: { price: course.price + 10000 } as any });
    await app.strapi.documents('api::course.course').publish({ documentId: course.documentId });
    try {
      const second = await order(student, course.documentId);
      expect(second.status).toBe(201);
      expect(second.body.data.checkout.amount).toBe(course.price + 10000);
      expect(second.body.data.checkout.order_id).not.toBe(first.body.data.checkout.order_id);
      const rows = await ordersOf(app, student.id);
      expect(rows.map((o: any) => o.status)).toEqual(['failed', 'created']);
      expect(rows[0].failureReason).toMatch(/price changed/);
    } finally {
      await app.strapi.documents('api::course.course').update({ documentId: course.documentId, data: { price: course.price } as any });
      await app.strapi.documents('api::course.course').publish({ documentId: course.documentId });
    }
  });

  it('refuses free, unpublished, unknown and already-owned courses with a clear 4xx', async () => {
    const student = await signInNewStudent(app);
    const { course: free } = await demoCourse(app, 'free');
    const freeRes = await order(student, free.documentId);
    expect(freeRes.status).toBe(400);
    expect(freeRes.body.error.message).toMatch(/free/);

    const drafts = await app.strapi.db.query('api::course.course').findMany({ where: { publishedAt: null } });
    const published = await app.strapi.db.query('api::course.course').findMany({ where: { publishedAt: { $notNull: true } } });
    const draftOnly = drafts.find((d: any) => !published.some((p: any) => p.documentId === d.documentId));
    expect(draftOnly.price).toBeGreaterThan(0);
    const draftRes = await order(student, draftOnly.documentId);
    expect(draftRes.status).toBe(404);
    expect(draftRes.body.error.message).toMatch(/not published/);

    const unknown = await order(student, 'zzzzzzzzzzzzzzzzzzzzzzzz');
    expect(unknown.status).toBe(404);

    const { course } = await demoCourse(app, 'paid');
    await app.strapi.service('api::enrollment.enrollment').grant(student.id, course.documentId, 'admin');
    const owned = await order(student, course.documentId);
    expect(owned.status).toBe(409);
    expect(owned.body.error.message).toMatch(/already own/);
    expect(await ordersOf(app, student.id)).toHaveLength(0);
  });

  it.each([
    [{}, /courseId/],
    [{ courseId: 42 }, /courseId/],
    [{ courseId: '../../etc/passwd' }, /courseId/],
    [{ courseId: 'PLACEHOLDER', amount: 1 }, /amount/],
    [{ courseId: 'PLACEHOLDER', currency: 'USD' }, /currency/],
  ])('refuses a bad order request #%# with a 400 and writes nothing', async (body, message) => {
    const student = await signInNewStudent(app);
    const { course } = await demoCourse(app, 'paid');
    const payload = JSON.parse(JSON.stringify(body).replace('PLACEHOLDER', course.documentId));
    const before = razorpay.orders.size;
    const res = await app.http.post('/api/payments/orders').set(student.auth).send(payload);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
    expect(await ordersOf(app, student.id)).toHaveLength(0);
    expect(razorpay.orders.size).toBe(before);
  });

  it('needs a signed-in student on every student route', async () => {
    const { course } = await demoCourse(app, 'paid');
    for (const res of [
      await app.http.post('/api/payments/orders').send({ courseId: course.documentId }),
      await app.http.post('/api/payments/verify').send({}),
      await app.http.get('/api/payments/orders'),
      await app.http.post('/api/payments/sandbox/pay').send({}),
    ]) {
      expect([401, 403]).toContain(res.status);
    }
  });
});

describe('verify refuses what it cannot prove', () => {
  it.each([
    [{}, /razorpay_order_id/],
    [{ razorpay_order_id: 'order_x', razorpay_payment_id: 'pay_AAAAAAAAAAAAAA', razorpay_signature: 'a'.repeat(64) }, /razorpay_order_id/],
    [{ razorpay_order_id: 'order_AAAAAAAAAAAAAA', razorpay_payment_id: 'nope', razorpay_signature: 'a'.repeat(64) }, /razorpay_payment_id/],
    [{ razorpay_order_id: 'order_AAAAAAAAAAAAAA', razorpay_payment_id: 'pay_AAAAAAAAAAAAAA', razorpay_signature: 'xyz' }, /razorpay_signature/],
    [{ razorpay_order_id: 'order_AAAAAAAAAAAAAA', razorpay_payment_id: 'pay_AAAAAAAAAAAAAA', razorpay_signature: 'a'.repeat(64), amount: 1 }, /amount/],
  ])('refuses malformed input #%# with a 400', async (body, message) => {
    const student = await signInNewStudent(app);
    const res = await verify(student, body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
  });

  it('refuses a forged signature', async () => {
    const student = await signInNewStudent(app);
    const { course, paidLesson } = await demoCourse(app, 'paid');
    const { payment } = await orderAndPay(student, course.documentId);
    const forged = { ...razorpay.checkoutResponse(payment), razorpay_signature: crypto.randomBytes(32).toString('hex') };
    const res = await verify(student, forged);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/signature/);
    // Signed with the wrong secret (e.g. the webhook secret) is just as forged.
    const wrongKey = crypto.createHmac('sha256', razorpay.secrets.webhookSecret).update(`${payment.order_id}|${payment.id}`).digest('hex');
    expect((await verify(student, { ...forged, razorpay_signature: wrongKey })).status).toBe(400);
    await expectNothingGranted(student, paidLesson.documentId);
  });

  it("refuses another order's signature, and a payment replayed on a second order", async () => {
    const student = await signInNewStudent(app);
    const [first, second] = await paidCourses();
    const a = await orderAndPay(student, first.documentId);
    const b = await order(student, second.documentId);
    const orderB = b.body.data.checkout.order_id;

    // The signature of order A's payment presented for order B.
    const borrowed = { ...razorpay.checkoutResponse(a.payment), razorpay_order_id: orderB };
    const res = await verify(student, borrowed);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/signature/);

    // Even with a valid signature for "B|payment of A" (a leaked key), the payment is fetched and belongs to A.
    const replay = { razorpay_order_id: orderB, razorpay_payment_id: a.payment.id, razorpay_signature: razorpay.sign(orderB, a.payment.id) };
    const replayed = await verify(student, replay);
    expect(replayed.status).toBe(400);
    expect(replayed.body.error.message).toMatch(/belongs to another order/);

    const rows = await ordersOf(app, student.id);
    expect(rows.every((o: any) => o.status === 'created')).toBe(true);
    expect(await enrollmentsOf(app, student.id)).toHaveLength(0);
  });

  it('refuses a payment whose amount differs from the order', async () => {
    const student = await signInNewStudent(app);
    const { course, paidLesson } = await demoCourse(app, 'paid');
    const { payment } = await orderAndPay(student, course.documentId, { amount: 100 });
    const res = await verify(student, razorpay.checkoutResponse(payment));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/payment is for 100 INR/);
    await expectNothingGranted(student, paidLesson.documentId);
    const [row] = await ordersOf(app, student.id);
    expect(row.status).toBe('created');
    expect(row.events.some((e: any) => e.outcome === 'refused')).toBe(true);
  });

  it("refuses someone else's order, an unknown order and an unknown payment", async () => {
    const alice = await signInNewStudent(app, 'alice');
    const mallory = await signInNewStudent(app, 'mallory');
    const { course, paidLesson } = await demoCourse(app, 'paid');
    const { payment } = await orderAndPay(alice, course.documentId);

    const stolen = await verify(mallory, razorpay.checkoutResponse(payment));
    expect(stolen.status).toBe(404);
    expect(stolen.body.error.message).toBe('Order not found');
    await expectNothingGranted(mallory, paidLesson.documentId);
    const [alicesOrder] = await ordersOf(app, alice.id);
    expect(alicesOrder.status).toBe('created');
    expect(await app.http.get(`/api/payments/orders/${alicesOrder.documentId}`).set(mallory.auth).then((r) => r.status)).toBe(404);

    // An order Razorpay knows but we never created.
    const foreign = razorpay.pay(razorpay.createOrder({ amount: course.price, currency: 'INR' }).id);
    const unknownOrder = await verify(mallory, razorpay.checkoutResponse(foreign));
    expect(unknownOrder.status).toBe(404);

    // A well-signed payment id Razorpay doesn't know.
    const m = await order(mallory, course.documentId);
    const ghost = `pay_${crypto.randomBytes(7).toString('hex')}`;
    const orderId = m.body.data.checkout.order_id;
    const unknownPayment = await verify(mallory, { razorpay_order_id: orderId, razorpay_payment_id: ghost, razorpay_signature: razorpay.sign(orderId, ghost) });
    expect(unknownPayment.status).toBe(400);
    expect(unknownPayment.body.error.message).toMatch(/Unknown payment/);
    await expectNothingGranted(mallory, paidLesson.documentId);
  });

  it('answers a failed payment with 402 and an authorised one with 202, granting nothing', async () => {
    const student = await signInNewStudent(app);
    const { course, paidLesson } = await demoCourse(app, 'paid');
    const { payment: failed } = await orderAndPay(student, course.documentId, { status: 'failed' });
    const res = await verify(student, razorpay.checkoutResponse(failed));
    expect(res.status).toBe(402);
    expect(res.body.error.message).toMatch(/incorrect OTP/);
    expect((await ordersOf(app, student.id))[0]).toMatchObject({ status: 'failed', failureReason: expect.stringMatching(/OTP/) });

    // The failed order is still the student's to pay: a retry on the same Razorpay order is accepted later.
    const authorised = razorpay.pay(failed.order_id, { status: 'authorized' });
    const pending = await verify(student, razorpay.checkoutResponse(authorised));
    expect(pending.status).toBe(202);
    expect(pending.body.meta.pending).toBe(true);
    expect(pending.body.data.enrollment).toBeNull();
    await expectNothingGranted(student, paidLesson.documentId);

    // Once captured, verify completes the purchase.
    razorpay.capture(authorised.id);
    const done = await verify(student, razorpay.checkoutResponse(authorised));
    expect(done.status).toBe(200);
    expect(await canReadLesson(app, student.auth, paidLesson.documentId)).toBe(true);
  });

  it('refuses the sandbox checkout when real keys are configured', async () => {
    const student = await signInNewStudent(app);
    const { course } = await demoCourse(app, 'paid');
    const created = await order(student, course.documentId);
    const res = await app.http.post('/api/payments/sandbox/pay').set(student.auth).send({ razorpay_order_id: created.body.data.checkout.order_id });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/sandbox checkout is off/);
  });

  it('refuses bad list and read requests with a 400', async () => {
    const student = await signInNewStudent(app);
    const list = await app.http.get('/api/payments/orders').query({ pageSize: 1000 }).set(student.auth);
    expect(list.status).toBe(400);
    expect(list.body.error.message).toMatch(/pageSize/);
    const filtered = await app.http.get('/api/payments/orders').query({ user: 1 }).set(student.auth);
    expect(filtered.status).toBe(400);
    const one = await app.http.get('/api/payments/orders/..%2F..').set(student.auth);
    expect(one.status).toBe(400);
  });
});

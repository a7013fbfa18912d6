import { signInNewStudent, demoCourse } from './helpers/strapi';
import { startRazorpayDouble, type RazorpayDouble } from './helpers/razorpay-double';
import {
  startPaymentsApp,
  ordersOf,
  enrollmentsOf,
  canReadLesson,
  superAdmin,
  mentorAdmin,
  expectNoSecrets,
  type PaymentsApp,
} from './helpers/payments';
import { waitFor } from './helpers/wait';

let app: PaymentsApp;
let razorpay: RazorpayDouble;
let admin: Awaited<ReturnType<typeof superAdmin>>;

beforeAll(async () => {
  razorpay = await startRazorpayDouble();
  app = await startPaymentsApp(razorpay.env);
  admin = await superAdmin(app);
});
afterAll(async () => {
  await app?.stop();
  await razorpay?.close();
});

type Student = Awaited<ReturnType<typeof signInNewStudent>>;

async function orderFor(student: Student) {
  const { course, paidLesson } = await demoCourse(app, 'paid');
  const created = await app.http.post('/api/payments/orders').set(student.auth).send({ courseId: course.documentId });
  expect(created.status).toBe(201);
  return { course, lesson: paidLesson.documentId as string, razorpayOrderId: created.body.data.checkout.order_id as string, documentId: created.body.data.order.documentId as string };
}

async function purchase(label: string) {
  const student = await signInNewStudent(app, label);
  const order = await orderFor(student);
  const payment = razorpay.pay(order.razorpayOrderId);
  expect((await app.http.post('/api/payments/verify').set(student.auth).send(razorpay.checkoutResponse(payment))).status).toBe(200);
  return { student, payment, ...order };
}

const refundRequests = () => razorpay.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/refund'));

describe('reconciliation', () => {
  it('fulfils a paid order whose webhook never came (and verify never ran)', async () => {
    const student = await signInNewStudent(app, 'lost-webhook');
    const order = await orderFor(student);
    razorpay.pay(order.razorpayOrderId, { status: 'failed' });
    const payment = razorpay.pay(order.razorpayOrderId);
    const untouched = await signInNewStudent(app, 'still-shopping');
    const other = await orderFor(untouched);
    expect(await canReadLesson(app, student.auth, order.lesson)).toBe(false);

    const res = await app.http.post('/live/orders/reconcile').set(admin.auth).send({});
    expect(res.status).toBe(200);
    expect(res.body.data.fulfilled).toBeGreaterThanOrEqual(1);
    expect(res.body.data.errors).toBe(0);
    expect(razorpay.requests.some((r) => r.method === 'GET' && r.path === `/v1/orders/${order.razorpayOrderId}/payments`)).toBe(true);

    const [row] = await ordersOf(app, student.id);
    expect(row).toMatchObject({ status: 'paid', razorpayPaymentId: payment.id });
    expect(row.events.some((e: any) => e.source === 'reconcile' && e.outcome === 'paid')).toBe(true);
    expect(await canReadLesson(app, student.auth, order.lesson)).toBe(true);
    await waitFor(() => app.emails.some((m) => m.to === student.email), 5_000, 'the receipt email');
    // An order nobody paid is left as it is.
    expect((await ordersOf(app, untouched.id))[0].status).toBe('created');
    expect(other.razorpayOrderId).toBeTruthy();

    // Running it again (the cron, a second process) changes nothing.
    const again = await app.strapi.plugin('live').service('reconciliation').run();
    expect(again.fulfilled).toBe(0);
    expect(await enrollmentsOf(app, student.id)).toHaveLength(1);
  });

  it('marks an order whose only payments failed as failed', async () => {
    const student = await signInNewStudent(app, 'declined');
    const order = await orderFor(student);
    razorpay.pay(order.razorpayOrderId, { status: 'failed' });
    await app.strapi.plugin('live').service('reconciliation').run();
    expect((await ordersOf(app, student.id))[0]).toMatchObject({ status: 'failed', failureReason: expect.stringMatching(/OTP/) });
  });
});

describe('the admin orders list', () => {
  it('lists orders with filters on status, course and date, without secrets', async () => {
    const paid = await purchase('listed');
    const res = await app.http.get('/live/orders').query({ status: 'paid', course: paid.course.documentId }).set(admin.auth);
    expect(res.status).toBe(200);
    expect(res.body.data.length).toBeGreaterThan(0);
    expect(res.body.data.every((o: any) => o.status === 'paid' && o.course.documentId === paid.course.documentId)).toBe(true);
    const mine = res.body.data.find((o: any) => o.documentId === paid.documentId);
    expect(mine).toMatchObject({ user: { email: paid.student.email }, amount: paid.course.price, razorpayPaymentId: paid.payment.id, provider: 'razorpay' });
    expect(res.body.meta.pagination).toMatchObject({ page: 1, pageSize: 10 });
    expect(res.body.meta.payments).toMatchObject({ mode: 'razorpay', ready: true });
    expectNoSecrets(res.body, [razorpay.secrets.keySecret, razorpay.secrets.webhookSecret]);

    const created = await app.http.get('/live/orders').query({ status: 'created' }).set(admin.auth);
    expect(created.body.data.every((o: any) => o.status === 'created')).toBe(true);
    expect(created.body.data.some((o: any) => o.documentId === paid.documentId)).toBe(false);

    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const future = await app.http.get('/live/orders').query({ from: tomorrow }).set(admin.auth);
    expect(future.body.data).toEqual([]);
    const today = await app.http.get('/live/orders').query({ to: tomorrow, pageSize: 100 }).set(admin.auth);
    expect(today.body.data.some((o: any) => o.documentId === paid.documentId)).toBe(true);

    const one = await app.http.get(`/live/orders/${paid.documentId}`).set(admin.auth);
    expect(one.status).toBe(200);
    expect(one.body.data.events.map((e: any) => e.event)).toEqual(expect.arrayContaining(['order.created', 'checkout.verified']));

    const courses = await app.http.get('/live/orders/courses').set(admin.auth);
    expect(courses.body.data).toEqual(expect.arrayContaining([{ documentId: paid.course.documentId, title: paid.course.title }]));

    const bad = await app.http.get('/live/orders').query({ status: 'stolen' }).set(admin.auth);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/status/);
  });

  it('is closed to students, visitors and admins without the permission', async () => {
    const student = await signInNewStudent(app);
    const mentor = await mentorAdmin(app);
    const { documentId } = await purchase('protected');
    expect([401, 403]).toContain((await app.http.get('/live/orders')).status);
    expect([401, 403]).toContain((await app.http.get('/live/orders').set(student.auth)).status);
    expect((await app.http.get('/live/orders').set(mentor.auth)).status).toBe(403);
    expect((await app.http.post(`/live/orders/${documentId}/refund`).set(mentor.auth).send({})).status).toBe(403);
    expect((await app.http.post('/live/orders/reconcile').set(mentor.auth).send({})).status).toBe(403);
    expect((await ordersOf(app, (await app.strapi.db.query('plugin::live.order').findOne({ where: { documentId }, populate: ['user'] })).user.id))[0].status).toBe('paid');
  });
});

describe('refunds from the admin panel', () => {
  it('refunds in full with an idempotency key, marks the order refunded and revokes access', async () => {
    const { student, payment, documentId, lesson, course } = await purchase('refund-me');
    expect(await canReadLesson(app, student.auth, lesson)).toBe(true);

    const res = await app.http.post(`/live/orders/${documentId}/refund`).set(admin.auth).send({});
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'refunded', refundStatus: 'processed', razorpayRefundId: expect.stringMatching(/^rfnd_/) });
    expect(res.body.meta.alreadyRefunded).toBe(false);
    const [request] = refundRequests().filter((r) => r.path === `/v1/payments/${payment.id}/refund`);
    expect(request.body).toMatchObject({ amount: course.price });
    expect(request.headers['x-refund-idempotency']).toBe(`refund_${documentId}`);
    expect(razorpay.payments.get(payment.id)!.status).toBe('refunded');

    expect((await enrollmentsOf(app, student.id))[0].state).toBe('refunded');
    expect(await canReadLesson(app, student.auth, lesson)).toBe(false);

    // A repeat is answered from our side; Razorpay's refund.processed webhook afterwards changes nothing.
    const again = await app.http.post(`/live/orders/${documentId}/refund`).set(admin.auth).send({});
    expect(again.status).toBe(200);
    expect(again.body.meta.alreadyRefunded).toBe(true);
    const delivery = razorpay.webhook('refund.processed', payment.id);
    const webhook = await app.http.post('/api/payments/webhook').set(delivery.headers).send(delivery.body);
    expect(webhook.body.data.outcome).toBe('already-refunded');
    expect([...razorpay.refunds.values()].filter((r) => r.payment_id === payment.id)).toHaveLength(1);
  });

  it('sends the same idempotency key when two refunds race, so Razorpay refunds once', async () => {
    const { payment, documentId, student, lesson } = await purchase('double-click');
    const before = razorpay.refunds.size;
    const responses = await Promise.all([1, 2, 3].map(() => app.http.post(`/live/orders/${documentId}/refund`).set(admin.auth).send({})));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    const requests = refundRequests().filter((r) => r.path === `/v1/payments/${payment.id}/refund`);
    expect(new Set(requests.map((r) => r.headers['x-refund-idempotency']))).toEqual(new Set([`refund_${documentId}`]));
    expect(razorpay.refunds.size - before).toBe(1);
    expect([...razorpay.refunds.values()].filter((r) => r.payment_id === payment.id)).toHaveLength(1);
    expect((await ordersOf(app, student.id))[0].status).toBe('refunded');
    expect(await canReadLesson(app, student.auth, lesson)).toBe(false);
  });

  it('refuses to refund an unpaid or unknown order', async () => {
    const student = await signInNewStudent(app, 'unpaid');
    const { documentId } = await orderFor(student);
    const unpaid = await app.http.post(`/live/orders/${documentId}/refund`).set(admin.auth).send({});
    expect(unpaid.status).toBe(409);
    expect(unpaid.body.error.message).toMatch(/Only paid orders/);
    const unknown = await app.http.post('/live/orders/zzzzzzzzzzzzzzzzzzzzzzzz/refund').set(admin.auth).send({});
    expect(unknown.status).toBe(404);
    const bad = await app.http.post(`/live/orders/${documentId}/refund`).set(admin.auth).send({ amount: 1 });
    expect(bad.status).toBe(400);
    expect((await ordersOf(app, student.id))[0].status).toBe('created');
  });

  it('lets the student buy the course again after a refund', async () => {
    const { student, documentId, course, lesson } = await purchase('rebuy');
    expect((await app.http.post(`/live/orders/${documentId}/refund`).set(admin.auth).send({})).status).toBe(200);
    const again = await app.http.post('/api/payments/orders').set(student.auth).send({ courseId: course.documentId });
    expect(again.status).toBe(201);
    const payment = razorpay.pay(again.body.data.checkout.order_id);
    expect((await app.http.post('/api/payments/verify').set(student.auth).send(razorpay.checkoutResponse(payment))).status).toBe(200);
    expect(await canReadLesson(app, student.auth, lesson)).toBe(true);
    expect((await ordersOf(app, student.id)).map((o: any) => o.status)).toEqual(['refunded', 'paid']);
    expect(await enrollmentsOf(app, student.id)).toHaveLength(1);
  });
});

import crypto from 'node:crypto';
import { signInNewStudent, demoCourse } from './helpers/strapi';
import { startRazorpayDouble, type RazorpayDouble } from './helpers/razorpay-double';
import { startPaymentsApp, ordersOf, enrollmentsOf, canReadLesson, type PaymentsApp } from './helpers/payments';

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
type Delivery = ReturnType<RazorpayDouble['webhook']>;

const deliver = (delivery: Delivery) => app.http.post('/api/payments/webhook').set(delivery.headers).send(delivery.body);
const verify = (student: Student, body: object) => app.http.post('/api/payments/verify').set(student.auth).send(body);
const eventRows = () => app.strapi.db.query('plugin::live.payment-event').findMany({});
const receiptsTo = (student: Student) => app.emails.filter((m) => m.to === student.email);

/** A student with an unpaid order for the paid demo course, and a captured payment for it at Razorpay. */
async function paidAtRazorpay(label = 'student', options: Parameters<RazorpayDouble['pay']>[1] = {}) {
  const student = await signInNewStudent(app, label);
  const { course, paidLesson } = await demoCourse(app, 'paid');
  const created = await app.http.post('/api/payments/orders').set(student.auth).send({ courseId: course.documentId });
  expect(created.status).toBe(201);
  const payment = razorpay.pay(created.body.data.checkout.order_id, options);
  return { student, course, lesson: paidLesson.documentId as string, payment, orderId: created.body.data.order.documentId as string };
}

async function expectPaidOnce(student: Student) {
  const orders = await ordersOf(app, student.id);
  expect(orders.filter((o: any) => o.status === 'paid')).toHaveLength(1);
  const enrollments = await enrollmentsOf(app, student.id);
  expect(enrollments).toHaveLength(1);
  expect(enrollments[0]).toMatchObject({ state: 'active', source: 'purchase' });
  // Every fulfilment path starts its receipt before it answers; once those sends are done, a
  // duplicate fulfilment would show as a second receipt.
  await app.receiptsSettled();
  expect(receiptsTo(student)).toHaveLength(1);
}

describe('webhook authentication', () => {
  it('refuses a missing, wrong or stale signature and changes nothing', async () => {
    const { student, payment, lesson } = await paidAtRazorpay();
    const good = razorpay.webhook('payment.captured', payment.id);
    const events = (await eventRows()).length;

    const { 'X-Razorpay-Signature': _omit, ...unsigned } = good.headers;
    const missing = await app.http.post('/api/payments/webhook').set(unsigned).send(good.body);
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/Missing X-Razorpay-Signature/);

    const forged = await deliver({ ...good, headers: { ...good.headers, 'X-Razorpay-Signature': crypto.randomBytes(32).toString('hex') } });
    expect(forged.status).toBe(401);
    expect(forged.body.error.message).toBe('Invalid webhook signature');

    // Signed with the key secret instead of the webhook secret.
    const keySigned = crypto.createHmac('sha256', razorpay.secrets.keySecret).update(good.body).digest('hex');
    expect((await deliver({ ...good, headers: { ...good.headers, 'X-Razorpay-Signature': keySigned } })).status).toBe(401);

    // The body changed after signing (here: the amount).
    const tampered = good.body.replace(`"amount": ${payment.amount}`, '"amount": 100');
    expect(tampered).not.toBe(good.body);
    expect((await deliver({ ...good, body: tampered })).status).toBe(401);

    // The same JSON re-serialized is not what Razorpay signed: only the raw bytes count.
    const compact = JSON.stringify(JSON.parse(good.body));
    expect((await deliver({ ...good, body: compact })).status).toBe(401);

    expect((await eventRows()).length).toBe(events);
    expect((await ordersOf(app, student.id))[0].status).toBe('created');
    expect(await enrollmentsOf(app, student.id)).toHaveLength(0);
    expect(await canReadLesson(app, student.auth, lesson)).toBe(false);

    // And the genuine delivery is accepted.
    const ok = await deliver(good);
    expect(ok.status).toBe(200);
    expect(ok.body.data).toMatchObject({ received: true, outcome: 'fulfilled' });
  });

  it('refuses a signed but malformed delivery with a 400', async () => {
    const body = JSON.stringify({ entity: 'event', event: 'payment.captured', payload: { payment: { entity: { id: 'pay_x' } } } });
    const signature = crypto.createHmac('sha256', razorpay.secrets.webhookSecret).update(body).digest('hex');
    const res = await app.http
      .post('/api/payments/webhook')
      .set({ 'Content-Type': 'application/json', 'X-Razorpay-Signature': signature, 'X-Razorpay-Event-Id': 'evt_malformed1' })
      .send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/payment\.entity/);
    expect(await app.strapi.db.query('plugin::live.payment-event').count({ where: { eventId: 'evt_malformed1' } })).toBe(0);
  });

  it('answers events it does not handle, and orders it does not know, with a 200', async () => {
    const { payment } = await paidAtRazorpay();
    const other = await deliver(razorpay.webhook('payment.authorized', payment.id));
    expect(other.status).toBe(200);
    expect(other.body.data.outcome).toBe('ignored');

    const foreign = razorpay.pay(razorpay.createOrder({ amount: 50000, currency: 'INR' }).id);
    const unknown = await deliver(razorpay.webhook('payment.captured', foreign.id));
    expect(unknown.status).toBe(200);
    expect(unknown.body.data.outcome).toBe('unknown-order');
  });
});

describe('webhooks fulfil exactly once', () => {
  it('enrolls a student who closed the tab before verify; verify then returns the same enrollment', async () => {
    const { student, payment, lesson } = await paidAtRazorpay('tab-closed');
    const res = await deliver(razorpay.webhook('payment.captured', payment.id));
    expect(res.status).toBe(200);
    expect(res.body.data.outcome).toBe('fulfilled');
    expect(await canReadLesson(app, student.auth, lesson)).toBe(true);

    const verified = await verify(student, razorpay.checkoutResponse(payment));
    expect(verified.status).toBe(200);
    expect(verified.body.meta.alreadyPaid).toBe(true);
    const [enrollment] = await enrollmentsOf(app, student.id);
    expect(verified.body.data.enrollment.documentId).toBe(enrollment.documentId);
    await expectPaidOnce(student);
  });

  it('after verify, the webhooks for the same payment change nothing', async () => {
    const { student, payment } = await paidAtRazorpay('verify-first');
    expect((await verify(student, razorpay.checkoutResponse(payment))).status).toBe(200);
    for (const event of ['payment.captured', 'order.paid']) {
      const res = await deliver(razorpay.webhook(event, payment.id));
      expect(res.status).toBe(200);
      expect(res.body.data.outcome).toBe('already-paid');
    }
    await expectPaidOnce(student);
  });

  it('processes the same delivery sent 10 times concurrently once', async () => {
    const { student, payment, lesson } = await paidAtRazorpay('tenfold');
    const delivery = razorpay.webhook('payment.captured', payment.id);
    const responses = await Promise.all(Array.from({ length: 10 }, () => deliver(delivery)));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    const outcomes = responses.map((r) => r.body.data.outcome);
    expect(outcomes.filter((o) => o === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(9);
    const eventId = delivery.headers['X-Razorpay-Event-Id'];
    expect(await app.strapi.db.query('plugin::live.payment-event').count({ where: { eventId } })).toBe(1);
    await expectPaidOnce(student);
    expect(await canReadLesson(app, student.auth, lesson)).toBe(true);
  });

  it('settles verify, payment.captured and order.paid arriving together: one paid order, one enrollment', async () => {
    const racers = await Promise.all([1, 2, 3].map((n) => paidAtRazorpay(`race-${n}`)));
    await Promise.all(
      racers.flatMap(({ student, payment }) => [
        verify(student, razorpay.checkoutResponse(payment)),
        deliver(razorpay.webhook('payment.captured', payment.id)),
        deliver(razorpay.webhook('order.paid', payment.id)),
        verify(student, razorpay.checkoutResponse(payment)),
      ])
    ).then((responses) => expect(responses.map((r) => r.status)).toEqual(Array(12).fill(200)));
    for (const { student, lesson } of racers) {
      await expectPaidOnce(student);
      expect(await canReadLesson(app, student.auth, lesson)).toBe(true);
    }
  });

  it('deduplicates a delivery without an event id by its body', async () => {
    const { student, payment } = await paidAtRazorpay('no-event-id');
    const { 'X-Razorpay-Event-Id': _omit, ...headers } = razorpay.webhook('payment.captured', payment.id).headers;
    const delivery = { ...razorpay.webhook('payment.captured', payment.id), headers: headers as any };
    const first = await deliver(delivery);
    const second = await deliver(delivery);
    expect([first.body.data.outcome, second.body.data.outcome]).toEqual(['fulfilled', 'duplicate']);
    await expectPaidOnce(student);
  });
});

describe('failures and refunds', () => {
  it('ends paid after payment.failed then payment.captured (late authorisation), and never goes back', async () => {
    const { student, payment, lesson } = await paidAtRazorpay('late-auth', { status: 'failed' });
    const failed = await deliver(razorpay.webhook('payment.failed', payment.id));
    expect(failed.body.data.outcome).toBe('failed');
    expect((await ordersOf(app, student.id))[0]).toMatchObject({ status: 'failed' });
    expect(await canReadLesson(app, student.auth, lesson)).toBe(false);

    razorpay.capture(payment.id);
    const captured = await deliver(razorpay.webhook('payment.captured', payment.id));
    expect(captured.body.data.outcome).toBe('fulfilled');
    expect(await canReadLesson(app, student.auth, lesson)).toBe(true);

    // A stale payment.failed (a redelivery, or out of order) doesn't move a paid order back.
    const failedPayment = { ...razorpay.payments.get(payment.id)! };
    Object.assign(razorpay.payments.get(payment.id)!, { status: 'failed' });
    const stale = await deliver(razorpay.webhook('payment.failed', payment.id));
    razorpay.payments.set(payment.id, failedPayment);
    expect(stale.status).toBe(200);
    expect(stale.body.data.outcome).toBe('ignored');
    const [order] = await ordersOf(app, student.id);
    expect(order).toMatchObject({ status: 'paid', razorpayPaymentId: payment.id, failureReason: null });
    await expectPaidOnce(student);
  });

  it('a refund revokes access, for good', async () => {
    const { student, payment, lesson } = await paidAtRazorpay('refunded');
    expect((await verify(student, razorpay.checkoutResponse(payment))).status).toBe(200);
    expect(await canReadLesson(app, student.auth, lesson)).toBe(true);
    const capturedEvent = razorpay.webhook('payment.captured', payment.id);

    const refund = razorpay.refundFromDashboard(payment.id);
    const res = await deliver(razorpay.webhook('refund.processed', payment.id));
    expect(res.status).toBe(200);
    expect(res.body.data.outcome).toBe('refunded');

    const [order] = await ordersOf(app, student.id);
    expect(order).toMatchObject({ status: 'refunded', razorpayRefundId: refund.id, refundStatus: 'processed' });
    expect((await enrollmentsOf(app, student.id))[0].state).toBe('refunded');
    const locked = await app.http.get(`/api/lessons/${lesson}`).set(student.auth);
    expect(locked.status).toBe(200);
    expect(locked.body.data).not.toHaveProperty('body');
    expect(locked.body.data.locked).toBe(true);

    // A late payment.captured (another event id, sent before the refund) and a second verify don't grant it back.
    const again = await deliver({ ...capturedEvent, headers: { ...capturedEvent.headers, 'X-Razorpay-Event-Id': 'evt_late_capture_1' } });
    expect(again.body.data.outcome).toBe('refunded');
    const reverify = await verify(student, razorpay.checkoutResponse(payment));
    expect(reverify.status).toBe(409);
    expect(reverify.body.error.message).toMatch(/refunded/);
    expect((await deliver(razorpay.webhook('refund.processed', payment.id))).body.data.outcome).toBe('already-refunded');
    expect(await canReadLesson(app, student.auth, lesson)).toBe(false);
    expect((await ordersOf(app, student.id))[0].status).toBe('refunded');
  });

  it('keeps access after a partial refund', async () => {
    const { student, payment, lesson } = await paidAtRazorpay('partial');
    await deliver(razorpay.webhook('payment.captured', payment.id));
    razorpay.refundFromDashboard(payment.id, 10000);
    const res = await deliver(razorpay.webhook('refund.processed', payment.id));
    expect(res.body.data.outcome).toBe('partial-refund');
    expect((await ordersOf(app, student.id))[0].status).toBe('paid');
    expect(await canReadLesson(app, student.auth, lesson)).toBe(true);
  });
});

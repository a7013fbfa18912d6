import crypto from 'node:crypto';
import { signInNewStudent, demoCourse } from './helpers/strapi';
import { startPaymentsApp, ordersOf, enrollmentsOf, canReadLesson, superAdmin, expectNoSecrets, type PaymentsApp } from './helpers/payments';
import { startMailbox, type Mailbox } from './helpers/mailbox';

/**
 * Without Razorpay keys (what `npm run dev` starts with), purchases go through the sandbox checkout.
 * Email goes through the real email set-up here (SMTP to a local mailbox), receipts included.
 */
let app: PaymentsApp;
let mailbox: Mailbox;
beforeAll(async () => {
  mailbox = await startMailbox();
  app = await startPaymentsApp(mailbox.env, { captureEmail: false });
});
afterAll(async () => {
  await app?.stop();
  await mailbox?.close();
});

type Student = Awaited<ReturnType<typeof signInNewStudent>>;
const order = (student: Student, courseId: string) => app.http.post('/api/payments/orders').set(student.auth).send({ courseId });
const sandboxPay = (student: Student, body: object) => app.http.post('/api/payments/sandbox/pay').set(student.auth).send(body);
const sandboxSecret = (label: string) => crypto.createHmac('sha256', process.env.DATA_ENCRYPTION_KEY!).update(`skillyug sandbox checkout: ${label}`).digest('hex');

describe('the sandbox checkout', () => {
  it('completes a purchase through the same order → signature → verify → enrollment path', async () => {
    const student = await signInNewStudent(app, 'sandbox');
    const { course, paidLesson } = await demoCourse(app, 'paid');
    const created = await order(student, course.documentId);
    expect(created.status).toBe(201);
    expect(created.body.data.checkout).toMatchObject({ mode: 'sandbox', key: 'rzp_test_sandbox', amount: course.price, currency: 'INR' });
    expect(created.body.data.checkout.order_id).toMatch(/^order_[A-Za-z0-9]{14}$/);

    const paid = await sandboxPay(student, { razorpay_order_id: created.body.data.checkout.order_id });
    expect(paid.status).toBe(200);
    expect(paid.body.meta.sandbox).toBe(true);
    const triple = paid.body.data;
    expect(Object.keys(triple).sort()).toEqual(['razorpay_order_id', 'razorpay_payment_id', 'razorpay_signature']);
    // Signed like Razorpay signs, with the sandbox's own key secret (derived from DATA_ENCRYPTION_KEY).
    const expected = crypto.createHmac('sha256', sandboxSecret('key secret')).update(`${triple.razorpay_order_id}|${triple.razorpay_payment_id}`).digest('hex');
    expect(triple.razorpay_signature).toBe(expected);

    // Nothing is granted until verify.
    expect(await enrollmentsOf(app, student.id)).toHaveLength(0);
    const verified = await app.http.post('/api/payments/verify').set(student.auth).send(triple);
    expect(verified.status).toBe(200);
    expect(verified.body.data.enrollment).toMatchObject({ state: 'active', source: 'purchase' });
    expect(await canReadLesson(app, student.auth, paidLesson.documentId)).toBe(true);
    expect((await ordersOf(app, student.id))[0]).toMatchObject({ status: 'paid', provider: 'sandbox', paymentMethod: 'sandbox' });

    // The receipt arrives through the email provider.
    const receipt = await mailbox.waitFor(student.email);
    expect(receipt.subject).toBe(`Your Skillyug receipt: ${course.title}`);
    expect(receipt.text).toContain(triple.razorpay_payment_id);
    expect(receipt.text).toMatch(/₹/);
    expect(receipt.html).toContain('Start learning');

    for (const res of [created, paid, verified]) expectNoSecrets(res.body, [sandboxSecret('key secret'), sandboxSecret('webhook secret'), process.env.DATA_ENCRYPTION_KEY!]);

    // A forged signature is refused here too.
    const student2 = await signInNewStudent(app);
    const second = await order(student2, course.documentId);
    const pay2 = await sandboxPay(student2, { razorpay_order_id: second.body.data.checkout.order_id });
    const forged = await app.http.post('/api/payments/verify').set(student2.auth).send({ ...pay2.body.data, razorpay_signature: 'f'.repeat(64) });
    expect(forged.status).toBe(400);
    expect(await enrollmentsOf(app, student2.id)).toHaveLength(0);
  });

  it('can decline a payment, like Checkout’s payment.failed, and then succeed', async () => {
    const student = await signInNewStudent(app);
    const { course } = await demoCourse(app, 'paid');
    const created = await order(student, course.documentId);
    const razorpayOrderId = created.body.data.checkout.order_id;
    const declined = await sandboxPay(student, { razorpay_order_id: razorpayOrderId, outcome: 'failure' });
    expect(declined.status).toBe(200);
    expect(declined.body.data.error).toMatchObject({ description: expect.stringMatching(/declined/), metadata: { order_id: razorpayOrderId } });
    expect((await ordersOf(app, student.id))[0].status).toBe('failed');

    const paid = await sandboxPay(student, { razorpay_order_id: razorpayOrderId });
    expect((await app.http.post('/api/payments/verify').set(student.auth).send(paid.body.data)).status).toBe(200);
    expect((await ordersOf(app, student.id))[0].status).toBe('paid');
    const twice = await sandboxPay(student, { razorpay_order_id: razorpayOrderId });
    expect(twice.status).toBe(409);
  });

  it("refuses someone else's order and bad input", async () => {
    const alice = await signInNewStudent(app, 'alice');
    const bob = await signInNewStudent(app, 'bob');
    const { course } = await demoCourse(app, 'paid');
    const created = await order(alice, course.documentId);
    const stolen = await sandboxPay(bob, { razorpay_order_id: created.body.data.checkout.order_id });
    expect(stolen.status).toBe(404);
    for (const [body, message] of [
      [{}, /razorpay_order_id/],
      [{ razorpay_order_id: 'order_x' }, /razorpay_order_id/],
      [{ razorpay_order_id: created.body.data.checkout.order_id, outcome: 'maybe' }, /outcome/],
      [{ razorpay_order_id: created.body.data.checkout.order_id, amount: 1 }, /amount/],
    ] as const) {
      const res = await sandboxPay(alice, body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    expect((await ordersOf(app, alice.id))[0].status).toBe('created');
  });

  it('reconciles and refunds sandbox orders like Razorpay ones', async () => {
    const student = await signInNewStudent(app);
    const { course, paidLesson } = await demoCourse(app, 'paid');
    const created = await order(student, course.documentId);
    await sandboxPay(student, { razorpay_order_id: created.body.data.checkout.order_id }); // tab closed: no verify
    const admin = await superAdmin(app);
    const reconciled = await app.http.post('/live/orders/reconcile').set(admin.auth).send({});
    expect(reconciled.body.data).toMatchObject({ mode: 'sandbox', errors: 0 });
    expect(reconciled.body.data.fulfilled).toBeGreaterThanOrEqual(1);
    expect(await canReadLesson(app, student.auth, paidLesson.documentId)).toBe(true);

    const refunded = await app.http.post(`/live/orders/${created.body.data.order.documentId}/refund`).set(admin.auth).send({});
    expect(refunded.status).toBe(200);
    expect(refunded.body.data.status).toBe('refunded');
    expect(await canReadLesson(app, student.auth, paidLesson.documentId)).toBe(false);
  });

  it('accepts webhooks signed with the sandbox webhook secret', async () => {
    const body = JSON.stringify({ entity: 'event', event: 'payment.authorized', payload: {}, created_at: 1 });
    const signature = crypto.createHmac('sha256', sandboxSecret('webhook secret')).update(body).digest('hex');
    const res = await app.http.post('/api/payments/webhook').set({ 'Content-Type': 'application/json', 'X-Razorpay-Signature': signature }).send(body);
    expect(res.status).toBe(200);
    expect(res.body.data.outcome).toBe('ignored');
  });
});

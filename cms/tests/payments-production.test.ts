import { signInNewStudent, demoCourse } from './helpers/strapi';
import { startPaymentsApp, ordersOf, type PaymentsApp } from './helpers/payments';

/** In production there is no sandbox: without Razorpay keys, payments are off and say why. */
let app: PaymentsApp;
beforeAll(async () => {
  app = await startPaymentsApp({ NODE_ENV: 'production', SMTP_HOST: '127.0.0.1', SMTP_PORT: '2525' });
});
afterAll(async () => {
  await app?.stop();
});

describe('payments in production without Razorpay keys', () => {
  it('refuses the sandbox checkout and creates no order', async () => {
    const student = await signInNewStudent(app);
    const { course } = await demoCourse(app, 'paid');
    const created = await app.http.post('/api/payments/orders').set(student.auth).send({ courseId: course.documentId });
    expect(created.status).toBe(503);
    expect(created.body.error.message).toMatch(/RAZORPAY_KEY_ID.*sandbox checkout is refused in production/);

    const pay = await app.http.post('/api/payments/sandbox/pay').set(student.auth).send({ razorpay_order_id: 'order_AAAAAAAAAAAAAA' });
    expect(pay.status).toBe(403);
    expect(pay.body.error.message).toMatch(/refused in production/);

    const webhook = await app.http.post('/api/payments/webhook').set({ 'X-Razorpay-Signature': 'a'.repeat(64) }).send({ entity: 'event' });
    expect(webhook.status).toBe(503);
    expect(await ordersOf(app, student.id)).toHaveLength(0);
  });
});

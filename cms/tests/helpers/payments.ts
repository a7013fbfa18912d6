import { startStrapi, type TestApp } from './strapi';

const PAYMENT_VARIABLES = ['RAZORPAY_KEY_ID', 'RAZORPAY_KEY_SECRET', 'RAZORPAY_WEBHOOK_SECRET', 'RAZORPAY_API_URL'];

export type SentEmail = { to: string; subject: string; text: string; html: string };
export type PaymentsApp = Awaited<ReturnType<typeof startPaymentsApp>>;

/**
 * Boots Strapi for a payments test file: without Razorpay keys (sandbox mode) unless `env` gives
 * them, with outgoing email captured in memory (unless `captureEmail: false`: then it goes through
 * the configured email provider), and with the variables it set removed again on stop so the next
 * test file in the same worker starts clean.
 */
export async function startPaymentsApp(env: Record<string, string> = {}, options: { captureEmail?: boolean } = {}) {
  for (const name of PAYMENT_VARIABLES) delete process.env[name];
  const app = await startStrapi(env);
  const emails: SentEmail[] = [];
  if (options.captureEmail !== false) {
    const email = app.strapi.plugin('email').service('email');
    email.send = async (message: SentEmail) => {
      emails.push(message);
    };
  }
  // Receipts go out after the response (fire and forget): keep each send the app starts, so a test
  // can wait for all of them to finish instead of sleeping and hoping they have.
  const receipts = app.strapi.plugin('live').service('receipts');
  const sendSafely = receipts.sendSafely.bind(receipts);
  const receiptsInFlight = new Set<Promise<boolean>>();
  receipts.sendSafely = (orderId: number) => {
    const sending: Promise<boolean> = sendSafely(orderId);
    receiptsInFlight.add(sending);
    void sending.finally(() => receiptsInFlight.delete(sending));
    return sending;
  };
  return {
    ...app,
    emails,
    /** Resolves once every receipt the app has started sending so far is sent (or has failed). */
    async receiptsSettled() {
      while (receiptsInFlight.size > 0) await Promise.allSettled([...receiptsInFlight]);
    },
    async stop() {
      await app.stop();
      for (const name of [...PAYMENT_VARIABLES, ...Object.keys(env)]) delete process.env[name];
    },
  };
}

export const ORDER_UID = 'plugin::live.order';

export const ordersOf = (app: TestApp, userId: number) =>
  app.strapi.db.query(ORDER_UID).findMany({ where: { user: { id: userId } }, orderBy: { id: 'asc' } });

export const enrollmentsOf = (app: TestApp, userId: number) =>
  app.strapi.db.query('api::enrollment.enrollment').findMany({ where: { user: { id: userId } } });

/** Is the paid lesson's body returned to this student by the public API? */
export async function canReadLesson(app: TestApp, auth: Record<string, string>, lessonDocumentId: string) {
  const res = await app.http.get(`/api/lessons/${lessonDocumentId}`).set(auth);
  if (res.status !== 200) throw new Error(`GET /api/lessons/${lessonDocumentId} answered ${res.status}`);
  return Array.isArray(res.body.data.body) && res.body.data.body.length > 0;
}

/** An admin-panel session for an existing admin user (as /admin/login opens one, without its rate limit). */
export async function adminAuth(app: TestApp, where: Record<string, unknown>) {
  const user = await app.strapi.db.query('admin::user').findOne({ where });
  if (!user) throw new Error(`no admin user matching ${JSON.stringify(where)}`);
  const sessions = app.strapi.sessionManager('admin');
  const refresh = await sessions.generateRefreshToken(String(user.id), undefined, { type: 'refresh' });
  const access = await sessions.generateAccessToken(refresh.token);
  if ('error' in access) throw new Error(`could not open an admin session: ${access.error}`);
  return { id: user.id as number, auth: { Authorization: `Bearer ${access.token}` } };
}

export const superAdmin = (app: TestApp) => adminAuth(app, { email: 'admin@skillyug.local' });

export async function mentorAdmin(app: TestApp) {
  const role = await app.strapi.db.query('admin::role').findOne({ where: { code: 'skillyug-mentor' } });
  return adminAuth(app, { roles: { id: role.id } });
}

/** Secrets that must never appear in a response. */
export const expectNoSecrets = (body: unknown, secrets: string[]) => {
  const text = JSON.stringify(body);
  for (const secret of secrets) expect(text).not.toContain(secret);
};

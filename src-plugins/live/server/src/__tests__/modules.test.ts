import { composeModules, defineModule, ModuleConflictError, type LiveModule } from '../modules';
import plugin from '../index';

const noop = () => ({});
const strapi = {} as any;

const sessions = defineModule({
  name: 'sessions',
  services: { liveSessions: noop },
  controllers: { sessions: noop },
  contentTypes: { 'live-session': { schema: {} } },
  routes: { 'content-api': { type: 'content-api', routes: [{ method: 'GET', path: '/sessions', handler: 'sessions.find' }] } },
});
const payments = defineModule({
  name: 'payments',
  services: { orders: noop },
  controllers: { payments: noop },
  contentTypes: { order: { schema: {} } },
  routes: {
    'content-api': { type: 'content-api', routes: [{ method: 'POST', path: '/payments/orders', handler: 'payments.createOrder', config: { prefix: '' } }] },
    admin: { type: 'admin', routes: [{ method: 'GET', path: '/orders', handler: 'orders.find' }] },
  },
});

describe('composeModules', () => {
  it('merges every module’s services, controllers, content types and routes', () => {
    const live = composeModules([sessions, payments]);
    expect(Object.keys(live.services)).toEqual(['liveSessions', 'orders']);
    expect(Object.keys(live.controllers)).toEqual(['sessions', 'payments']);
    expect(Object.keys(live.contentTypes)).toEqual(['live-session', 'order']);
    expect(live.routes['content-api'].routes.map((r) => r.handler)).toEqual(['sessions.find', 'payments.createOrder']);
    expect(live.routes.admin).toEqual({ type: 'admin', routes: [{ method: 'GET', path: '/orders', handler: 'orders.find' }] });
  });

  it.each([
    ['service', { services: { orders: noop } }, /the service "orders" is defined by both the payments and the recordings modules/],
    ['controller', { controllers: { sessions: noop } }, /the controller "sessions" is defined by both the sessions and the recordings modules/],
    ['content type', { contentTypes: { order: { schema: {} } } }, /the content type "order" is defined by both the payments and the recordings modules/],
    [
      'route',
      { routes: { admin: { type: 'admin', routes: [{ method: 'get', path: '/orders', handler: 'recordings.find' }] } } },
      /the admin route GET <plugin>\/orders is defined by both the payments and the recordings modules/,
    ],
  ])('refuses a %s two modules both define, naming both, instead of keeping the last', (_kind, part, message) => {
    const recordings: LiveModule = { name: 'recordings', ...part };
    expect(() => composeModules([sessions, payments, recordings])).toThrow(ModuleConflictError);
    expect(() => composeModules([sessions, payments, recordings])).toThrow(message);
  });

  it('tells routes apart by their prefix: the same path inside and outside /api/live is no conflict', () => {
    const outside = defineModule({
      name: 'realtime',
      routes: { 'content-api': { type: 'content-api', routes: [{ method: 'POST', path: '/payments/orders', handler: 'x.y' }] } },
    });
    expect(composeModules([payments, outside]).routes['content-api'].routes).toHaveLength(2);
  });

  it('bootstraps in module order and destroys in reverse, waiting for each', async () => {
    const calls: string[] = [];
    const step = (label: string) => async () => {
      await new Promise((resolve) => setImmediate(resolve));
      calls.push(label);
    };
    const live = composeModules([
      { name: 'a', bootstrap: step('bootstrap a'), destroy: step('destroy a') },
      { name: 'b', bootstrap: step('bootstrap b') },
      { name: 'c', bootstrap: step('bootstrap c'), destroy: step('destroy c') },
    ]);
    await live.bootstrap({ strapi });
    await live.destroy({ strapi });
    expect(calls).toEqual(['bootstrap a', 'bootstrap b', 'bootstrap c', 'destroy c', 'destroy a']);
  });
});

describe('the live plugin', () => {
  it('composes its real modules without a clash, keeping every service the code looks up', () => {
    // Loading the plugin entry (imported above) ran composeModules on health, payments and sessions.
    expect(Object.keys(plugin.services)).toEqual(
      expect.arrayContaining(['health', 'gateway', 'orders', 'fulfilment', 'webhooks', 'reconciliation', 'refunds', 'receipts', 'liveAccess', 'liveProvider', 'liveSessions', 'attendance', 'liveAnalytics', 'streamEvents', 'realtimeGateway', 'realtimeChat', 'realtimePresence', 'realtimeGrants', 'realtimeState', 'realtimeChatRooms', 'realtimeClassroom', 'realtimeQuestions', 'realtimePolls', 'realtimeSignals', 'liveEngagement', 'recordings', 'recordingProcessor', 'recordingViewing', 'recordingPublishing', 'recordingStorage', 'courseOutline', 'outlineEditing', 'outlinePublishing', 'lessonMedia'])
    );
    expect(Object.keys(plugin.contentTypes).sort()).toEqual(['live-attendee', 'live-chat-message', 'live-moderation-action', 'live-poll', 'live-poll-vote', 'live-question', 'live-question-vote', 'live-recording', 'live-session', 'live-signal', 'live-stream-event', 'order', 'payment-event']);
    expect(plugin.routes['content-api'].routes.find((r: any) => r.path === '/health')).toBeTruthy();
    expect(Object.keys(plugin.controllers)).toEqual(expect.arrayContaining(['outline', 'recordingsPanel', 'orders']));
    expect(plugin.routes.admin.routes.filter((r: any) => r.path.startsWith('/outline/')).map((r: any) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['GET /outline/courses', 'PUT /outline/courses/:courseId/order', 'POST /outline/courses/:courseId/publish', 'DELETE /outline/lessons/:lessonId'])
    );
  });
});

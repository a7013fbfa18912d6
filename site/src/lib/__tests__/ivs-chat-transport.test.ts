/**
 * The site's IVS Chat sender against the local double of IVS Chat's messaging WebSocket (the one
 * the API tests use): accepted messages resolve on IVS's echo, refusals come back in the socket's
 * error codes, and sendThroughIvs answers with the stored message once the classroom socket has it.
 */
import WebSocket from 'ws';
import { waitFor } from '../../../../cms/tests/helpers/wait';
import { startIvsChatDouble, type IvsChatDouble } from '../../../../cms/tests/helpers/ivs-chat-double';
import { createIvsChatTransport, sendThroughIvs, type IvsChatTransport } from '../ivs-chat-transport';
import type { ChatMessageDto } from '../../../../src-plugins/live/server/src/realtime/contracts';

let chat: IvsChatDouble;
const transports: IvsChatTransport[] = [];

const post = async (operation: string, body: object) => {
  const res = await fetch(`${chat.url}/${operation}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${operation} answered ${res.status}`);
  return res.json();
};

async function transportFor(capabilities: string[], room?: string) {
  const arn = room ?? (await post('CreateRoom', { name: 'unit', maximumMessageRatePerSecond: 2, maximumMessageLength: 20 })).arn;
  const { token, sessionExpirationTime } = await post('CreateChatToken', { roomIdentifier: arn, userId: 'student-1', capabilities, attributes: { name: 'Asha', role: 'student' } });
  const transport = createIvsChatTransport({ messagingUrl: chat.messagingUrl, token, sessionExpirationTime }, (url, protocol) => new WebSocket(url, protocol) as unknown as globalThis.WebSocket);
  transports.push(transport);
  return { transport, arn };
}

beforeAll(async () => {
  chat = await startIvsChatDouble();
});
afterEach(() => {
  for (const transport of transports.splice(0)) transport.close();
});
afterAll(async () => {
  await chat.close();
});

describe('the IVS Chat transport', () => {
  it("sends SEND_MESSAGE and resolves with IVS's message id", async () => {
    const { transport } = await transportFor(['SEND_MESSAGE']);
    const sent = await transport.send('hello');
    expect(sent).toEqual({ ok: true, ivsMessageId: expect.any(String) });
    expect(chat.broadcasts.find((f) => f.Type === 'MESSAGE' && f.Id === (sent as any).ivsMessageId)).toMatchObject({ Content: 'hello', Sender: { UserId: 'student-1' } });
  });

  it("maps IVS's refusals to the socket's error codes", async () => {
    const readOnly = await transportFor([]);
    expect(await readOnly.transport.send('hello')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const { transport } = await transportFor(['SEND_MESSAGE']);
    expect(await transport.send('x'.repeat(21))).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    await transport.send('one');
    await transport.send('two');
    expect(await transport.send('three')).toMatchObject({ ok: false, error: { code: 'rate-limited', retryAfterSeconds: 1 } });
  });

  it('answers sendThroughIvs with the stored message, and refuses a muted sender without sending', async () => {
    const { transport } = await transportFor(['SEND_MESSAGE']);
    let state = { log: { messages: [] as ChatMessageDto[] }, me: { id: 1 }, mutedUntil: null as string | null };
    const listeners = new Set<() => void>();
    const view = { getState: () => state, subscribe: (l: () => void) => (listeners.add(l), () => listeners.delete(l)) };
    const answer = sendThroughIvs(transport, 'stored please', view);
    // IVS has it; the server would store it and the classroom socket push it back with its seq:
    await waitFor(() => chat.broadcasts.find((f) => f.Type === 'MESSAGE' && f.Content === 'stored please'), 5_000, 'the IVS message');
    const stored: ChatMessageDto = { seq: 7, type: 'CHAT', text: 'stored please', sentAt: new Date().toISOString(), offsetMs: null, author: { id: 1, name: 'Asha', role: 'student' } };
    state = { ...state, log: { messages: [stored] } };
    for (const listener of listeners) listener();
    expect(await answer).toEqual({ ok: true, message: stored });

    const before = chat.broadcasts.length;
    state = { ...state, mutedUntil: new Date(Date.now() + 60_000).toISOString() };
    expect(await sendThroughIvs(transport, 'muted', view)).toMatchObject({ ok: false, error: { code: 'muted', until: state.mutedUntil } });
    expect(chat.broadcasts.length).toBe(before);
  });
});

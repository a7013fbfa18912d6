import http from 'node:http';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, WebSocket } from 'ws';

/**
 * A local stand-in for Amazon IVS Chat: its control plane (REST-JSON, `POST /<Operation>`, JSON
 * bodies, errors as `x-amzn-ErrorType` + `{ message }`) and its messaging WebSocket (the chat
 * token as the WebSocket subprotocol), with the shapes of AWS's API and Messaging API references.
 * The real @aws-sdk/client-ivschat talks to `url` (IVSCHAT_ENDPOINT); clients connect to
 * `messagingUrl` (IVSCHAT_MESSAGING_URL).
 *
 * Messaging: `{ Action: 'SEND_MESSAGE', RequestId, Content, Attributes? }` needs the token's
 * SEND_MESSAGE capability and the room's length and rate limits, and is broadcast to every
 * connection of the room as `{ Type: 'MESSAGE', Id, RequestId, Content, Attributes, SendTime,
 * Sender: { UserId, Attributes } }`; refusals come back as `{ Type: 'ERROR', ErrorCode,
 * ErrorMessage, RequestId }`. DeleteMessage broadcasts the EVENT `aws:DELETE_MESSAGE`;
 * DisconnectUser closes the user's connections; DeleteRoom closes the room's.
 */
export type IvsChatRequest = { operation: string; body: any };

const REGION = 'us-west-2';
const ACCOUNT = '123456789012';
const CAPABILITIES = ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER'];
/** How long a token may be used to connect (the connection then lasts its session duration). */
const TOKEN_VALIDITY_MS = 60 * 60_000;

type Room = { arn: string; id: string; name: string; maximumMessageRatePerSecond: number; maximumMessageLength: number; sentAt: number[] };
type Token = { roomArn: string; userId: string; capabilities: string[]; attributes: Record<string, string>; tokenExpiresAt: number; sessionExpiresAt: number };
type Connection = { ws: WebSocket; token: Token };

export async function startIvsChatDouble() {
  const requests: IvsChatRequest[] = [];
  const rooms = new Map<string, Room>();
  const tokens = new Map<string, Token>();
  const connections = new Set<Connection>();
  /** Every frame the double sent to clients, in order (MESSAGE, EVENT, ERROR). */
  const broadcasts: any[] = [];

  const fail = (res: http.ServerResponse, status: number, type: string, message: string) => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-ErrorType': type, 'x-amzn-RequestId': crypto.randomUUID() });
    res.end(JSON.stringify({ message }));
  };
  const ok = (res: http.ServerResponse, body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-RequestId': crypto.randomUUID() });
    res.end(JSON.stringify(body));
  };
  const roomOf = (identifier: unknown) => (typeof identifier === 'string' ? (rooms.get(identifier) ?? [...rooms.values()].find((r) => r.id === identifier)) : undefined);
  const roomConnections = (arn: string) => [...connections].filter((c) => c.token.roomArn === arn);
  const send = (ws: WebSocket, frame: unknown) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
  };
  const broadcast = (arn: string, frame: unknown) => {
    broadcasts.push(frame);
    for (const c of roomConnections(arn)) send(c.ws, frame);
  };
  const codePoints = (text: string) => [...text].length;
  /** Gone from the room at once (the closing handshake finishes later). */
  const drop = (c: Connection, reason: string) => {
    connections.delete(c);
    c.ws.close(1000, reason);
  };

  const handlers: Record<string, (body: any, res: http.ServerResponse) => void> = {
    CreateRoom(body, res) {
      const rate = body.maximumMessageRatePerSecond ?? 10;
      const length = body.maximumMessageLength ?? 500;
      if (!Number.isInteger(rate) || rate < 1 || rate > 10) return fail(res, 400, 'ValidationException', 'maximumMessageRatePerSecond must be between 1 and 10');
      if (!Number.isInteger(length) || length < 1 || length > 500) return fail(res, 400, 'ValidationException', 'maximumMessageLength must be between 1 and 500');
      if (body.name !== undefined && !/^[a-zA-Z0-9-_]{0,128}$/.test(body.name)) return fail(res, 400, 'ValidationException', 'name must match ^[a-zA-Z0-9-_]*$');
      const id = crypto.randomBytes(6).toString('base64url').replace(/[-_]/g, 'x');
      const room: Room = { arn: `arn:aws:ivschat:${REGION}:${ACCOUNT}:room/${id}`, id, name: body.name ?? '', maximumMessageRatePerSecond: rate, maximumMessageLength: length, sentAt: [] };
      rooms.set(room.arn, room);
      const now = new Date().toISOString();
      ok(res, {
        arn: room.arn,
        id,
        name: room.name,
        createTime: now,
        updateTime: now,
        maximumMessageRatePerSecond: rate,
        maximumMessageLength: length,
        messageReviewHandler: body.messageReviewHandler,
        tags: body.tags ?? {},
        loggingConfigurationIdentifiers: body.loggingConfigurationIdentifiers ?? [],
      });
    },
    DeleteRoom(body, res) {
      const room = roomOf(body.identifier);
      if (!room) return fail(res, 404, 'ResourceNotFoundException', 'Room not found');
      rooms.delete(room.arn);
      for (const c of roomConnections(room.arn)) drop(c, 'room deleted');
      res.writeHead(204, { 'x-amzn-RequestId': crypto.randomUUID() }).end();
    },
    CreateChatToken(body, res) {
      const room = roomOf(body.roomIdentifier);
      if (!room) return fail(res, 404, 'ResourceNotFoundException', 'Room not found');
      if (typeof body.userId !== 'string' || body.userId.length < 1 || body.userId.length > 128) return fail(res, 400, 'ValidationException', 'userId must be 1 to 128 characters');
      const capabilities: unknown[] = body.capabilities ?? [];
      if (!Array.isArray(capabilities) || capabilities.some((c) => !CAPABILITIES.includes(c as string))) return fail(res, 400, 'ValidationException', 'unknown capability');
      const minutes = body.sessionDurationInMinutes ?? 60;
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > 180) return fail(res, 400, 'ValidationException', 'sessionDurationInMinutes must be between 1 and 180');
      const attributes = body.attributes ?? {};
      if (Buffer.byteLength(JSON.stringify(attributes)) > 1024 || Object.values(attributes).some((v) => typeof v !== 'string')) {
        return fail(res, 400, 'ValidationException', 'attributes must be strings, 1 KB in all');
      }
      const token = `AQICAH${crypto.randomBytes(48).toString('base64url')}`;
      const now = Date.now();
      const issued: Token = { roomArn: room.arn, userId: body.userId, capabilities: capabilities as string[], attributes, tokenExpiresAt: now + TOKEN_VALIDITY_MS, sessionExpiresAt: now + minutes * 60_000 };
      tokens.set(token, issued);
      ok(res, { token, tokenExpirationTime: new Date(issued.tokenExpiresAt).toISOString(), sessionExpirationTime: new Date(issued.sessionExpiresAt).toISOString() });
    },
    DeleteMessage(body, res) {
      const room = roomOf(body.roomIdentifier);
      if (!room) return fail(res, 404, 'ResourceNotFoundException', 'Room not found');
      if (typeof body.id !== 'string' || !body.id) return fail(res, 400, 'ValidationException', 'id is required');
      const id = crypto.randomUUID();
      broadcast(room.arn, { Type: 'EVENT', Id: id, EventName: 'aws:DELETE_MESSAGE', Attributes: { MessageID: body.id, Reason: body.reason ?? '' }, SendTime: new Date().toISOString() });
      ok(res, { id });
    },
    DisconnectUser(body, res) {
      const room = roomOf(body.roomIdentifier);
      if (!room) return fail(res, 404, 'ResourceNotFoundException', 'Room not found');
      if (typeof body.userId !== 'string' || !body.userId) return fail(res, 400, 'ValidationException', 'userId is required');
      for (const c of roomConnections(room.arn)) if (c.token.userId === body.userId) drop(c, 'disconnected by the room');
      ok(res, {});
    },
    SendEvent(body, res) {
      const room = roomOf(body.roomIdentifier);
      if (!room) return fail(res, 404, 'ResourceNotFoundException', 'Room not found');
      if (typeof body.eventName !== 'string' || !body.eventName) return fail(res, 400, 'ValidationException', 'eventName is required');
      const id = crypto.randomUUID();
      broadcast(room.arn, { Type: 'EVENT', Id: id, EventName: body.eventName, Attributes: body.attributes ?? {}, SendTime: new Date().toISOString() });
      ok(res, { id });
    },
  };

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const operation = (req.url ?? '').replace(/^\//, '').split('?')[0];
      let body: any = {};
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        return fail(res, 400, 'ValidationException', 'body is not JSON');
      }
      requests.push({ operation, body });
      const handler = req.method === 'POST' ? handlers[operation] : undefined;
      if (!handler) return fail(res, 400, 'ValidationException', `unsupported operation ${operation}`);
      handler(body, res);
    });
  });

  const validToken = (protocols: Set<string>) => {
    for (const protocol of protocols) {
      const token = tokens.get(protocol);
      if (token && token.tokenExpiresAt > Date.now() && rooms.has(token.roomArn)) return { protocol, token };
    }
    return null;
  };

  const wss = new WebSocketServer({
    server,
    verifyClient: (info, done) => {
      const offered = new Set(String(info.req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean));
      if (validToken(offered)) done(true);
      else done(false, 401, 'Unauthorized');
    },
    handleProtocols: (protocols) => validToken(protocols)?.protocol ?? false,
  });

  wss.on('connection', (ws) => {
    const token = tokens.get(ws.protocol)!;
    const connection: Connection = { ws, token };
    connections.add(connection);
    const expiry = setTimeout(() => ws.close(1000, 'session expired'), Math.max(0, token.sessionExpiresAt - Date.now()));
    expiry.unref();
    ws.on('close', () => {
      clearTimeout(expiry);
      connections.delete(connection);
    });
    ws.on('message', (data) => {
      let frame: any;
      try {
        frame = JSON.parse(String(data));
      } catch {
        return send(ws, { Type: 'ERROR', ErrorCode: 400, ErrorMessage: 'The message is not JSON' });
      }
      const RequestId = typeof frame?.RequestId === 'string' ? frame.RequestId : undefined;
      const error = (ErrorCode: number, ErrorMessage: string) => {
        const reply = { Type: 'ERROR', Id: crypto.randomUUID(), RequestId, ErrorCode, ErrorMessage };
        broadcasts.push(reply);
        send(ws, reply);
      };
      if (frame?.Action !== 'SEND_MESSAGE') return error(400, `Unsupported action ${String(frame?.Action)}`);
      const room = rooms.get(token.roomArn);
      if (!room) return error(404, 'The room no longer exists');
      if (!token.capabilities.includes('SEND_MESSAGE')) return error(403, 'The token lacks the SEND_MESSAGE capability');
      if (typeof frame.Content !== 'string' || codePoints(frame.Content) === 0) return error(400, 'Content is required');
      if (codePoints(frame.Content) > room.maximumMessageLength) return error(400, `Content is longer than ${room.maximumMessageLength} characters`);
      const now = Date.now();
      room.sentAt = room.sentAt.filter((t) => t > now - 1000);
      if (room.sentAt.length >= room.maximumMessageRatePerSecond) return error(429, 'The room is receiving messages too fast');
      room.sentAt.push(now);
      broadcast(room.arn, {
        Type: 'MESSAGE',
        Id: crypto.randomBytes(9).toString('base64url'),
        RequestId,
        Content: frame.Content,
        Attributes: frame.Attributes ?? {},
        SendTime: new Date(now).toISOString(),
        Sender: { UserId: token.userId, Attributes: token.attributes },
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    messagingUrl: `ws://127.0.0.1:${port}`,
    requests,
    rooms,
    broadcasts,
    calls: (operation: string) => requests.filter((r) => r.operation === operation).map((r) => r.body),
    /** The user ids connected to a room now. */
    connectedUsers: (roomArn: string) => roomConnections(roomArn).map((c) => c.token.userId),
    /** What CreateChatToken issued `token` for (capabilities, attributes…). */
    tokenInfo: (token: string) => tokens.get(token),
    async close() {
      for (const c of connections) c.ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type IvsChatDouble = Awaited<ReturnType<typeof startIvsChatDouble>>;

/** A participant's own connection to the double's messaging WebSocket, as the site's transport makes it. */
export async function connectIvsChatClient(grant: { messagingUrl: string; token: string }) {
  const frames: any[] = [];
  const ws = new WebSocket(grant.messagingUrl, grant.token);
  ws.on('message', (data) => frames.push(JSON.parse(String(data))));
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    frames,
    closed,
    /** Sends SEND_MESSAGE; returns its RequestId. */
    send(content: string) {
      const requestId = crypto.randomUUID();
      ws.send(JSON.stringify({ Action: 'SEND_MESSAGE', RequestId: requestId, Content: content, Attributes: {} }));
      return requestId;
    },
    frame: (match: (frame: any) => boolean) => frames.find(match),
    close: () => ws.close(),
  };
}

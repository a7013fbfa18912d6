/**
 * The HTTP side of local playback: which requests are ours, and how a refusal is written.
 * Players ask Strapi for `GET /api/live/play/<channelId>.flv?token=…` (HTTP-FLV) or the same path
 * as a WebSocket upgrade (WS-FLV); the provider checks the token and hands the request to NMS.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { PlayTokenCheck } from './play-token';

export const PLAY_PATH_PREFIX = '/api/live/play/';
const PLAY_PATH = /^\/api\/live\/play\/([A-Za-z0-9_-]{1,64})\.flv$/;

export type PlayTarget = { channelId: string; token: string | null };

/** The channel and token of a play URL, or null when the URL isn't a play URL. */
export function parsePlayTarget(rawUrl: string | undefined): PlayTarget | null {
  if (!rawUrl || !rawUrl.startsWith(PLAY_PATH_PREFIX)) return null;
  let url: URL;
  try {
    url = new URL(rawUrl, 'http://play.invalid');
  } catch {
    return null;
  }
  const match = PLAY_PATH.exec(url.pathname);
  if (!match) return null;
  return { channelId: match[1], token: url.searchParams.get('token') };
}

export type Refusal = { status: number; message: string };

export function refusalForToken(check: Exclude<PlayTokenCheck, { ok: true }>): Refusal {
  switch (check.reason) {
    case 'missing':
      return { status: 403, message: 'A playback token is required' };
    case 'expired':
      return { status: 403, message: 'The playback token has expired' };
    case 'other-channel':
      return { status: 403, message: 'The playback token is for another stream' };
    default:
      return { status: 403, message: 'Invalid playback token' };
  }
}

/** A GET that carries a body: NMS would feed it to its FLV parser, so it is refused. */
export function hasRequestBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const errorBody = ({ status, message }: Refusal): string => JSON.stringify({ error: { status, message } });

export function sendRefusal(res: ServerResponse, refusal: Refusal, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = errorBody(refusal);
  res.writeHead(refusal.status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
  });
  res.end(body);
}

/** Answers an upgrade with a plain HTTP error and closes the socket once it is written. */
export function refuseUpgrade(socket: Duplex, refusal: Refusal): void {
  if (socket.destroyed) return;
  const body = errorBody(refusal);
  socket.once('finish', () => socket.destroy());
  socket.once('error', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${refusal.status} ${STATUS_TEXT[refusal.status] ?? 'Error'}\r\n` +
      'Connection: close\r\nContent-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

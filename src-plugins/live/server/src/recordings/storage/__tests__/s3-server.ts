/**
 * A real S3 API on loopback for tests: s3rver (in a child process, see s3rver-child.js) in a
 * temporary folder, with the requests it received recorded (method, path, query, headers) so tests
 * can check what the SDK sent.
 *
 * s3rver checks the access key id (S3RVER) but no signatures (a forged URL gets 200): tests of who
 * may read what check the URLs themselves; this server proves the requests work against the S3 protocol.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type RecordedS3Request = { method: string; path: string; query: Record<string, string | string[] | undefined>; headers: Record<string, string | string[] | undefined> };

export type TestS3Server = {
  endpoint: string;
  port: number;
  /** Every request received so far, in order (complete: waits for the server's reports). */
  requests(): Promise<RecordedS3Request[]>;
  /** The credentials s3rver knows (it accepts any secret). */
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  stop(): Promise<void>;
};

type ChildMessage = { request?: RecordedS3Request; ready?: number; failed?: string; flushed?: number };

export async function startS3Server(buckets: string[]): Promise<TestS3Server> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
  const child: ChildProcess = fork(path.join(__dirname, 's3rver-child.js'), [JSON.stringify({ directory, buckets })], {
    execArgv: ['--openssl-legacy-provider'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const received: RecordedS3Request[] = [];
  const flushes = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let nextFlush = 0;
  let exited: Error | null = null;
  child.on('exit', (code, signal) => {
    exited = new Error(`s3rver exited (${signal ?? code})`);
    for (const flush of flushes.values()) flush.reject(exited);
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.on('message', (message: ChildMessage) => {
      if (message.request) received.push(message.request);
      else if (message.ready !== undefined) resolve(message.ready);
      else if (message.failed) reject(new Error(`s3rver did not start: ${message.failed}`));
      else if (message.flushed !== undefined) flushes.get(message.flushed)?.resolve();
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code} before it was ready`)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    async requests() {
      if (exited) throw exited;
      const id = nextFlush++;
      try {
        await new Promise<void>((resolve, reject) => {
          flushes.set(id, { resolve, reject });
          child.send({ flush: id });
        });
      } finally {
        flushes.delete(id);
      }
      return [...received];
    },
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER-test-secret-key-0123456789' },
    region: 'us-east-1',
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.send({ stop: true });
        await exited;
      }
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

/**
 * The S3 backend (AWS, or any S3-compatible server through `endpoint` + `forcePathStyle`).
 *
 * The bucket is private: reads go through short-lived URLs, CloudFront signed URLs when a CDN key
 * pair is configured (`${cdn.url}/<key>`), else S3 presigned GETs. Large files are uploaded in
 * 8 MB parts, two at a time (at most 16 MB of a file in memory).
 */
import fs from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl as presign } from '@aws-sdk/s3-request-presigner';
import { getSignedUrl as cloudFrontSign } from '@aws-sdk/cloudfront-signer';
import {
  assertListPrefix,
  assertStorageKey,
  assertStoragePrefix,
  parseSignedUrlOptions,
  StorageError,
  type ObjectStorage,
  type StoredObject,
} from './types';
import { attachmentDisposition, safeDownloadName } from './signing';

export const MULTIPART_PART_SIZE = 8 * 1024 * 1024;
export const MULTIPART_QUEUE_SIZE = 2;
/** `getBuffer` is for playlists and JSON: refuse to pull a video into memory by mistake. */
export const MAX_BUFFER_BYTES = 32 * 1024 * 1024;

export type CloudFrontSigning = { url: string; keyPairId: string; privateKeyPem: string };

export type S3StorageOptions = {
  bucket: string;
  region: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  /** Omitted: the SDK's default chain (the ECS task role, AWS_* variables, a profile). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  cdn?: CloudFrontSigning;
  /** A client of your own (tests); the options above then only name the bucket and the endpoint in messages. */
  client?: S3Client;
  /** The signing clock (tests sign URLs "in the past" to get expired ones without waiting). */
  now?: () => Date;
};

export interface S3Storage extends ObjectStorage {
  readonly kind: 's3';
  readonly bucket: string;
  readonly client: S3Client;
}

type AwsError = Error & { name: string; code?: string; $metadata?: { httpStatusCode?: number }; $fault?: 'client' | 'server' };

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/** The PEM as a .env line holds it (literal \n) or as a file holds it; checked once, at start. */
function readCloudFrontKey(pem: string): string {
  const normalized = pem.includes('\\n') ? pem.replace(/\\n/g, '\n') : pem;
  let key;
  try {
    key = createPrivateKey(normalized);
  } catch {
    throw new StorageError('CLOUDFRONT_PRIVATE_KEY is not a readable PEM private key', 503);
  }
  if (key.asymmetricKeyType !== 'rsa') throw new StorageError('CLOUDFRONT_PRIVATE_KEY must be an RSA key (CloudFront key groups take RSA 2048 public keys)', 503);
  return normalized;
}

export function s3Storage(options: S3StorageOptions): S3Storage {
  const { bucket, region } = options;
  if (!bucket) throw new StorageError('S3_BUCKET is required for S3 storage', 503);
  if (!region) throw new StorageError('S3_REGION (or AWS_REGION) is required for S3 storage', 503);
  const where = options.endpoint ?? `s3.${region}.amazonaws.com`;
  const now = options.now ?? (() => new Date());
  const cdn = options.cdn
    ? { url: options.cdn.url.replace(/\/+$/, ''), keyPairId: options.cdn.keyPairId, privateKey: readCloudFrontKey(options.cdn.privateKeyPem) }
    : null;

  const config: S3ClientConfig = {
    region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle ?? false,
    // A copy: the SDK annotates the object it is given.
    ...(options.credentials ? { credentials: { ...options.credentials } } : {}),
    // S3-compatible servers (MinIO, test servers) vary in their support of the newer default
    // checksums (CRC32 trailers): only send them where S3 requires them.
    ...(options.endpoint ? { requestChecksumCalculation: 'WHEN_REQUIRED' as const, responseChecksumValidation: 'WHEN_REQUIRED' as const } : {}),
  };
  const client = options.client ?? new S3Client(config);

  /** An SDK failure as a StorageError an operator can act on (no credentials in it: the SDK's errors hold none, and we add none). */
  function failure(error: unknown, action: string, key?: string): StorageError {
    if (error instanceof StorageError) return error;
    const e = error as AwsError;
    const status = e?.$metadata?.httpStatusCode;
    const name = e?.name ?? 'Error';
    // A socket error's code is on the error, its cause, or (when the SDK wrapped an error from
    // another realm, as under jest) only in the message.
    const code = e?.code ?? (e as { cause?: { code?: string } })?.cause?.code ?? [...NETWORK_CODES].find((c) => String(e?.message ?? '').includes(c));
    const audit = { bucket, key, action, awsError: name, httpStatus: status };
    if (name === 'NoSuchKey' || (name === 'NotFound' && key !== undefined)) return new StorageError(`No object at ${key}`, 404, audit);
    if (name === 'NoSuchBucket' || (name === 'NotFound' && key === undefined)) {
      return new StorageError(`The S3 bucket ${bucket} does not exist at ${where}: check S3_BUCKET`, 503, audit);
    }
    if (['AccessDenied', 'Forbidden', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken'].includes(name) || status === 403) {
      return new StorageError(`S3 refused access to bucket ${bucket} (${name}): check the task role / S3_ACCESS_KEY_ID`, 503, audit);
    }
    if (name === 'CredentialsProviderError') {
      return new StorageError(`No AWS credentials for bucket ${bucket}: set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or give the task a role`, 503, audit);
    }
    if ((code && NETWORK_CODES.has(code)) || name === 'TimeoutError' || name === 'RequestTimeout') {
      return new StorageError(`S3 is unreachable at ${where} (${code ?? name})`, 503, audit);
    }
    if (name === 'SlowDown' || name === 'ServiceUnavailable' || status === 503) return new StorageError(`S3 is busy (${name}): try again shortly`, 503, audit);
    return new StorageError(`S3 ${action} ${key ? `of ${key} ` : ''}failed (${name}${status ? `, HTTP ${status}` : ''})`, 502, audit);
  }

  async function listPage(prefix: string, continuationToken?: string) {
    try {
      return await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: continuationToken, MaxKeys: 1000 }));
    } catch (error) {
      throw failure(error, 'list');
    }
  }

  const storage: S3Storage = {
    kind: 's3',
    bucket,
    client,

    async putFile(key, filePath, { contentType, onProgress }) {
      assertStorageKey(key);
      let size: number;
      try {
        const stat = await fs.promises.stat(filePath);
        if (!stat.isFile()) throw new StorageError(`${filePath} is not a file`, 400);
        size = stat.size;
      } catch (error) {
        if (error instanceof StorageError) throw error;
        throw new StorageError(`The file to store does not exist: ${filePath}`, 404);
      }
      const body = fs.createReadStream(filePath);
      const upload = new Upload({
        client,
        params: { Bucket: bucket, Key: key, Body: body, ContentType: contentType, ContentLength: size },
        partSize: MULTIPART_PART_SIZE,
        queueSize: MULTIPART_QUEUE_SIZE,
        // A failed upload aborts the multipart upload: no orphan parts billed in the bucket.
        leavePartsOnError: false,
      });
      onProgress?.(0, size);
      if (onProgress) upload.on('httpUploadProgress', (progress) => onProgress(progress.loaded ?? 0, size));
      try {
        await upload.done();
      } catch (error) {
        throw failure(error, 'upload', key);
      } finally {
        body.destroy();
      }
      return { key, size };
    },

    async putBuffer(key, body, { contentType }) {
      assertStorageKey(key);
      try {
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
      } catch (error) {
        throw failure(error, 'upload', key);
      }
      return { key, size: body.length };
    },

    async getBuffer(key) {
      assertStorageKey(key);
      try {
        const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        if ((response.ContentLength ?? 0) > MAX_BUFFER_BYTES) {
          (response.Body as { destroy?: () => void } | undefined)?.destroy?.();
          throw new StorageError(`${key} is too large to read into memory (${response.ContentLength} bytes)`, 400);
        }
        if (!response.Body) return Buffer.alloc(0);
        return Buffer.from(await response.Body.transformToByteArray());
      } catch (error) {
        throw failure(error, 'read', key);
      }
    },

    async list(prefix) {
      assertListPrefix(prefix);
      const found: StoredObject[] = [];
      let token: string | undefined;
      do {
        const page = await listPage(prefix, token);
        for (const object of page.Contents ?? []) if (object.Key !== undefined) found.push({ key: object.Key, size: object.Size ?? 0 });
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      // S3 lists in byte order already; S3-compatible servers don't all do.
      return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },

    async deletePrefix(prefix) {
      assertStoragePrefix(prefix);
      let deleted = 0;
      let previousFirstKey: string | undefined;
      // Each round lists the first page (up to 1000) and deletes it, until none is left: no
      // continuation token across deletions (S3-compatible servers differ on those).
      for (;;) {
        const page = await listPage(prefix);
        const keys = (page.Contents ?? []).flatMap((object) => (object.Key === undefined ? [] : [{ Key: object.Key }]));
        if (keys.length === 0) break;
        if (keys[0].Key === previousFirstKey) throw new StorageError(`S3 reported ${prefix} deleted, but its objects are still listed`, 502, { bucket, prefix });
        previousFirstKey = keys[0].Key;
        let response;
        try {
          response = await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
        } catch (error) {
          throw failure(error, 'delete');
        }
        const errors = response.Errors ?? [];
        if (errors.length > 0) {
          const first = errors[0];
          throw new StorageError(`S3 could not delete ${errors.length} object(s) under ${prefix} (first: ${first.Key}: ${first.Code})`, first.Code === 'AccessDenied' ? 503 : 502, {
            bucket,
            prefix,
          });
        }
        deleted += keys.length;
        if (!page.IsTruncated) break;
      }
      return deleted;
    },

    async signedUrl(key, options) {
      assertStorageKey(key);
      const { expiresInSeconds, downloadName } = parseSignedUrlOptions(options);
      const dl = downloadName === undefined ? undefined : safeDownloadName(downloadName);
      if (dl === null) throw new StorageError('The download name has no usable characters', 400);
      const disposition = dl === undefined ? undefined : attachmentDisposition(dl);
      const signingDate = now();
      const expiresAt = new Date(Math.floor(signingDate.getTime() / 1000) * 1000 + expiresInSeconds * 1000);
      if (cdn) {
        // S3 honours response-content-disposition on the origin request CloudFront signs (OAC): the
        // distribution's origin request policy must forward that query string for downloads to be named.
        const url = `${cdn.url}/${key}${disposition ? `?response-content-disposition=${encodeURIComponent(disposition)}` : ''}`;
        return { url: cloudFrontSign({ url, keyPairId: cdn.keyPairId, privateKey: cdn.privateKey, dateLessThan: expiresAt }), expiresAt };
      }
      try {
        const url = await presign(client, new GetObjectCommand({ Bucket: bucket, Key: key, ResponseContentDisposition: disposition }), {
          expiresIn: expiresInSeconds,
          signingDate,
        });
        return { url, expiresAt };
      } catch (error) {
        throw failure(error, 'sign', key);
      }
    },

    async check() {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }));
      } catch (error) {
        throw failure(error, 'check');
      }
    },
  };
  return storage;
}

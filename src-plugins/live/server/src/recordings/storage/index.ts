import path from 'node:path';
import type { Env } from '@skillyug/config';
import { diskStorage, type DiskStorage } from './disk';
import { s3Storage, type S3Storage, type S3StorageOptions } from './s3';

export * from './types';
export {
  diskStorage,
  serveSignedFile,
  isDiskStorage,
  parseRange,
  FILES_ROUTE_PREFIX,
  type DiskStorage,
  type DiskStorageOptions,
  type FileRequest,
  type FileResponse,
} from './disk';
export { s3Storage, MULTIPART_PART_SIZE, MULTIPART_QUEUE_SIZE, type S3Storage, type S3StorageOptions, type CloudFrontSigning } from './s3';
export { signFileUrl, verifyFileUrl, signedFileQuery, safeDownloadName, attachmentDisposition, LINK_EXPIRED, LINK_NOT_VALID, type FileUrlCheck } from './signing';

export type StorageContext = {
  /** PUBLIC_URL: disk links point at this origin. */
  publicUrl: string;
  /** Signs disk links: `derivedSecret(env, 'files')`. */
  secret: string;
  /** The Strapi app's folder (cms/): LOCAL_STORAGE_DIR is relative to it. */
  cmsDir: string;
};

/** The bucket's connection from S3_* (AWS_REGION when S3_REGION is unset); no CDN. */
function s3Connection(env: Env, bucket: string): S3StorageOptions {
  return {
    bucket,
    region: env.S3_REGION ?? env.AWS_REGION ?? '',
    endpoint: env.S3_ENDPOINT,
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
    credentials: env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY } : undefined,
  };
}

/**
 * Where recordings are stored, as the configuration says: UPLOAD_PROVIDER=local → a folder
 * (LOCAL_STORAGE_DIR, relative to cms/); s3 → S3_BUCKET, read through CloudFront signed URLs when
 * CDN_URL, CLOUDFRONT_KEY_PAIR_ID and CLOUDFRONT_PRIVATE_KEY are all set, else presigned URLs.
 */
export function createObjectStorage(env: Env, context: StorageContext): DiskStorage | S3Storage {
  if (env.UPLOAD_PROVIDER === 's3') {
    const cdn =
      env.CDN_URL && env.CLOUDFRONT_KEY_PAIR_ID && env.CLOUDFRONT_PRIVATE_KEY
        ? { url: env.CDN_URL, keyPairId: env.CLOUDFRONT_KEY_PAIR_ID, privateKeyPem: env.CLOUDFRONT_PRIVATE_KEY }
        : undefined;
    return s3Storage({ ...s3Connection(env, env.S3_BUCKET ?? ''), cdn });
  }
  return diskStorage({ root: path.resolve(context.cmsDir, env.LOCAL_STORAGE_DIR), publicUrl: context.publicUrl, secret: context.secret });
}

/**
 * Another bucket on the same S3 connection, e.g. the one IVS records into. Its URLs are S3
 * presigned: the CDN (CDN_URL) fronts S3_BUCKET, not this one.
 */
export function s3StorageForBucket(env: Env, bucket: string): S3Storage {
  return s3Storage(s3Connection(env, bucket));
}

import type { Core } from '@strapi/strapi';
import { loadEnv } from '@skillyug/config';
import { derivedSecret } from '../../utils/signed-token';
import { createObjectStorage, s3StorageForBucket, type ObjectStorage } from '../storage';

/**
 * The storage recordings live in (disk or S3_BUCKET, from UPLOAD_PROVIDER), made once; and the
 * buckets IVS records into, read on the same S3 connection.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  let storage: ObjectStorage | null = null;
  const buckets = new Map<string, ObjectStorage>();

  return {
    get(): ObjectStorage {
      if (!storage) {
        const env = loadEnv('cms');
        storage = createObjectStorage(env, { publicUrl: env.PUBLIC_URL, secret: derivedSecret(env, 'files'), cmsDir: strapi.dirs.app.root });
      }
      return storage;
    },

    forBucket(bucket: string): ObjectStorage {
      let found = buckets.get(bucket);
      if (!found) {
        found = s3StorageForBucket(loadEnv('cms'), bucket);
        buckets.set(bucket, found);
      }
      return found;
    },
  };
};

import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { loadEnv } from '@skillyug/config';

/** LOCAL_STORAGE_DIR, resolved against the Strapi app's folder (cms/). */
export const localStorageRoot = (strapi: Core.Strapi) => path.resolve(strapi.dirs.app.root, loadEnv('cms').LOCAL_STORAGE_DIR);

/** Where the local ingest writes the raw FLV of classes that record. Outlives restarts: a half-processed recording resumes from it. */
export const recordingIngestDir = (strapi: Core.Strapi) => path.join(localStorageRoot(strapi), 'ingest');

/** Scratch space for processing (the MP4 and thumbnails before they are stored). */
export const recordingWorkDir = (strapi: Core.Strapi, recordingId: string) => path.join(localStorageRoot(strapi), 'work', recordingId);

/** Where a recording's files are kept in storage (disk or S3), under one prefix so delete removes them all. */
export const recordingPrefix = (recordingId: string) => `recordings/${recordingId}/`;

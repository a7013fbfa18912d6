/**
 * UPLOAD_PROVIDER=s3 really moves the media library to S3: Strapi boots against an S3 API on
 * loopback (s3rver), and a course cover uploaded through the admin panel's upload route lands in
 * the bucket (under uploads/), with no public-read ACL, and its URL points at the bucket, not /uploads.
 */
import fs from 'node:fs';
import path from 'node:path';
import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';
import { resetEnvCache } from '@skillyug/config';
import { startStrapi, type TestApp } from './helpers/strapi';
import { superAdmin } from './helpers/payments';
import { startS3Server, type TestS3Server } from '../../src-plugins/live/server/src/recordings/storage/__tests__/s3-server';

const BUCKET = 'skillyug-media';
const COVER = path.resolve(__dirname, '..', '..', 'database', 'seed', 'covers', 'javascript-foundations.png');

let s3: TestS3Server;
let app: TestApp;
let client: S3Client;

const s3Env = () => ({
  UPLOAD_PROVIDER: 's3',
  S3_BUCKET: BUCKET,
  S3_REGION: s3.region,
  S3_ENDPOINT: s3.endpoint,
  S3_FORCE_PATH_STYLE: 'true',
  S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
  S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
});

beforeAll(async () => {
  s3 = await startS3Server([BUCKET]);
  app = await startStrapi(s3Env());
  client = new S3Client({ region: s3.region, endpoint: s3.endpoint, forcePathStyle: true, credentials: { ...s3.credentials } });
});

afterAll(async () => {
  client?.destroy();
  await app?.stop();
  await s3?.stop();
});

const objectBytes = async (key: string) => {
  const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return { bytes: Buffer.from(await object.Body!.transformToByteArray()), contentType: object.ContentType };
};
const keyOf = (url: string) => {
  const prefix = `${s3.endpoint}/${BUCKET}/`;
  expect(url.startsWith(prefix)).toBe(true);
  return url.slice(prefix.length);
};

describe('UPLOAD_PROVIDER=s3', () => {
  it('the demo seed’s covers and lesson videos went to the bucket', async () => {
    const files = await app.strapi.db.query('plugin::upload.file').findMany({ select: ['url', 'mime'] });
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(file.url).toMatch(new RegExp(`^${s3.endpoint}/${BUCKET}/uploads/[^/]+$`));
    expect(files.some((file: any) => file.mime === 'video/mp4')).toBe(true);
  });

  it('a course cover uploaded in the admin panel is stored in the bucket, privately, and the course shows it from there', async () => {
    // Byte for byte: Strapi would otherwise re-encode the image if that made it smaller.
    const uploadService = app.strapi.plugin('upload').service('upload');
    await uploadService.setSettings({ ...(await uploadService.getSettings()), sizeOptimization: false, responsiveDimensions: true });
    const admin = await superAdmin(app);
    const source = fs.readFileSync(COVER);
    const requestsBefore = (await s3.requests()).length;

    const res = await app.http
      .post('/upload')
      .set(admin.auth)
      .field('fileInfo', JSON.stringify({ name: 'new-cover.png', alternativeText: 'A new cover' }))
      .attach('files', source, { filename: 'new-cover.png', contentType: 'image/png' });
    expect(res.status).toBe(201);
    const [file] = res.body;

    // The row's URL is the bucket's, never /uploads.
    expect(file.url).toBe(`${s3.endpoint}/${BUCKET}/uploads/${file.hash}${file.ext}`);
    expect(file.url.startsWith('/uploads')).toBe(false);
    expect(file.provider).toBe('aws-s3');
    const stored = await objectBytes(keyOf(file.url));
    expect(stored.bytes.equals(source)).toBe(true);
    expect(stored.contentType).toBe('image/png');
    // Its smaller formats too.
    const formats = Object.values(file.formats ?? {}) as { url: string }[];
    expect(formats.length).toBeGreaterThan(0);
    for (const format of formats) expect((await objectBytes(keyOf(format.url))).bytes.length).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(app.strapi.dirs.static.public, 'uploads', `${file.hash}${file.ext}`))).toBe(false);

    // Private bucket: the puts carried no ACL (the provider's default would be public-read).
    const puts = (await s3.requests()).slice(requestsBefore).filter((r) => r.method === 'PUT' && r.path.startsWith(`/${BUCKET}/uploads/`));
    expect(puts.length).toBeGreaterThanOrEqual(1 + formats.length);
    for (const put of puts) expect(put.headers['x-amz-acl']).toBeUndefined();

    // Made a course's cover, the public API serves the bucket URL.
    const [course] = (await app.strapi.documents('api::course.course').findMany({ status: 'published', fields: ['slug'], sort: 'slug:asc', limit: 1 } as any)) as any[];
    await app.strapi.documents('api::course.course').update({ documentId: course.documentId, data: { cover: file.id } } as any);
    await app.strapi.documents('api::course.course').publish({ documentId: course.documentId } as any);
    const shown = await app.http.get(`/api/courses/${course.documentId}`).query('populate[cover][fields][0]=url');
    expect(shown.status).toBe(200);
    expect(shown.body.data.cover.url).toBe(file.url);
  });

  it('with CDN_URL, file URLs point at the CDN (plugins config)', () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, s3Env(), { CDN_URL: 'https://media.example.test' });
      resetEnvCache();
      let plugins: any;
      jest.isolateModules(() => {
        plugins = require('../config/plugins').default();
      });
      expect(plugins.upload.config.provider).toBe('aws-s3');
      expect(plugins.upload.config.providerOptions).toMatchObject({
        baseUrl: 'https://media.example.test',
        rootPath: 'uploads',
        s3Options: {
          region: s3.region,
          endpoint: s3.endpoint,
          forcePathStyle: true,
          credentials: { accessKeyId: s3.credentials.accessKeyId, secretAccessKey: s3.credentials.secretAccessKey },
          params: { Bucket: BUCKET, ACL: '' },
        },
      });

      process.env.UPLOAD_PROVIDER = 'local';
      resetEnvCache();
      jest.isolateModules(() => {
        plugins = require('../config/plugins').default();
      });
      expect(plugins.upload).toBeUndefined();
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
      resetEnvCache();
    }
  });
});

import { runtimeDirectives, storageOrigins, withRuntimeSources } from '../csp';

const embedded = {
  PUBLIC_URL: 'http://localhost:1337',
  LIVE_PROVIDER: 'local',
  RAZORPAY_KEY_ID: undefined,
} as const;

describe('the Content-Security-Policy origins from configuration', () => {
  it('embedded mode: Strapi for images, videos and live playback (HTTP and WebSocket FLV)', () => {
    expect(runtimeDirectives(embedded)).toEqual([
      "img-src 'self' data: http://localhost:1337",
      "media-src 'self' blob: http://localhost:1337",
      "connect-src 'self' http://localhost:1337 ws://localhost:1337",
    ]);
  });

  it('production: Strapi\'s public origin, Amazon IVS and Razorpay when they are configured (origins only)', () => {
    const directives = runtimeDirectives({
      ...embedded,
      PUBLIC_URL: 'https://cms.skillyug.example/some/path',
      LIVE_PROVIDER: 'ivs',
      RAZORPAY_KEY_ID: 'rzp_live_x',
    });
    expect(directives).toEqual([
      "img-src 'self' data: https://cms.skillyug.example",
      "media-src 'self' blob: https://cms.skillyug.example https://*.live-video.net",
      "connect-src 'self' https://cms.skillyug.example wss://cms.skillyug.example https://*.live-video.net https://api.razorpay.com https://lumberjack.razorpay.com",
    ]);
  });

  it("appends them to Astro's policy", () => {
    expect(withRuntimeSources("default-src 'self'; script-src 'self' 'sha256-x';", embedded)).toBe(
      "default-src 'self'; script-src 'self' 'sha256-x'; img-src 'self' data: http://localhost:1337; media-src 'self' blob: http://localhost:1337; connect-src 'self' http://localhost:1337 ws://localhost:1337"
    );
  });
});

describe('the storage origins of recordings (UPLOAD_PROVIDER=s3)', () => {
  const s3 = { ...embedded, UPLOAD_PROVIDER: 's3', S3_BUCKET: 'skillyug-media', S3_REGION: 'ap-south-1' } as const;

  it('none on disk: signed URLs go through Strapi’s own origin', () => {
    expect(storageOrigins({ ...embedded, UPLOAD_PROVIDER: 'local', S3_BUCKET: 'skillyug-media' })).toEqual([]);
  });

  it('the bucket as the AWS SDK addresses it: virtual-hosted, path-style when forced or when the name can’t be a host', () => {
    expect(storageOrigins(s3)).toEqual(['https://skillyug-media.s3.ap-south-1.amazonaws.com']);
    expect(storageOrigins({ ...s3, S3_REGION: undefined, AWS_REGION: 'us-east-1' })).toEqual(['https://skillyug-media.s3.us-east-1.amazonaws.com']);
    expect(storageOrigins({ ...s3, S3_FORCE_PATH_STYLE: true })).toEqual(['https://s3.ap-south-1.amazonaws.com']);
    expect(storageOrigins({ ...s3, S3_BUCKET: 'skillyug.media' })).toEqual(['https://s3.ap-south-1.amazonaws.com']);
  });

  it('an S3-compatible endpoint: the bucket under its host, or the endpoint itself (IP address, forced path style)', () => {
    expect(storageOrigins({ ...s3, S3_ENDPOINT: 'https://minio.example.com:9000' })).toEqual(['https://skillyug-media.minio.example.com:9000']);
    expect(storageOrigins({ ...s3, S3_ENDPOINT: 'http://127.0.0.1:4569' })).toEqual(['http://127.0.0.1:4569']);
    expect(storageOrigins({ ...s3, S3_ENDPOINT: 'https://minio.example.com', S3_FORCE_PATH_STYLE: true })).toEqual(['https://minio.example.com']);
  });

  it('IVS recordings: S3 in the region, since only the recording configuration names the bucket IVS records into', () => {
    const ivs = { ...s3, IVS_RECORDING_CONFIGURATION_ARN: 'arn:aws:ivs:ap-south-1:123456789012:recording-configuration/AbCd1234' };
    expect(storageOrigins(ivs)).toEqual(['https://skillyug-media.s3.ap-south-1.amazonaws.com', 'https://*.s3.ap-south-1.amazonaws.com', 'https://s3.ap-south-1.amazonaws.com']);
  });

  it('the CDN first when there is one; in img-src (posters), media-src (MP4) and connect-src (HLS through hls.js), nowhere else', () => {
    const env = { ...s3, CDN_URL: 'https://cdn.skillyug.example/media' };
    expect(storageOrigins(env)).toEqual(['https://cdn.skillyug.example', 'https://skillyug-media.s3.ap-south-1.amazonaws.com']);
    const both = 'https://cdn.skillyug.example https://skillyug-media.s3.ap-south-1.amazonaws.com';
    expect(runtimeDirectives(env)).toEqual([
      `img-src 'self' data: http://localhost:1337 ${both}`,
      `media-src 'self' blob: http://localhost:1337 ${both}`,
      `connect-src 'self' http://localhost:1337 ws://localhost:1337 ${both}`,
    ]);
  });
});

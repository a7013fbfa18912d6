import { runtimeDirectives, withRuntimeSources } from '../csp';

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

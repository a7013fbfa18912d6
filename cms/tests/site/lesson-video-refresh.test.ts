/**
 * A lesson video's link lapses while the lesson is open: the next request the browser makes for it
 * (here a seek past what it buffered) is refused by the CMS, and the player fetches a fresh link and
 * carries on from the moment the viewer asked for.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { loadEnv } from '@skillyug/config';
import { startStack, type Stack } from './harness';
import { fileSigningSecret, signUploadUrl } from '../../src/middlewares/protected-uploads';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const PREVIEW = { course: 'react-for-beginners', lesson: 'react-for-beginners-what-react-solves' };
const CLIP_SECONDS = 120;
const SEEK_TO = 100;

describe('a lesson video whose link lapses mid-lesson', () => {
  it('gets a fresh link and carries on from the same moment', async () => {
    const [lesson] = (await stack.app.strapi.documents('api::lesson.lesson' as any).findMany({
      status: 'published',
      filters: { slug: PREVIEW.lesson },
      populate: { video: { fields: ['url'] } },
    } as any)) as any[];
    const videoPath: string = lesson.video.url;
    // Long and dense enough that Chromium doesn't buffer it all at once (the demo clips are a few hundred KB):
    // this app's own copy of the file (each test app seeds its own uploads).
    execFileSync('ffmpeg', [
      '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', `testsrc=size=640x360:rate=25:duration=${CLIP_SECONDS}`,
      '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '1500k', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-f', 'mp4',
      path.join(stack.app.strapi.dirs.static.public, videoPath),
    ]);

    const page = await stack.newPage();
    const expiredLink = `${stack.apiUrl}${signUploadUrl(videoPath, fileSigningSecret(loadEnv('cms')), Math.floor(Date.now() / 1000) - 1)}`;
    const lessonUrl = `${stack.siteUrl}/learn/${PREVIEW.course}/${PREVIEW.lesson}`;
    // From `lapsed` on, the browser's requests for the video carry the expired link (the CMS refuses
    // them as it would the page's own link after SIGNED_URL_TTL_SECONDS), until the page is read again.
    let lapsed = false;
    const refused: number[] = [];
    let refetched = 0;
    await page.route(`${stack.apiUrl}/uploads/**`, async (route) => {
      if (!lapsed) return route.continue();
      const response = await route.fetch({ url: expiredLink });
      refused.push(response.status());
      return route.fulfill({ response });
    });
    page.on('request', (request) => {
      if (request.resourceType() === 'fetch' && request.url() === lessonUrl) {
        refetched += 1;
        lapsed = false;
      }
    });

    await page.goto(`/learn/${PREVIEW.course}/${PREVIEW.lesson}`);
    const video = page.getByTestId('lesson-video');
    await video.evaluate((element: HTMLVideoElement) => {
      element.muted = true;
      return element.play();
    });
    await page.waitForFunction(() => (document.querySelector('[data-testid="lesson-video"]') as HTMLVideoElement).currentTime > 1, undefined, { timeout: 20_000 });
    const before = await video.evaluate((element: HTMLVideoElement) => ({ duration: element.duration, bufferedTo: element.buffered.end(element.buffered.length - 1) }));
    expect(Math.round(before.duration)).toBe(CLIP_SECONDS);
    expect(before.bufferedTo).toBeLessThan(SEEK_TO);

    lapsed = true;
    await video.evaluate((element: HTMLVideoElement, at: number) => {
      element.currentTime = at;
    }, SEEK_TO);
    await page.waitForFunction(
      (at) => {
        const element = document.querySelector('[data-testid="lesson-video"]') as HTMLVideoElement;
        return element.currentTime > at + 1 && !element.paused && element.error === null;
      },
      SEEK_TO,
      { timeout: 30_000 }
    );

    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((status) => status === 403)).toBe(true);
    expect(refetched).toBe(1);
    const source = await page.locator('[data-testid="lesson-video"] source').getAttribute('src');
    const fresh = new URL(source!);
    expect(fresh.pathname).toBe(videoPath);
    expect(Number(fresh.searchParams.get('exp'))).toBeGreaterThan(Date.now() / 1000);
    expect(await page.getByText(/stopped loading/).count()).toBe(0);
  });
});

/**
 * The demo catalog's lesson videos: every video lesson has a real clip (database/seed/media),
 * its stated length is the clip's, and a visitor's free preview of a paid course plays in the browser.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startStack, type Stack } from './harness';
import { mp4Duration } from '../../../database/seed/mp4-duration.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const PREVIEW = { course: 'react-for-beginners', lesson: 'react-for-beginners-what-react-solves' };

describe('lesson videos', () => {
  it('gives every published video lesson a clip whose real length is the lesson’s duration', async () => {
    const lessons = (await stack.app.strapi.documents('api::lesson.lesson' as any).findMany({
      status: 'published',
      filters: { type: 'video' },
      fields: ['slug', 'duration'],
      populate: { video: { fields: ['url', 'mime', 'size'] } },
      limit: 500,
    } as any)) as any[];
    expect(lessons.length).toBeGreaterThan(20);
    const clips = new Set<string>();
    for (const lesson of lessons) {
      expect({ slug: lesson.slug, mime: lesson.video?.mime }).toEqual({ slug: lesson.slug, mime: 'video/mp4' });
      // The stored upload itself (public/uploads), measured again here.
      const file = fs.readFileSync(path.join(stack.app.strapi.dirs.static.public, lesson.video.url));
      expect({ slug: lesson.slug, duration: lesson.duration }).toEqual({ slug: lesson.slug, duration: Math.round(mp4Duration(file)) });
      clips.add(lesson.video.url);
    }
    // A handful of distinct clips, reused: neighbours differ.
    expect(clips.size).toBeGreaterThanOrEqual(4);
  });

  it('plays a paid course’s free preview for a visitor, and says how long it really is', async () => {
    const page = await stack.newPage();
    await page.goto(`/learn/${PREVIEW.course}/${PREVIEW.lesson}`);
    expect(await page.getByTestId('preview-banner').count()).toBe(1);

    const video = page.getByTestId('lesson-video');
    await video.evaluate((element: HTMLVideoElement) => {
      element.muted = true;
      return element.play();
    });
    // Playing for real: the clock moves past a second of decoded picture.
    await page.waitForFunction(
      () => {
        const element = document.querySelector('[data-testid="lesson-video"]') as HTMLVideoElement | null;
        return element !== null && element.currentTime > 1 && element.videoWidth > 0;
      },
      undefined,
      { timeout: 20_000 }
    );
    const played = await video.evaluate((element: HTMLVideoElement) => ({ duration: element.duration, width: element.videoWidth, error: element.error?.code ?? null }));
    expect(played.error).toBeNull();
    expect(played.width).toBe(640);

    // The label under the title matches the clip ("Video · 1 min" for a 42–96 s clip, never the old "9 min").
    const minutes = Math.max(1, Math.round(played.duration / 60));
    expect(await page.locator('h1#lesson-title + p').textContent()).toMatch(new RegExp(`^Video · ${minutes} min`));
  });
});

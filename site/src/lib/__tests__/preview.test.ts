import { framableByAdmin } from '../csp';
import { isPreviewPath, previewDestination, type DraftPreview } from '../preview';
import { catalogGeneration, lookupPage, storePage } from '../catalog';

const lesson = (documentId: string, slug: string, order: number) => ({
  documentId,
  slug,
  order,
  title: slug,
  type: 'video' as const,
  duration: 60,
  isPreview: false,
  body: [],
  video: null,
  recording: null,
});

const preview = (uid: DraftPreview['meta']['preview']['uid'], documentId: string) =>
  ({
    data: {
      slug: 'closures',
      modules: [
        { documentId: 'mod1aaaaaaaaaa', title: 'One', order: 0, lessons: [lesson('les1aaaaaaaaaa', 'intro', 0), lesson('les2aaaaaaaaaa', 'scope', 1)] },
      ],
    },
    meta: { preview: { uid, documentId, expiresAt: '2030-01-01T00:00:00.000Z' } },
  }) as unknown as DraftPreview;

describe('the draft preview', () => {
  it('sends the editor to the previewed lesson, or to the course for a course or a module', () => {
    expect(previewDestination(preview('api::lesson.lesson', 'les2aaaaaaaaaa'))).toBe('/preview/courses/closures/scope');
    expect(previewDestination(preview('api::module.module', 'mod1aaaaaaaaaa'))).toBe('/preview/courses/closures');
    expect(previewDestination(preview('api::course.course', 'crs1aaaaaaaaaa'))).toBe('/preview/courses/closures');
    // A lesson moved out of the course since the link was made: the course.
    expect(previewDestination(preview('api::lesson.lesson', 'gone1aaaaaaaaa'))).toBe('/preview/courses/closures');
  });

  it('knows its own paths (and no look-alike)', () => {
    expect(isPreviewPath('/preview')).toBe(true);
    expect(isPreviewPath('/preview/courses/closures/scope')).toBe(true);
    expect(isPreviewPath('/previews')).toBe(false);
    expect(isPreviewPath('/courses/preview')).toBe(false);
  });

  it('is never answered from the page cache, even if a page were stored under its address', () => {
    const page = { status: 200, headers: [] as [string, string][], body: new Uint8Array(new ArrayBuffer(2)) };
    storePage('/courses/closures', page, catalogGeneration.current);
    storePage('/preview/courses/closures', page, catalogGeneration.current);
    expect(lookupPage('GET', '/courses/closures', null)).toBe(page);
    expect(lookupPage('GET', '/preview/courses/closures', null)).toBeUndefined();
  });

  it('may be framed by the admin (Strapi’s public origin) only; the rest of the policy stays', () => {
    const policy = "default-src 'self'; frame-ancestors 'none'; frame-src https://api.razorpay.com";
    expect(framableByAdmin(policy, { PUBLIC_URL: 'https://cms.skillyug.example/some/path' })).toBe(
      "default-src 'self'; frame-ancestors 'self' https://cms.skillyug.example; frame-src https://api.razorpay.com"
    );
  });
});

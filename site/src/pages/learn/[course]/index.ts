import type { APIRoute } from 'astro';
import { ApiError, listEnrollments, listProgress, type Progress } from '../../../lib/api';
import { findCourse } from '../../../lib/catalog';
import { continueLesson, flattenSyllabus } from '../../../lib/learn';

/** GET /learn/:course — picks the course up where the student left it (or at the first lesson). */
export const GET: APIRoute = async ({ params, locals, redirect }) => {
  const slug = params.course ?? '';
  const course = await findCourse(slug).catch(() => null);
  if (!course) return redirect(`/courses/${encodeURIComponent(slug)}`, 302);
  const lessons = flattenSyllabus(course.modules);
  let progress: Progress[] = [];
  if (locals.token) {
    try {
      const enrolled = (await listEnrollments(locals.token)).some((e) => e.state === 'active' && e.course?.documentId === course.documentId);
      if (enrolled) progress = await listProgress(locals.token, course.documentId);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
  }
  const target = continueLesson(lessons, progress);
  if (!target) return redirect(`/courses/${encodeURIComponent(slug)}`, 302);
  return redirect(`/learn/${encodeURIComponent(slug)}/${encodeURIComponent(target.slug)}`, 302);
};

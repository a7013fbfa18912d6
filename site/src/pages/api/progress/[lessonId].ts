import type { APIRoute } from 'astro';
import { z } from 'zod';
import { ApiError, saveProgress } from '../../../lib/api';

const body = z
  .strictObject({
    positionSeconds: z.number().int().min(0).max(24 * 60 * 60).optional(),
    completed: z.boolean().optional(),
  })
  .refine((value) => value.positionSeconds !== undefined || value.completed !== undefined, 'send positionSeconds or completed');
const documentId = z.string().regex(/^[a-z0-9]{10,40}$/);

const json = (status: number, data: unknown) =>
  new Response(JSON.stringify(data), { status, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } });

/** PUT /api/progress/:lessonId {positionSeconds?, completed?} — the video player saving the student's place. */
export const PUT: APIRoute = async ({ params, request, locals }) => {
  if (!locals.token) return json(401, { error: 'Sign in to save your progress.' });
  const lesson = documentId.safeParse(params.lessonId);
  const input = body.safeParse(await request.json().catch(() => undefined));
  if (!lesson.success || !input.success) return json(400, { error: 'Invalid progress update.' });
  try {
    const saved = await saveProgress(locals.token, lesson.data, input.data);
    return json(200, { positionSeconds: saved.positionSeconds, completed: Boolean(saved.completedAt) });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return json(error.unavailable ? 503 : error.status, { error: error.message });
  }
};

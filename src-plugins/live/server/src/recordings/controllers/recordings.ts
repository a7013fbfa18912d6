import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import { actorOf } from '../../sessions/services/access';
import { conflict, validate } from '../../utils/http';
import { pastClassesQuery, recordingIdParam } from '../contracts';
import { recordingsService } from '../services/registry';
import { serveSignedFile } from '../storage';
import { guarded } from '../../sessions/controllers/guard';

const emptyQuery = z.object({}).strict();
const hlsQuery = z.object({ token: z.string().min(1).max(2048) }).strict();
const fileKey = z.string().min(1).max(1024);

/**
 * The content API of recordings (/api/live/…): students, mentors (admin token) and, for preview
 * lessons, visitors. Thin: validate, one service call, shaped output.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const viewing = () => recordingsService(strapi, 'recordingViewing');

  return {
    pastClasses: guarded(strapi, 'past classes', async (ctx) => {
      const query = validate(pastClassesQuery, ctx.query);
      ctx.body = { data: await recordingsService(strapi, 'recordings').pastClasses(query), meta: {} };
    }),

    findOne: guarded(strapi, 'read recording', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const { row, viewer } = await viewing().requireViewable(actorOf(ctx), validate(recordingIdParam, ctx.params.id));
      // Signed URLs for this viewer: never cached by anyone else.
      (ctx as any).set('Cache-Control', 'private, no-store');
      ctx.body = { data: await viewing().toDto(row, viewer), meta: {} };
    }),

    timeline: guarded(strapi, 'recording timeline', async (ctx) => {
      validate(emptyQuery, ctx.query);
      const { row } = await viewing().requireViewable(actorOf(ctx), validate(recordingIdParam, ctx.params.id));
      if (row.status !== 'ready') throw conflict('This recording is not ready yet: its timeline comes with it');
      (ctx as any).set('Cache-Control', 'private, no-store');
      ctx.body = { data: await viewing().timeline(row), meta: {} };
    }),

    hls: guarded(strapi, 'recording playlist', async (ctx) => {
      const { token } = validate(hlsQuery, ctx.query);
      const id = validate(recordingIdParam, ctx.params.id);
      const playlist = await viewing().hlsPlaylist(id, String(ctx.params.path ?? ''), token);
      (ctx as any).set('Cache-Control', 'private, no-store');
      (ctx as any).type = 'application/vnd.apple.mpegurl';
      ctx.body = playlist;
    }),

    /** GET|HEAD /api/live/files/<key>?exp&sig — the disk backend's signed links (recordings' video, poster, thumbnails). */
    file: guarded(strapi, 'signed file', async (ctx) => {
      const c = ctx as any;
      const key = validate(fileKey, ctx.params.key ?? ctx.params[0]);
      const storage = recordingsService(strapi, 'recordingStorage').get();
      const answer = await serveSignedFile(storage, { method: c.method, key, query: ctx.query as Record<string, unknown>, range: c.get('range') || undefined });
      c.status = answer.status;
      c.set(answer.headers);
      if (answer.body !== undefined) c.body = answer.body;
    }),
  };
};

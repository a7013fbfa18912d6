import type { Core } from '@strapi/strapi';
import { notFound, sendError, type Ctx } from '../../utils/http';
import { liveService } from '../services/registry';

/**
 * GET /api/live/play/<channel>.flv?token=… — the local provider's HTTP-FLV, served through
 * Strapi's own port. The provider checks the viewer's token and hands the raw request to the
 * in-process media server, which streams the response itself (Koa steps aside).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  flv(ctx: Ctx & { respond?: boolean; req: any; res: any }) {
    const provider = liveService(strapi, 'liveProvider').get() as any;
    if (typeof provider.handlePlayRequest !== 'function') {
      const error = notFound('Playback through this server is only for the local live provider');
      return sendError(ctx, error.status, error.errorName, error.message);
    }
    ctx.respond = false;
    // Koa primes the raw response with its "no route yet" 404; the media server writes the body without setting a status.
    ctx.res.statusCode = 200;
    provider.handlePlayRequest(ctx.req, ctx.res);
  },
});

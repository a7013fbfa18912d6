import type { Context, Next } from 'koa';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { PROTECTED_LESSON_FIELDS } from '../access/protected-fields';
import { sendError } from '../utils/http-error';
import { validateContentQuery, isQueryValueError, type GetModel } from '../utils/content-query';

const protectedNames = new Set<string>(PROTECTED_LESSON_FIELDS);
const DRAFT_PARAMS = ['publicationFilter', 'hasPublishedVersion'];

/** Does a filters subtree mention a protected field at any depth (incl. $and/$or arrays)? */
function filtersMentionProtected(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(filtersMentionProtected);
  if (!node || typeof node !== 'object') return false;
  return Object.entries(node).some(([key, value]) => protectedNames.has(key) || filtersMentionProtected(value));
}

/** Does a sort value (string, list, or object form) order by a protected field? */
function sortMentionsProtected(node: unknown): boolean {
  if (typeof node === 'string') {
    return node.split(',').some((part) => part.split(':')[0].split('.').some((name) => protectedNames.has(name.trim())));
  }
  if (Array.isArray(node)) return node.some(sortMentionsProtected);
  if (node && typeof node === 'object') {
    return Object.entries(node).some(([key, value]) => protectedNames.has(key) || sortMentionsProtected(value));
  }
  return false;
}

/** Walks the whole query (populate can nest filters and sort) for filters/sort subtrees. */
function queryProbesProtected(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(queryProbesProtected);
  if (!node || typeof node !== 'object') return false;
  return Object.entries(node).some(([key, value]) => {
    if (key === 'filters') return filtersMentionProtected(value);
    if (key === 'sort') return sortMentionsProtected(value);
    return queryProbesProtected(value);
  });
}

/** The app's content types by the first segment of their REST path (`/api/courses/…` → course). */
function contentTypesByPath(strapi: Core.Strapi) {
  const byPath = new Map<string, any>();
  for (const [uid, contentType] of Object.entries(strapi.contentTypes as Record<string, any>)) {
    if (!uid.startsWith('api::')) continue;
    const { pluralName, singularName } = contentType.info;
    byPath.set(contentType.kind === 'singleType' ? singularName : pluralName, contentType);
  }
  return byPath;
}

/**
 * Guards the public content API (`/api/...`) before Strapi's controllers see a request:
 * drafts are for the admin panel only, protected lesson fields can't be used as an oracle
 * through filters or sort (their values are stripped from responses separately), and a read's
 * query must fit the content type's schema (types of filter values, list operators, pagination):
 * a malformed query is the client's mistake, answered 400, never a database error and a 500.
 */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  let byPath: Map<string, any> | undefined;
  const getModel: GetModel = (uid) => strapi.getModel(uid as any) as any;

  return async (ctx: Context, next: Next) => {
    // The live plugin's routes are not draft & publish content; `status` there is a class's state.
    if (!ctx.path.startsWith('/api/') || ctx.path.startsWith('/api/live/')) return next();
    const query = ctx.query as Record<string, unknown>;

    if ((query.status !== undefined && query.status !== 'published') || DRAFT_PARAMS.some((p) => p in query)) {
      return sendError(ctx, 400, 'ValidationError', 'Drafts are not available through the API: only published content is served');
    }
    if (queryProbesProtected(query)) {
      return sendError(
        ctx,
        400,
        'ValidationError',
        `Filtering or sorting on protected lesson fields (${PROTECTED_LESSON_FIELDS.join(', ')}) is not allowed`
      );
    }
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();

    byPath ??= contentTypesByPath(strapi);
    const contentType = byPath.get(ctx.path.split('/')[2]);
    if (contentType) validateContentQuery(query, contentType, getModel);
    try {
      await next();
    } catch (error) {
      // A value the checks above don't know about still reached the database: the query's fault, not ours.
      if (ctx.querystring && isQueryValueError(error)) {
        strapi.log.warn(`[content-api] query value refused by the database on ${ctx.path}: ${(error as Error).message}`);
        throw new errors.ValidationError('A value in the query does not fit its field (check the filters\' types)');
      }
      throw error;
    }
  };
};

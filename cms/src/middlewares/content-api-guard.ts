import type { Context, Next } from 'koa';
import { PROTECTED_LESSON_FIELDS } from '../access/protected-fields';
import { sendError } from '../utils/http-error';

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

/**
 * Guards the public content API (`/api/...`) before Strapi's controllers see a request:
 * drafts are for the admin panel only, and protected lesson fields can't be used as an
 * oracle through filters or sort (their values are stripped from responses separately).
 */
export default () => async (ctx: Context, next: Next) => {
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
  return next();
};

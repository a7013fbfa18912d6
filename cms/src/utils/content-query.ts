import { errors } from '@strapi/utils';

/**
 * Checks the shape and the value types of a content-API query (`filters`, `pagination`,
 * `populate[…][filters]`, `locale`) against a content type's schema, before anything reaches the
 * database. Strapi's own validateQuery refuses unknown field names but lets wrong value types
 * through to the query builder, where PostgreSQL fails (`integer = 'abc'` → 500) and SQLite
 * silently compares apples with strings; a list operator given one value, a `$between` with one
 * bound, or a page size of -1 end the same way. Unknown names and private fields stay Strapi's
 * job (its validator runs after this one).
 */

type Attribute = { type: string; target?: string; component?: string; enum?: string[]; private?: boolean };
type Schema = { uid: string; attributes: Record<string, Attribute> };
export type GetModel = (uid: string) => Schema | undefined;

/** Relations one filter may walk through (the site needs two: lesson → module → course). */
export const MAX_FILTER_RELATIONS = 3;
const MAX_LIST_ITEMS = 100;
const MAX_TEXT_VALUE = 1000;

const COMPARISONS = new Set(['$eq', '$eqi', '$ne', '$nei', '$lt', '$lte', '$gt', '$gte']);
const TEXT_MATCHES = new Set([
  '$contains', '$notContains', '$containsi', '$notContainsi', '$startsWith', '$startsWithi', '$endsWith', '$endsWithi',
]);
const LISTS = new Set(['$in', '$notIn']);
const NULL_CHECKS = new Set(['$null', '$notNull']);
const NUMBER_TYPES = new Set(['id', 'integer', 'biginteger', 'float', 'decimal']);
const TEXT_TYPES = new Set(['string', 'text', 'email', 'uid', 'enumeration', 'richtext']);
/** Rich content is stored as JSON: comparing it with a string fails on PostgreSQL and means nothing anyway. */
const UNFILTERABLE_TYPES = new Set(['json', 'blocks', 'password', 'dynamiczone']);

const INT32 = 2 ** 31 - 1;
const INT64 = 2n ** 63n - 1n;

class QueryProblem extends Error {
  constructor(readonly param: string, message: string) {
    super(message);
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  Boolean(value) && typeof value === 'object' && !Array.isArray(value);
const isScalar = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);
const shown = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
};
const BOOLEAN_WORDS = new Set(['true', 'false', '1', '0']);

/** Is `value` (as qs parsed it: usually a string) a valid value for an attribute of this type? Returns the problem. */
function valueProblem(value: unknown, type: string): string | undefined {
  if (value === null) return undefined;
  if (!isScalar(value)) return 'must be a single value';
  const text = String(value);
  switch (type) {
    case 'integer':
    case 'id':
      return /^-?\d{1,10}$/.test(text) && Math.abs(Number(text)) <= INT32 ? undefined : `${shown(value)} is not an integer (up to ${INT32})`;
    case 'biginteger':
      return /^-?\d{1,19}$/.test(text) && BigInt(text) <= INT64 && BigInt(text) >= -INT64 ? undefined : `${shown(value)} is not an integer`;
    case 'float':
    case 'decimal':
      return /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d{1,3})?$/.test(text) && Number.isFinite(Number(text)) ? undefined : `${shown(value)} is not a number`;
    case 'boolean':
      return typeof value === 'boolean' || BOOLEAN_WORDS.has(text) ? undefined : `${shown(value)} is not true or false`;
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(text) && Number.isFinite(Date.parse(text)) ? undefined : `${shown(value)} is not a date (YYYY-MM-DD)`;
    case 'time':
      return /^\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(text) ? undefined : `${shown(value)} is not a time (HH:mm:ss)`;
    case 'datetime':
    case 'timestamp': {
      const valid = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) && Number.isFinite(Date.parse(text));
      return valid ? undefined : `${shown(value)} is not a date-time (ISO 8601, e.g. 2026-01-31T10:00:00Z)`;
    }
    default:
      if (text.includes('\u0000')) return 'must not contain a NUL character';
      if (text.length > MAX_TEXT_VALUE) return `must be at most ${MAX_TEXT_VALUE} characters`;
      return undefined;
  }
}

const NULL_CHECK_PROBLEM = 'must be true or false';

/** One field's condition: a value (implicit $eq), a list (implicit $in), or an object of operators. */
function checkCondition(condition: unknown, type: string, path: string, attribute?: Attribute) {
  if (isScalar(condition)) {
    const problem = valueProblem(condition, type);
    if (problem) throw new QueryProblem('filters', `${path}: ${problem}`);
    return;
  }
  if (Array.isArray(condition)) {
    condition.forEach((item, index) => checkCondition(item, type, `${path}[${index}]`, attribute));
    return;
  }
  if (!isPlainObject(condition)) throw new QueryProblem('filters', `${path}: must be a value or an operator such as [$eq]`);

  for (const [operator, operand] of Object.entries(condition)) {
    const at = `${path}[${operator}]`;
    if (operator === '$not') {
      checkCondition(operand, type, at, attribute);
    } else if (operator === '$and' || operator === '$or') {
      if (!Array.isArray(operand)) throw new QueryProblem('filters', `${at}: must be a list, e.g. ${at}[0][$eq]=…`);
      operand.forEach((item, index) => checkCondition(item, type, `${at}[${index}]`, attribute));
    } else if (NULL_CHECKS.has(operator)) {
      if (!(typeof operand === 'boolean' || BOOLEAN_WORDS.has(String(operand))) || !isScalar(operand) || operand === null) {
        throw new QueryProblem('filters', `${at}: ${NULL_CHECK_PROBLEM}`);
      }
    } else if (LISTS.has(operator)) {
      if (!Array.isArray(operand)) throw new QueryProblem('filters', `${at}: must be a list, e.g. ${at}[0]=…&${at}[1]=…`);
      if (operand.length === 0 || operand.length > MAX_LIST_ITEMS) throw new QueryProblem('filters', `${at}: must list 1 to ${MAX_LIST_ITEMS} values`);
      operand.forEach((item, index) => {
        const problem = item === null ? 'must not be null' : valueProblem(item, type);
        if (problem) throw new QueryProblem('filters', `${at}[${index}]: ${problem}`);
      });
    } else if (operator === '$between') {
      if (!Array.isArray(operand) || operand.length !== 2) {
        throw new QueryProblem('filters', `${at}: must be two bounds, e.g. ${at}[0]=…&${at}[1]=…`);
      }
      operand.forEach((item, index) => {
        const problem = item === null ? 'must not be null' : valueProblem(item, type);
        if (problem) throw new QueryProblem('filters', `${at}[${index}]: ${problem}`);
      });
    } else if (COMPARISONS.has(operator)) {
      const problem = valueProblem(operand, type);
      if (problem) throw new QueryProblem('filters', `${at}: ${problem}`);
    } else if (TEXT_MATCHES.has(operator)) {
      if (!TEXT_TYPES.has(type)) {
        const kind = NUMBER_TYPES.has(type) ? 'a number' : `of type ${type}`;
        throw new QueryProblem('filters', `${at}: ${operator} matches text, and this field is ${kind}`);
      }
      const problem = valueProblem(operand, 'string');
      if (problem) throw new QueryProblem('filters', `${at}: ${problem}`);
    } else {
      throw new QueryProblem('filters', `${at}: unknown operator (use $eq, $ne, $lt, $lte, $gt, $gte, $in, $notIn, $between, $contains…, $null, $notNull)`);
    }
  }
}

/** A filters object on one content type (the root, a relation's target, an $and/$or item). */
function checkFilters(node: unknown, schema: Schema, getModel: GetModel, path: string, relations: number) {
  if (!isPlainObject(node)) throw new QueryProblem('filters', `${path}: must name fields, e.g. ${path}[title][$eq]=…`);
  for (const [key, value] of Object.entries(node)) {
    const at = `${path}[${key}]`;
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value)) throw new QueryProblem('filters', `${at}: must be a list of conditions, e.g. ${at}[0][title][$eq]=…`);
      value.forEach((item, index) => checkFilters(item, schema, getModel, `${at}[${index}]`, relations));
      continue;
    }
    if (key === '$not') {
      checkFilters(value, schema, getModel, at, relations);
      continue;
    }
    if (key.startsWith('$')) throw new QueryProblem('filters', `${at}: an operator goes under a field, e.g. ${path}[title][${key}]=…`);
    if (key === 'id') {
      checkCondition(value, 'id', at);
      continue;
    }
    const attribute = schema.attributes[key];
    if (!attribute) continue; // unknown (or internal) names: Strapi's validator names them
    if (UNFILTERABLE_TYPES.has(attribute.type)) throw new QueryProblem('filters', `${at}: ${key} can't be filtered on`);

    const target = attribute.type === 'relation' ? attribute.target : attribute.type === 'media' ? 'plugin::upload.file' : attribute.type === 'component' ? attribute.component : undefined;
    if (attribute.type === 'relation' || attribute.type === 'media' || attribute.type === 'component') {
      if (!isPlainObject(value)) throw new QueryProblem('filters', `${at}: ${key} is a relation; filter on one of its fields, e.g. ${at}[id][$eq]=1`);
      if (relations + 1 > MAX_FILTER_RELATIONS) {
        throw new QueryProblem('filters', `${at}: filters nested too deep (at most ${MAX_FILTER_RELATIONS} relations in one filter)`);
      }
      const { $null, $notNull, ...fields } = value;
      for (const [operator, operand] of Object.entries({ $null, $notNull })) {
        if (operand !== undefined && !(typeof operand === 'boolean' || BOOLEAN_WORDS.has(String(operand)))) {
          throw new QueryProblem('filters', `${at}[${operator}]: ${NULL_CHECK_PROBLEM}`);
        }
      }
      const targetSchema = target ? getModel(target) : undefined;
      if (targetSchema) checkFilters(fields, targetSchema, getModel, at, relations + 1);
      continue;
    }
    checkCondition(value, attribute.type, at, attribute);
  }
}

const positiveInteger = (value: unknown, { min }: { min: number }) =>
  (typeof value === 'number' || typeof value === 'string') && /^\d{1,9}$/.test(String(value)) && Number(value) >= min;

function checkPagination(pagination: unknown) {
  if (!isPlainObject(pagination)) throw new QueryProblem('pagination', 'pagination: must be an object, e.g. pagination[page]=1&pagination[pageSize]=25');
  const { page, pageSize, start, limit, withCount, ...unknown } = pagination;
  const extra = Object.keys(unknown);
  if (extra.length) throw new QueryProblem('pagination', `pagination[${extra[0]}]: unknown; use page and pageSize, or start and limit`);
  if ((page !== undefined || pageSize !== undefined) && (start !== undefined || limit !== undefined)) {
    throw new QueryProblem('pagination', 'pagination: use page and pageSize, or start and limit, not both');
  }
  if (page !== undefined && !positiveInteger(page, { min: 1 })) throw new QueryProblem('pagination', 'pagination[page]: must be a whole number from 1');
  if (pageSize !== undefined && !positiveInteger(pageSize, { min: 1 })) throw new QueryProblem('pagination', 'pagination[pageSize]: must be a whole number from 1');
  if (start !== undefined && !positiveInteger(start, { min: 0 })) throw new QueryProblem('pagination', 'pagination[start]: must be a whole number from 0');
  if (limit !== undefined && !positiveInteger(limit, { min: 1 })) throw new QueryProblem('pagination', 'pagination[limit]: must be a whole number from 1');
  if (withCount !== undefined && !(typeof withCount === 'boolean' || BOOLEAN_WORDS.has(String(withCount)))) {
    throw new QueryProblem('pagination', 'pagination[withCount]: must be true or false');
  }
}

/** populate[relation][filters] reaches the database like top-level filters. */
function checkPopulate(populate: unknown, schema: Schema, getModel: GetModel, path: string) {
  if (!isPlainObject(populate)) return; // strings, lists and "*" name relations: Strapi's validator checks them
  for (const [key, value] of Object.entries(populate)) {
    if (!isPlainObject(value)) continue;
    const attribute = schema.attributes[key];
    const target = attribute?.type === 'relation' ? attribute.target : attribute?.type === 'media' ? 'plugin::upload.file' : attribute?.type === 'component' ? attribute.component : undefined;
    const targetSchema = target ? getModel(target) : undefined;
    if (!targetSchema) continue;
    if (value.filters !== undefined) checkFilters(value.filters, targetSchema, getModel, `${path}[${key}][filters]`, 0);
    if (value.populate !== undefined) checkPopulate(value.populate, targetSchema, getModel, `${path}[${key}][populate]`);
  }
}

/** Throws Strapi's ValidationError (a 400 naming the parameter) when the query can't be run as asked. */
export function validateContentQuery(query: Record<string, unknown>, schema: Schema, getModel: GetModel) {
  try {
    if (query.filters !== undefined) checkFilters(query.filters, schema, getModel, 'filters', 0);
    if (query.pagination !== undefined) checkPagination(query.pagination);
    if (query.populate !== undefined) checkPopulate(query.populate, schema, getModel, 'populate');
    if (query.locale !== undefined && !(typeof query.locale === 'string' && /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(query.locale))) {
      throw new QueryProblem('locale', 'locale: must be a locale code such as en');
    }
  } catch (error) {
    if (!(error instanceof QueryProblem)) throw error;
    throw new errors.ValidationError(error.message, { source: 'query', param: error.param });
  }
}

/**
 * Database errors that a query's values cause (PostgreSQL SQLSTATE class 22, "data exception":
 * invalid text for a type, a number out of range, a bad date; 42883: an operator the column's type
 * lacks). The checks above should leave none of these; if one slips through on a read, it is the
 * client's query, not a server fault.
 */
export const isQueryValueError = (error: any) => /^(22\w{3}|42883)$/.test(String(error?.code ?? error?.cause?.code ?? ''));

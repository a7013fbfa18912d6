/**
 * A student's read query (already validated and sanitized for their role) narrowed to their own
 * rows: their filters AND `mine`, whatever they asked for; `defaultPopulate` when they named
 * neither populate nor fields (what the site's pages read).
 */
export function ownedQuery(query: Record<string, any>, mine: Record<string, unknown>, defaultPopulate: Record<string, unknown>) {
  return {
    ...query,
    filters: query.filters ? { $and: [query.filters, mine] } : mine,
    populate: query.populate ?? (query.fields ? undefined : defaultPopulate),
  };
}

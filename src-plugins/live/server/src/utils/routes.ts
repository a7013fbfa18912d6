/**
 * A route's JSON body contract, declared as Strapi's OpenAPI generator reads it (`request.body`):
 * the same zod schema the controller validates with, so the document (cms/src/api/openapi)
 * can't drift from the code.
 */
export const jsonBody = (schema: unknown) => ({ body: { 'application/json': schema } });

// Response headers the OpenAPI document declares in more than one place (lib/api/openapi.ts and
// lib/api/openapi-management.ts).

export const header = (description: string, max: number, pattern: string) => ({ description, schema: { type: 'string', maxLength: max, pattern } });
const listOf = (item: string) => `^${item}(, ${item})*$`;
/**
 * What is left of the traffic limits (IETF httpapi ratelimit headers): on every answer once the
 * caller is known, i.e. every 2XX and 4XX but a refused token or proof.
 */
export const rateLimited = {
  'RateLimit-Policy': header('the limits that apply, e.g. `"provider";q=50;w=1, "link";q=10;w=1`', 200, listOf('"[a-z]+";q=[0-9]+;w=[0-9]+')),
  RateLimit: header('what is left of each limit and the seconds to its next window, e.g. `"provider";r=41;t=1, "link";r=0;t=1`', 200, listOf('"[a-z]+";r=[0-9]+;t=[0-9]+')),
};

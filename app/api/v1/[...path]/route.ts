import { notFound } from '@/lib/api/problem';

export const dynamic = 'force-dynamic';

/** Any other path under the provider API: 404 problem+json, as the API's own not-found answers. */
const unknownPath = async (): Promise<Response> => notFound();

export { unknownPath as GET, unknownPath as POST, unknownPath as PUT, unknownPath as PATCH, unknownPath as DELETE };

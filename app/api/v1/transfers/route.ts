import { authorizeApiCall } from '@/lib/api/authorize';
import { claimIdempotencyKey, releaseIdempotencyKey, requestHash } from '@/lib/api/idempotency';
import { problem } from '@/lib/api/problem';
import { executeTransfer, transferRequestSchema } from '@/lib/api/transfers';

export const dynamic = 'force-dynamic';
const MAX_BODY_BYTES = 16 * 1024;

/** Art. 3.2(1) 振込: POST with an Idempotency-Key. */
export async function POST(request: Request): Promise<Response> {
  const caller = await authorizeApiCall(request, ['transfers']);
  if (caller instanceof Response) return caller;
  const key = request.headers.get('idempotency-key');
  if (!key || key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
    return problem(400, 'Bad Request', 'An Idempotency-Key header (1–255 visible ASCII characters) is required.', { code: 'idempotency-key-required' });
  }
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) return problem(413, 'Content Too Large', `The body may be at most ${MAX_BODY_BYTES} bytes.`, { code: 'body-too-large' });
  const raw = await request.text();
  if (Buffer.byteLength(raw) > MAX_BODY_BYTES) return problem(413, 'Content Too Large', `The body may be at most ${MAX_BODY_BYTES} bytes.`, { code: 'body-too-large' });
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return problem(400, 'Bad Request', 'The body is not valid JSON.', { code: 'invalid-json' });
  }
  const parsed = transferRequestSchema.safeParse(json);
  if (!parsed.success) {
    return problem(400, 'Bad Request', 'The transfer request is not valid.', {
      code: 'invalid-request',
      extra: { errors: parsed.error.issues.map((i) => ({ pointer: `/${i.path.join('/')}`, detail: i.message })) },
    });
  }
  const claim = await claimIdempotencyKey(caller.db, caller.clientId, key, requestHash('POST', '/api/v1/transfers', JSON.stringify(parsed.data)));
  if (claim.kind === 'conflict') return problem(422, 'Unprocessable Content', 'This Idempotency-Key was used with a different request.', { code: 'idempotency-key-reused' });
  if (claim.kind === 'in_flight') return problem(409, 'Conflict', 'A request with this Idempotency-Key is still being processed.', { code: 'idempotency-key-in-flight' });
  if (claim.kind === 'replay') return Response.json(claim.body, { status: claim.status, headers: { 'Idempotent-Replayed': 'true', 'Cache-Control': 'no-store' } });
  try {
    const outcome = await executeTransfer(caller, parsed.data, key);
    const contentType = outcome.status >= 400 ? 'application/problem+json' : 'application/json';
    return new Response(JSON.stringify(outcome.body), { status: outcome.status, headers: { 'Content-Type': contentType, 'Cache-Control': 'no-store' } });
  } catch (error) {
    await releaseIdempotencyKey(caller.db, caller.clientId, key);
    throw error;
  }
}

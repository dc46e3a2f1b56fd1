import type { z } from 'zod';
import { DomainError } from '@/lib/domain/link-rules';
import type { PermissionItem } from '@/lib/domain/permission-items';
import { authorizeApiCall, type ApiCaller } from './authorize';
import { MAX_PROBLEM_ERRORS } from './bounds';
import { claimIdempotencyKey, IdempotencyClaimLost, releaseIdempotencyKey, requestHash, type HeldKey, type IdempotencyClaim } from './idempotency';
import { problem } from './problem';

const MAX_BODY_BYTES = 16 * 1024;
/** Seconds a provider is asked to wait when its key is still in flight (409). */
const IN_FLIGHT_RETRY_S = 5;

/** An instruction's answer; `text` is its body as stored with the Idempotency-Key (the bytes sent). */
export type PostOutcome = { status: number; body: Record<string, unknown>; text: string };

/**
 * The shared path of every instruction (POST) of the provider API: the consent check, a required
 * Idempotency-Key, a bounded JSON body validated by `schema`, the key claimed once, then
 * `execute` (which stores its response with the key in its own transaction).
 */
export async function handleIdempotentPost<S extends z.ZodType>(
  request: Request,
  items: PermissionItem[],
  schema: S,
  execute: (caller: ApiCaller, input: z.infer<S>, held: HeldKey) => Promise<PostOutcome>,
): Promise<Response> {
  const caller = await authorizeApiCall(request, items);
  if (caller instanceof Response) return caller;
  const key = request.headers.get('idempotency-key');
  if (!key || key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
    return problem('idempotency-key-required', 'An Idempotency-Key header (1–255 visible ASCII characters) is required.');
  }
  const tooLarge = () => problem('body-too-large', `The body may be at most ${MAX_BODY_BYTES} bytes.`);
  if (Number(request.headers.get('content-length') ?? '0') > MAX_BODY_BYTES) return tooLarge();
  const raw = await request.text();
  if (Buffer.byteLength(raw) > MAX_BODY_BYTES) return tooLarge();
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return problem('invalid-json', 'The body is not valid JSON.');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    return problem('invalid-request', 'The request is not valid.', {
      extra: { errors: parsed.error.issues.slice(0, MAX_PROBLEM_ERRORS).map((i) => ({ pointer: `/${i.path.join('/')}`, detail: i.message })) },
    });
  }
  const path = new URL(request.url).pathname;
  const hash = requestHash('POST', path, JSON.stringify(parsed.data));
  const claim = await claimIdempotencyKey(caller.db, caller.clientId, key, hash);
  if (claim.kind !== 'new') return answerClaimed(claim);
  try {
    const outcome = await execute(caller, parsed.data, claim.held);
    const contentType = outcome.status >= 400 ? 'application/problem+json' : 'application/json';
    return new Response(outcome.text, { status: outcome.status, headers: { 'Content-Type': contentType, 'Cache-Control': 'no-store' } });
  } catch (error) {
    // A later request with this key took it over while this one ran (this one's claim outlived
    // IN_FLIGHT_TAKEOVER_S): its transaction rolled back, so the provider gets what the key says now.
    if (error instanceof IdempotencyClaimLost) {
      const now = await claimIdempotencyKey(caller.db, caller.clientId, key, hash);
      if (now.kind !== 'new') return answerClaimed(now);
      // The later request failed and let go of the key in the meantime: let go too, and say retry.
      await releaseIdempotencyKey(caller.db, caller.clientId, now.held);
      return answerClaimed({ kind: 'in_flight' });
    }
    await releaseIdempotencyKey(caller.db, caller.clientId, claim.held);
    // The link stopped (or was suspended) while the instruction ran: nothing was done, as if the
    // consent check had been a moment later.
    if (error instanceof DomainError && error.code === 'link_not_active') {
      return problem('link-not-active', 'The link is no longer active.');
    }
    throw error;
  }
}

/** The answer for a key another request holds or held: its stored response, 409 while in flight, 422 for another body. */
function answerClaimed(claim: Exclude<IdempotencyClaim, { kind: 'new' }>): Response {
  if (claim.kind === 'conflict') return problem('idempotency-key-reused', 'This Idempotency-Key was used with a different request.');
  if (claim.kind === 'in_flight') {
    return problem('idempotency-key-in-flight', `A request with this Idempotency-Key is still being processed; retry after ${IN_FLIGHT_RETRY_S} s.`, { headers: { 'Retry-After': String(IN_FLIGHT_RETRY_S) } });
  }
  // The stored answer as it was first given: a refusal stays problem+json.
  const contentType = claim.status >= 400 ? 'application/problem+json' : 'application/json';
  return new Response(claim.body, { status: claim.status, headers: { 'Content-Type': contentType, 'Idempotent-Replayed': 'true', 'Cache-Control': 'no-store' } });
}

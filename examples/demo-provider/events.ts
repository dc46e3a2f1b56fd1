/**
 * The demo provider's receiver for the bank's notifications: Security Event Tokens (RFC 8417)
 * pushed to POST /events (RFC 8935). Verifies the signature with the bank's published JWKS,
 * checks typ, iss and aud, answers 202 once per jti (a retry of a known jti is acknowledged again
 * and not stored twice), and keeps the last events in memory for the home page.
 */
import { errors, jwtVerify, type JWTVerifyGetKey } from 'jose';

/** RFC 8935 §2.4 error codes a recipient returns with HTTP 400. */
export type SetErrorCode = 'invalid_request' | 'invalid_key' | 'invalid_issuer' | 'invalid_audience';
export type SetReceipt = { status: 202 } | { status: 400; body: { err: SetErrorCode; description: string } };

export type ReceivedEvent = {
  jti: string;
  /** The event type URI's last segment, e.g. `link-revoked`. */
  type: string;
  typeUri: string;
  issuedAt: number;
  receivedAt: number;
  /** RFC 9493 sub_id, as text: `iss_sub <sub>` (the customer of our tokens) or `opaque <id>`. */
  subject: string;
  detail: Record<string, unknown>;
};

export type SetReceiverOptions = {
  /** The bank's issuer and keys, from its discovery document (looked up when a SET arrives). */
  verification: () => Promise<{ issuer: string; keys: JWTVerifyGetKey }>;
  audience: string;
  keep?: number;
};

const SET_MEDIA_TYPE = 'application/secevent+jwt';
const REMEMBERED_JTIS = 5_000;

export function createSetReceiver(options: SetReceiverOptions) {
  const keep = options.keep ?? 50;
  const recent: ReceivedEvent[] = [];
  const seen = new Set<string>();

  function remember(event: ReceivedEvent): void {
    seen.add(event.jti);
    if (seen.size > REMEMBERED_JTIS) seen.delete(seen.values().next().value as string);
    recent.unshift(event);
    recent.length = Math.min(recent.length, keep);
  }

  async function receive(contentType: string | undefined, body: string, now: number = Date.now()): Promise<SetReceipt> {
    if ((contentType ?? '').split(';')[0]?.trim().toLowerCase() !== SET_MEDIA_TYPE) return refuse('invalid_request', `Content-Type must be ${SET_MEDIA_TYPE}`);
    const { issuer, keys } = await options.verification();
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(body.trim(), keys, { typ: 'secevent+jwt', issuer, audience: options.audience, algorithms: ['PS256', 'ES256', 'EdDSA'] }));
    } catch (error) {
      return refusal(error);
    }
    const event = toEvent(payload, now);
    if (!event) return refuse('invalid_request', 'a SET needs a jti, an iat and exactly one event');
    if (!seen.has(event.jti)) remember(event);
    return { status: 202 };
  }

  return { receive, events: (): readonly ReceivedEvent[] => recent };
}

function toEvent(payload: Record<string, unknown>, receivedAt: number): ReceivedEvent | undefined {
  const { jti, iat, events } = payload;
  if (typeof jti !== 'string' || typeof iat !== 'number' || typeof events !== 'object' || events === null) return undefined;
  const entries = Object.entries(events as Record<string, unknown>);
  const [typeUri, detail] = entries[0] ?? [];
  if (entries.length !== 1 || !typeUri || typeof detail !== 'object' || detail === null) return undefined;
  return { jti, type: typeUri.split('/').pop() ?? typeUri, typeUri, issuedAt: iat * 1000, receivedAt, subject: describeSubject(payload.sub_id), detail: detail as Record<string, unknown> };
}

function describeSubject(subId: unknown): string {
  if (typeof subId !== 'object' || subId === null) return '—';
  const { format, sub, id } = subId as { format?: unknown; sub?: unknown; id?: unknown };
  if (format === 'iss_sub' && typeof sub === 'string') return `iss_sub ${sub}`;
  if (format === 'opaque' && typeof id === 'string') return `opaque ${id}`;
  return JSON.stringify(subId);
}

function refuse(err: SetErrorCode, description: string): SetReceipt {
  return { status: 400, body: { err, description } };
}

function refusal(error: unknown): SetReceipt {
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return refuse('invalid_issuer', 'the SET is not from the bank this app is linked with');
    if (error.claim === 'aud') return refuse('invalid_audience', 'the SET is not addressed to this client');
    return refuse('invalid_request', error.message);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) {
    return refuse('invalid_key', 'the signature does not verify with the bank’s published keys');
  }
  return refuse('invalid_request', error instanceof Error ? error.message : 'the SET could not be read');
}

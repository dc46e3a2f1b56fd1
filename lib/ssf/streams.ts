import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db, Executor } from '@/lib/db/connect';
import { providerEvents, providers, ssfStreams } from '@/lib/db/schema';
import { eventIssuer, eventTypeUri, initialEventState, PROVIDER_EVENT_TYPES, VERIFICATION_EVENT, type ProviderEventState } from '@/lib/events/outbox';
import { signSecurityEvent } from '@/lib/events/sign';

// OpenID Shared Signals Framework 1.0 (final, 2025-08-29), transmitter side. Each provider is the
// receiver of one stream: the bank's notifications about its links (RFC 8417 SETs, one event per
// SET, `sub_id`, no `exp`). The outbox (lib/events/outbox.ts) stays the one delivery engine: a
// push stream's events are sent by the same worker with its leases and retries (RFC 8935); a poll
// stream's wait in the outbox until the provider polls and acknowledges them (RFC 8936); a paused
// stream's are held and released in order. Without a stream, events go to the events endpoint of
// the registration, as before. Decision 47.

import { DELIVERY_POLL, DELIVERY_PUSH, MAX_POLL_EVENTS, MIN_VERIFICATION_INTERVAL_S, pollInputSchema, streamInputSchema, type StreamStatus } from './schemas';

export { DELIVERY_POLL, DELIVERY_PUSH, MAX_POLL_EVENTS, MIN_VERIFICATION_INTERVAL_S, POLL_RETENTION_DAYS, SSF_SCOPE, STREAM_STATUSES, type StreamStatus } from './schemas';
export { VERIFICATION_EVENT };

export type Stream = typeof ssfStreams.$inferSelect;

export function supportedEvents(): string[] {
  return PROVIDER_EVENT_TYPES.map(eventTypeUri);
}

export function ssfEndpoints(issuer: string) {
  return {
    configuration: `${issuer}/ssf/stream`,
    status: `${issuer}/ssf/status`,
    verification: `${issuer}/ssf/verify`,
    poll: `${issuer}/ssf/poll`,
  };
}

/** `/.well-known/ssf-configuration` (SSF 1.0 §7.1) for the issuer `<origin>/oauth`. */
export function transmitterConfiguration(issuer: string) {
  const endpoints = ssfEndpoints(issuer);
  return {
    spec_version: '1_0',
    issuer,
    jwks_uri: `${issuer}/jwks`,
    delivery_methods_supported: [DELIVERY_PUSH, DELIVERY_POLL],
    configuration_endpoint: endpoints.configuration,
    status_endpoint: endpoints.status,
    verification_endpoint: endpoints.verification,
    // The provider's own token: client credentials at the token endpoint (RFC 6749), scope `ssf`.
    authorization_schemes: [{ spec_urn: 'urn:ietf:rfc:6749' }],
    // Every event about the provider's links goes to its stream: no subjects to add or remove.
    default_subjects: 'ALL',
  };
}

/** A stream as the configuration endpoint returns it (SSF 1.0 §8.1.1). */
export function streamConfiguration(stream: Stream, clientId: string) {
  const issuer = eventIssuer();
  const supported = supportedEvents();
  const requested = stream.eventsRequested ?? supported;
  return {
    stream_id: stream.streamId,
    iss: issuer,
    aud: clientId,
    delivery:
      stream.deliveryMethod === 'push' ? { method: DELIVERY_PUSH, endpoint_url: stream.endpointUrl } : { method: DELIVERY_POLL, endpoint_url: ssfEndpoints(issuer).poll },
    events_supported: supported,
    events_requested: requested,
    events_delivered: supported.filter((uri) => requested.includes(uri)),
    min_verification_interval: MIN_VERIFICATION_INTERVAL_S,
    ...(stream.description ? { description: stream.description } : {}),
  };
}

export class StreamError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 429,
    readonly error: string,
    message: string,
    readonly retryAfterS?: number,
  ) {
    super(message);
  }
}

export type StreamInput = z.infer<typeof streamInputSchema>;

export function parseStreamInput(body: unknown): StreamInput {
  const parsed = streamInputSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StreamError(400, 'invalid_request', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

function columnsOf(input: StreamInput) {
  const method = input.delivery?.method === DELIVERY_PUSH ? 'push' : 'poll';
  return {
    deliveryMethod: method,
    endpointUrl: input.delivery?.method === DELIVERY_PUSH ? input.delivery.endpoint_url : null,
    authorizationHeader: input.delivery?.method === DELIVERY_PUSH ? (input.delivery.authorization_header ?? null) : null,
    eventsRequested: input.events_requested ?? null,
    description: input.description ?? null,
  };
}

export async function streamOf(db: Executor, providerId: string): Promise<Stream | null> {
  const [row] = await db.select().from(ssfStreams).where(eq(ssfStreams.providerId, providerId));
  return row ?? null;
}

/** The provider's stream, if `streamId` (when given) names it; else 404 (another's is unknown). */
async function lockedStream(tx: Executor, providerId: string, streamId: string | undefined): Promise<Stream> {
  const [row] = await tx.select().from(ssfStreams).where(eq(ssfStreams.providerId, providerId)).for('update');
  if (!row || (streamId !== undefined && row.streamId !== streamId)) throw new StreamError(404, 'not_found', 'No such stream.');
  return row;
}

/**
 * After the stream changed: the events still waiting move to what the stream now says — a push
 * stream's to the worker (due now), a poll stream's to the poll queue, a paused one's held, a
 * disabled one's dropped; with no stream, back to the registered endpoint. Order is kept: both
 * the worker and the poll read oldest first.
 */
async function restateWaiting(tx: Executor, providerId: string, stream: Stream | null, now: Date): Promise<void> {
  const [provider] = await tx.select({ eventsEndpoint: providers.eventsEndpoint }).from(providers).where(eq(providers.id, providerId));
  const waiting = await tx
    .select({ jti: providerEvents.jti, eventType: providerEvents.eventType, claims: providerEvents.claims })
    .from(providerEvents)
    .where(and(eq(providerEvents.providerId, providerId), inArray(providerEvents.state, ['pending', 'poll', 'held'])));
  const byState = new Map<ProviderEventState, string[]>();
  for (const row of waiting) {
    const uri = Object.keys((row.claims as { events?: Record<string, unknown> }).events ?? {})[0] ?? '';
    const state = initialEventState(stream, provider?.eventsEndpoint ?? null, uri);
    byState.set(state, [...(byState.get(state) ?? []), row.jti]);
  }
  for (const [state, jtis] of byState) {
    await tx
      .update(providerEvents)
      .set({ state, ...(state === 'pending' ? { nextAttemptAt: now, leaseUntil: null } : {}) })
      .where(inArray(providerEvents.jti, jtis));
  }
}

export async function createStream(db: Db, providerId: string, input: StreamInput, now: Date = new Date()): Promise<Stream> {
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(ssfStreams)
      .values({ providerId, streamId: randomUUID(), ...columnsOf(input), status: 'enabled', createdAt: now, updatedAt: now })
      .onConflictDoNothing({ target: ssfStreams.providerId })
      .returning();
    if (!created) throw new StreamError(409, 'conflict', 'This provider already has a stream; update or delete it.');
    await restateWaiting(tx, providerId, created, now);
    return created;
  });
}

/** PATCH changes the members sent; PUT replaces the stream's configuration with the one sent. */
export async function updateStream(db: Db, providerId: string, input: StreamInput, mode: 'patch' | 'replace', now: Date = new Date()): Promise<Stream> {
  if (!input.stream_id) throw new StreamError(400, 'invalid_request', 'stream_id is required');
  return db.transaction(async (tx) => {
    const current = await lockedStream(tx, providerId, input.stream_id);
    const next = mode === 'replace' ? columnsOf(input) : patched(current, input);
    const [updated] = await tx.update(ssfStreams).set({ ...next, updatedAt: now }).where(eq(ssfStreams.providerId, providerId)).returning();
    await restateWaiting(tx, providerId, updated!, now);
    return updated!;
  });
}

function patched(current: Stream, input: StreamInput) {
  const fromInput = columnsOf(input);
  return {
    deliveryMethod: input.delivery ? fromInput.deliveryMethod : current.deliveryMethod,
    endpointUrl: input.delivery ? fromInput.endpointUrl : current.endpointUrl,
    authorizationHeader: input.delivery ? fromInput.authorizationHeader : current.authorizationHeader,
    eventsRequested: input.events_requested !== undefined ? fromInput.eventsRequested : current.eventsRequested,
    description: input.description !== undefined ? fromInput.description : current.description,
  };
}

export async function deleteStream(db: Db, providerId: string, streamId: string | undefined, now: Date = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    await lockedStream(tx, providerId, streamId);
    await tx.delete(ssfStreams).where(eq(ssfStreams.providerId, providerId));
    await restateWaiting(tx, providerId, null, now);
  });
}

/** SSF 1.0 §8.1.2: enabled, paused (events held, then delivered in order) or disabled (none kept). */
export async function setStreamStatus(db: Db, providerId: string, streamId: string | undefined, status: StreamStatus, reason: string | null, now: Date = new Date()): Promise<Stream> {
  return db.transaction(async (tx) => {
    await lockedStream(tx, providerId, streamId);
    const [updated] = await tx.update(ssfStreams).set({ status, reason, updatedAt: now }).where(eq(ssfStreams.providerId, providerId)).returning();
    await restateWaiting(tx, providerId, updated!, now);
    return updated!;
  });
}

/**
 * SSF 1.0 §8.1.4: a verification event carrying the receiver's `state`, delivered like every
 * other (push or poll). At most one per MIN_VERIFICATION_INTERVAL_S per stream (else 429).
 */
export async function requestVerification(db: Db, providerId: string, clientId: string, streamId: string | undefined, state: string | undefined, now: Date = new Date()): Promise<string> {
  return db.transaction(async (tx) => {
    const stream = await lockedStream(tx, providerId, streamId);
    if (stream.lastVerificationAt) {
      const waitS = MIN_VERIFICATION_INTERVAL_S - Math.floor((now.getTime() - stream.lastVerificationAt.getTime()) / 1000);
      if (waitS > 0) throw new StreamError(429, 'too_many_requests', `One verification per ${MIN_VERIFICATION_INTERVAL_S} s; retry after ${waitS} s.`, waitS);
    }
    await tx.update(ssfStreams).set({ lastVerificationAt: now }).where(eq(ssfStreams.providerId, providerId));
    const issuer = eventIssuer();
    const jti = randomUUID();
    const seconds = Math.floor(now.getTime() / 1000);
    const claims = {
      iss: issuer,
      iat: seconds,
      jti,
      aud: clientId,
      sub_id: { format: 'opaque', id: stream.streamId },
      events: { [VERIFICATION_EVENT]: state !== undefined ? { state } : {} },
    };
    const [provider] = await tx.select({ eventsEndpoint: providers.eventsEndpoint }).from(providers).where(eq(providers.id, providerId));
    await tx.insert(providerEvents).values({
      jti,
      providerId,
      linkId: null,
      eventType: 'ssf.verification',
      claims,
      state: initialEventState(stream, provider?.eventsEndpoint ?? null, VERIFICATION_EVENT),
      nextAttemptAt: now,
      createdAt: now,
    });
    return jti;
  });
}


/**
 * RFC 8936 §2.4: the provider acknowledges what it received (`ack`), reports what it could not
 * accept (`setErrs`), and gets its oldest waiting SETs (at most `maxEvents`, 0 = acknowledge only),
 * each signed as the push would be; `moreAvailable` says whether more wait. Only this provider's
 * events, only those in the poll queue: an unknown `jti` in `ack` changes nothing.
 */
export async function pollEvents(db: Db, providerId: string, body: unknown, now: Date = new Date()): Promise<{ sets: Record<string, string>; moreAvailable: boolean }> {
  const parsed = pollInputSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StreamError(400, 'invalid_request', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  const { ack = [], setErrs = {}, maxEvents = MAX_POLL_EVENTS } = parsed.data;
  const mine = (jtis: string[]) => and(eq(providerEvents.providerId, providerId), eq(providerEvents.state, 'poll'), inArray(providerEvents.jti, jtis));
  if (ack.length > 0) {
    await db.update(providerEvents).set({ state: 'delivered', deliveredAt: now, lastAttemptAt: now, lastError: null }).where(mine(ack));
  }
  for (const [jti, error] of Object.entries(setErrs)) {
    const text = `${error.err}${error.description ? `: ${error.description}` : ''}`.slice(0, 200);
    await db.update(providerEvents).set({ state: 'failed', lastAttemptAt: now, lastError: `receiver: ${text}` }).where(mine([jti]));
  }
  const limit = Math.min(maxEvents, MAX_POLL_EVENTS);
  if (limit === 0) return { sets: {}, moreAvailable: await waitingForPoll(db, providerId) };
  const rows = await db
    .select({ jti: providerEvents.jti, claims: providerEvents.claims })
    .from(providerEvents)
    .where(and(eq(providerEvents.providerId, providerId), eq(providerEvents.state, 'poll')))
    .orderBy(asc(providerEvents.createdAt), asc(providerEvents.jti))
    .limit(limit + 1);
  const batch = rows.slice(0, limit);
  if (batch.length > 0) {
    await db
      .update(providerEvents)
      .set({ attempts: sql`${providerEvents.attempts} + 1`, lastAttemptAt: now })
      .where(inArray(
        providerEvents.jti,
        batch.map((r) => r.jti),
      ));
  }
  const sets: Record<string, string> = {};
  for (const row of batch) sets[row.jti] = await signSecurityEvent(row.claims);
  return { sets, moreAvailable: rows.length > limit };
}

async function waitingForPoll(db: Db, providerId: string): Promise<boolean> {
  const [row] = await db
    .select({ jti: providerEvents.jti })
    .from(providerEvents)
    .where(and(eq(providerEvents.providerId, providerId), eq(providerEvents.state, 'poll')))
    .limit(1);
  return Boolean(row);
}

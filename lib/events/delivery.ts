import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { getDb } from '@/lib/db';
import type { Db } from '@/lib/db/connect';
import { providerEvents, providers, ssfStreams } from '@/lib/db/schema';
import { isSandbox } from '@/lib/env';
import { log } from '@/lib/observability/logger';
import { metrics } from '@/lib/observability/metrics';
import { signSecurityEvent } from './sign';

/** A claimed row is ours this long; a worker that dies mid-send lets it lapse and the row is sent again. */
export const LEASE_MS = 30_000;
/** Well inside the lease, so a result is never written after another worker took the row over. */
export const SEND_TIMEOUT_MS = 5_000;
/** After this many attempts (≈ 1.5 days with the backoff below) the event is given up as `failed`. */
export const MAX_ATTEMPTS = 12;
export const DEFAULT_BATCH = 20;
const BACKOFF_S = [10, 30, 120, 600, 3_600, 7_200, 14_400];
const BACKOFF_CAP_S = 21_600;
const ERROR_BODY_BYTES = 4_096;
const LAST_ERROR_CHARS = 200;

/**
 * Delay before the next attempt, after `attempts` failed ones: 10 s, 30 s, 2 min, 10 min, 1 h,
 * 2 h, 4 h, then 6 h; ±20 % jitter so a provider coming back is not hit by every event at once.
 */
export function backoffDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = BACKOFF_S[Math.max(0, attempts - 1)] ?? BACKOFF_CAP_S;
  return Math.round(base * 1000 * (0.8 + 0.4 * random()));
}

export type ClaimedEvent = { jti: string; providerId: string; claims: Record<string, unknown>; attempts: number; leaseUntil: Date };

/**
 * Takes up to `limit` due events for this worker: one statement that skips rows another worker
 * holds (FOR UPDATE SKIP LOCKED) or has leased, and counts the attempt now, so an event that
 * kills the process every time still reaches MAX_ATTEMPTS. Same SQL on PGlite and PostgreSQL.
 */
export async function claimDueEvents(db: Db, now: Date, limit: number = DEFAULT_BATCH): Promise<ClaimedEvent[]> {
  const leaseUntil = new Date(now.getTime() + LEASE_MS);
  const due = db
    .select({ jti: providerEvents.jti })
    .from(providerEvents)
    .where(
      and(
        eq(providerEvents.state, 'pending'),
        lte(providerEvents.nextAttemptAt, now),
        or(isNull(providerEvents.leaseUntil), lt(providerEvents.leaseUntil, now)),
      ),
    )
    .orderBy(asc(providerEvents.createdAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  const rows = await db
    .update(providerEvents)
    .set({ leaseUntil, attempts: sql`${providerEvents.attempts} + 1`, lastAttemptAt: now })
    .where(inArray(providerEvents.jti, due))
    .returning({ jti: providerEvents.jti, providerId: providerEvents.providerId, claims: providerEvents.claims, attempts: providerEvents.attempts });
  return rows.map((row) => ({ ...row, leaseUntil }));
}

type Outcome = { kind: 'delivered' } | { kind: 'retry'; error: string } | { kind: 'permanent'; error: string } | { kind: 'no_endpoint' };

// RFC 8935 §2.4 error codes that describe the SET itself: the same claims would be refused again, so
// retrying only delays the operator's attention. Key, authentication and access errors can be
// fixed on the receiver's side (JWKS cache, configuration) and are retried.
const PERMANENT_ERRORS = new Set(['invalid_request', 'invalid_issuer', 'invalid_audience']);

export type DeliveryOptions = {
  now?: Date;
  fetchImpl?: typeof fetch;
  limit?: number;
  timeoutMs?: number;
  random?: () => number;
};

export type DeliveryReport = { claimed: number; delivered: number; retrying: number; failed: number; noEndpoint: number };

/** One round of the worker: claim due events, push each (RFC 8935), record each outcome. */
export async function deliverDueEvents(db: Db, options: DeliveryOptions = {}): Promise<DeliveryReport> {
  const now = options.now ?? new Date();
  const claimed = await claimDueEvents(db, now, options.limit ?? DEFAULT_BATCH);
  const report: DeliveryReport = { claimed: claimed.length, delivered: 0, retrying: 0, failed: 0, noEndpoint: 0 };
  if (claimed.length === 0) return report;
  const endpoints = await endpointsOf(db, claimed);
  await Promise.all(
    claimed.map(async (event) => {
      const outcome = await attempt(event, endpoints.get(event.providerId) ?? null, options);
      const state = await recordOutcome(db, event, outcome, now, options.random);
      if (state === 'delivered') report.delivered += 1;
      else if (state === 'pending') report.retrying += 1;
      else if (state === 'failed') report.failed += 1;
      else if (state === 'no_endpoint') report.noEndpoint += 1;
    }),
  );
  return report;
}

type Endpoint = { url: string | null; authorization: string | null };

/**
 * Read at send time, so a corrected endpoint is used by the next retry: a push SSF stream's
 * endpoint (with the Authorization header its receiver asked for), else the registered one.
 */
async function endpointsOf(db: Db, events: ClaimedEvent[]): Promise<Map<string, Endpoint>> {
  const ids = [...new Set(events.map((e) => e.providerId))];
  const rows = await db
    .select({ id: providers.id, eventsEndpoint: providers.eventsEndpoint, method: ssfStreams.deliveryMethod, streamUrl: ssfStreams.endpointUrl, authorization: ssfStreams.authorizationHeader })
    .from(providers)
    .leftJoin(ssfStreams, eq(ssfStreams.providerId, providers.id))
    .where(inArray(providers.id, ids));
  return new Map(rows.map((r) => [r.id, r.method === 'push' ? { url: r.streamUrl, authorization: r.authorization } : { url: r.eventsEndpoint, authorization: null }]));
}

async function attempt(event: ClaimedEvent, target: Endpoint | null, options: DeliveryOptions): Promise<Outcome> {
  const endpoint = target?.url;
  if (!endpoint) return { kind: 'no_endpoint' };
  const protocol = URL.canParse(endpoint) ? new URL(endpoint).protocol : undefined;
  if (protocol !== 'https:' && protocol !== 'http:') return { kind: 'permanent', error: 'events endpoint is not an http(s) URL' };
  // Production pushes only over TLS (the SET is signed, not encrypted); sandbox also allows http.
  if (!isSandbox && protocol !== 'https:') return { kind: 'permanent', error: 'events endpoint is not https' };
  let body: string;
  try {
    body = await signSecurityEvent(event.claims);
  } catch (error) {
    return { kind: 'retry', error: `signing failed: ${errorText(error)}` };
  }
  return push(endpoint, body, options, target.authorization);
}

/** RFC 8935 §2: POST the SET; 2xx (202 per the RFC) is acknowledged, anything else is an error. */
async function push(endpoint: string, body: string, options: DeliveryOptions, authorization: string | null = null): Promise<Outcome> {
  const fetchImpl = options.fetchImpl ?? fetch;
  try {
    const response = await fetchImpl(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/secevent+jwt', Accept: 'application/json', ...(authorization ? { Authorization: authorization } : {}) },
      body,
      // A redirect is not followed: the SET goes only to the registered endpoint.
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? SEND_TIMEOUT_MS),
    });
    if (response.status >= 200 && response.status < 300) {
      await response.body?.cancel();
      return { kind: 'delivered' };
    }
    return refusal(response);
  } catch (error) {
    return { kind: 'retry', error: errorText(error) };
  }
}

async function refusal(response: Response): Promise<Outcome> {
  const status = `HTTP ${response.status}`;
  const text = await readCapped(response, ERROR_BODY_BYTES).catch(() => '');
  const rfc8935 = parseSetError(text);
  if (!rfc8935) return { kind: 'retry', error: status };
  const error = `${status} ${rfc8935.err}${rfc8935.description ? `: ${rfc8935.description}` : ''}`;
  return response.status === 400 && PERMANENT_ERRORS.has(rfc8935.err) ? { kind: 'permanent', error } : { kind: 'retry', error };
}

/** RFC 8935 §2.3 failure response body: `{"err": "...", "description": "..."}`. */
function parseSetError(text: string): { err: string; description?: string } | undefined {
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json !== 'object' || json === null) return undefined;
    const { err, description } = json as { err?: unknown; description?: unknown };
    if (typeof err !== 'string') return undefined;
    return { err, description: typeof description === 'string' ? description : undefined };
  } catch {
    return undefined;
  }
}

// A receiver could answer with an endless body; only the start is needed for the error.
async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < maxBytes) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => {});
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'timeout';
    const code = (error.cause as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string') return code; // e.g. ECONNREFUSED from undici
    return error.message;
  }
  return String(error);
}

/**
 * Writes the attempt's result, only while our lease still holds (a worker that lost its lease
 * must not overwrite the next worker's result). Returns the row's new state.
 */
async function recordOutcome(db: Db, event: ClaimedEvent, outcome: Outcome, now: Date, random?: () => number): Promise<ProviderEventStateAfter> {
  const set = outcomeColumns(event, outcome, now, random);
  const [row] = await db
    .update(providerEvents)
    .set({ ...set, leaseUntil: null })
    .where(and(eq(providerEvents.jti, event.jti), eq(providerEvents.state, 'pending'), eq(providerEvents.leaseUntil, event.leaseUntil)))
    .returning({ state: providerEvents.state });
  if (row) metrics.eventDeliveries.inc({ result: set.state === 'pending' ? 'retrying' : set.state });
  if (set.state === 'failed' && row) deliveryLog.warn({ jti: event.jti, attempts: event.attempts, lastError: set.lastError ?? '' }, 'gave up on an event');
  return row ? set.state : 'lost_lease';
}

type ProviderEventStateAfter = 'pending' | 'delivered' | 'failed' | 'no_endpoint' | 'lost_lease';

function outcomeColumns(event: ClaimedEvent, outcome: Outcome, now: Date, random?: () => number) {
  switch (outcome.kind) {
    case 'delivered':
      return { state: 'delivered' as const, deliveredAt: now, lastError: null };
    case 'no_endpoint':
      return { state: 'no_endpoint' as const, lastError: 'no events endpoint registered' };
    case 'permanent':
      return { state: 'failed' as const, lastError: clip(outcome.error) };
    case 'retry':
      if (event.attempts >= MAX_ATTEMPTS) return { state: 'failed' as const, lastError: clip(outcome.error) };
      return { state: 'pending' as const, lastError: clip(outcome.error), nextAttemptAt: new Date(now.getTime() + backoffDelayMs(event.attempts, random)) };
  }
}

function clip(text: string): string {
  return text.length > LAST_ERROR_CHARS ? `${text.slice(0, LAST_ERROR_CHARS - 1)}…` : text;
}

// ---- The worker in the server process ----

const TICK_MS = 2_000;
const MAX_ROUNDS_PER_TICK = 10;
type DeliveryWorker = { timer: NodeJS.Timeout; stopped: boolean; current: Promise<void> | null };
const globalForDelivery = globalThis as typeof globalThis & { __renkeiEventDelivery?: DeliveryWorker };
const deliveryLog = log('events');

/**
 * Starts the delivery worker once per process (Next loads modules several times): every 2 s one
 * tick drains due events in rounds; a tick never overlaps the previous one, and errors are
 * logged, never thrown. Other processes on the same PostgreSQL may run it too (leases).
 */
export function startEventDelivery(): void {
  if (globalForDelivery.__renkeiEventDelivery) return;
  const worker: DeliveryWorker = { timer: undefined as unknown as NodeJS.Timeout, stopped: false, current: null };
  const tick = async () => {
    try {
      const db = await getDb();
      for (let round = 0; round < MAX_ROUNDS_PER_TICK && !worker.stopped; round += 1) {
        const report = await deliverDueEvents(db);
        if (report.claimed < DEFAULT_BATCH) break;
      }
    } catch (error) {
      deliveryLog.error({ err: error }, 'delivery round failed');
    }
  };
  worker.timer = setInterval(() => {
    if (worker.current || worker.stopped) return;
    worker.current = tick().finally(() => (worker.current = null));
  }, TICK_MS);
  worker.timer.unref();
  globalForDelivery.__renkeiEventDelivery = worker;
}

/**
 * Shutdown: no new round, and the round in flight finishes (each push is bounded by
 * SEND_TIMEOUT_MS), so every event this process claimed has its result written and its lease
 * released before the database closes.
 */
export async function stopEventDelivery(): Promise<void> {
  const worker = globalForDelivery.__renkeiEventDelivery;
  if (!worker) return;
  worker.stopped = true;
  clearInterval(worker.timer);
  await worker.current;
  globalForDelivery.__renkeiEventDelivery = undefined;
}

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Database } from '@/lib/db/connect';
import { providerEvents, providers } from '@/lib/db/schema';
import { getOauthProvider } from '@/lib/oauth/provider';
import { onServer, openTestDatabase } from '@/test/db';
import { backoffDelayMs, claimDueEvents, deliverDueEvents, LEASE_MS, MAX_ATTEMPTS } from './delivery';
import { enqueueProviderEvent, eventIssuer, eventTypeUri } from './outbox';

// The bank's signing key for this file, given the way production gives it (OAUTH_JWKS), so the
// test writes no key file; set before any module reads the environment.
await vi.hoisted(async () => {
  const { generateKeyPairSync } = await import('node:crypto');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), alg: 'PS256', use: 'sig', kid: 'events-test-key' };
  process.env.OAUTH_JWKS = JSON.stringify({ keys: [jwk] });
  process.env.OAUTH_COOKIE_KEYS = 'events-test-cookie-key';
});

type Received = { jti: string; body: string; contentType?: string; accept?: string };
type Reply = { status: number; json?: unknown; delayMs?: number; hang?: boolean };

/** A provider's RFC 8935 receiver on a free port, answering from a script of replies. */
class Receiver {
  readonly received: Received[] = [];
  replies: Reply[] = [];
  fallback: Reply = { status: 202 };
  private readonly server = http.createServer((req, res) => void this.handle(req, res));

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/events`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    this.received.push({ jti: String(decodeJwt(body).jti), body, contentType: req.headers['content-type'], accept: req.headers.accept });
    const reply = this.replies.shift() ?? this.fallback;
    if (reply.hang) return; // never answers
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    res.writeHead(reply.status, reply.json ? { 'Content-Type': 'application/json' } : {});
    res.end(reply.json ? JSON.stringify(reply.json) : undefined);
  }
}

let database: Database;
let receiver: Receiver;
let endpoint: string;
let ledgerlyId: string;
let bankJwks: JSONWebKeySet;
let jwksUri: string;
const SECOND = 1000;

async function fetchBankJwks(): Promise<void> {
  // The keys oidc-provider publishes at <issuer>/jwks (mounted here at the server's root, the way
  // pages/api/oauth strips /oauth), so this proves providers can verify with the published JWKS.
  const provider = await getOauthProvider('http://localhost:3000');
  const callback = provider.callback();
  const server = http.createServer((req, res) => void callback(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const discovery = (await (await fetch(`${base}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
    expect(discovery.issuer).toBe(eventIssuer());
    jwksUri = discovery.jwks_uri;
    bankJwks = (await (await fetch(`${base}/jwks`)).json()) as JSONWebKeySet;
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

async function enqueue(providerId: string, now: Date): Promise<string> {
  return database.db.transaction((tx) => enqueueProviderEvent(tx, { providerId, type: 'provider.resumed', detail: { note: 'test' }, now }));
}

async function rowOf(jti: string) {
  const [row] = await database.db.select().from(providerEvents).where(eq(providerEvents.jti, jti));
  if (!row) throw new Error(`no event ${jti}`);
  return row;
}

beforeAll(async () => {
  database = await openTestDatabase();
  receiver = new Receiver();
  endpoint = await receiver.start();
  const [ledgerly] = await database.db.update(providers).set({ eventsEndpoint: endpoint }).where(eq(providers.clientId, 'ledgerly')).returning({ id: providers.id });
  ledgerlyId = ledgerly!.id;
  await fetchBankJwks();
});
afterAll(async () => {
  await receiver?.close();
  await database?.close();
});
beforeEach(async () => {
  // Each test starts with an empty outbox and a receiver that accepts.
  await database.db.delete(providerEvents);
  await database.db.update(providers).set({ eventsEndpoint: endpoint }).where(eq(providers.id, ledgerlyId));
  receiver.received.length = 0;
  receiver.replies = [];
  receiver.fallback = { status: 202 };
});

describe(`provider notification delivery, RFC 8935 (${onServer ? 'PostgreSQL server' : 'PGlite'})`, () => {
  it('retries after failures and delivers once accepted, with the same jti and a verifiable signature', async () => {
    const t0 = new Date();
    const jti = await enqueue(ledgerlyId, t0);
    receiver.replies = [{ status: 500 }, { status: 500 }, { status: 202 }];

    expect(await deliverDueEvents(database.db, { now: t0 })).toMatchObject({ claimed: 1, retrying: 1 });
    const first = await rowOf(jti);
    expect(first).toMatchObject({ state: 'pending', attempts: 1, lastError: 'HTTP 500', leaseUntil: null });
    expect(first.nextAttemptAt.getTime() - t0.getTime()).toBeGreaterThanOrEqual(8 * SECOND);
    expect(first.nextAttemptAt.getTime() - t0.getTime()).toBeLessThanOrEqual(12 * SECOND);

    expect((await deliverDueEvents(database.db, { now: new Date(t0.getTime() + 5 * SECOND) })).claimed).toBe(0); // not due yet
    const t1 = new Date(t0.getTime() + 15 * SECOND);
    expect(await deliverDueEvents(database.db, { now: t1 })).toMatchObject({ claimed: 1, retrying: 1 });
    const second = await rowOf(jti);
    expect(second.attempts).toBe(2);
    expect(second.nextAttemptAt.getTime() - t1.getTime()).toBeGreaterThanOrEqual(24 * SECOND); // backoff grows

    const t2 = new Date(t0.getTime() + 60 * SECOND);
    expect(await deliverDueEvents(database.db, { now: t2 })).toMatchObject({ claimed: 1, delivered: 1 });
    expect(await rowOf(jti)).toMatchObject({ state: 'delivered', attempts: 3, deliveredAt: t2, lastAttemptAt: t2, lastError: null });
    expect((await deliverDueEvents(database.db, { now: new Date(t0.getTime() + 3_600 * SECOND) })).claimed).toBe(0); // never again

    expect(receiver.received.map((r) => r.jti)).toEqual([jti, jti, jti]);
    const keys = createLocalJWKSet(bankJwks);
    for (const request of receiver.received) {
      expect(request.contentType).toBe('application/secevent+jwt');
      expect(request.accept).toBe('application/json');
      const { payload, protectedHeader } = await jwtVerify(request.body, keys, { typ: 'secevent+jwt', issuer: eventIssuer(), audience: 'ledgerly' });
      expect(protectedHeader).toMatchObject({ alg: 'PS256', kid: 'events-test-key', typ: 'secevent+jwt' });
      expect(payload.jti).toBe(jti);
      expect(payload.events).toEqual({ [eventTypeUri('provider.resumed')]: { note: 'test' } });
      expect(payload.sub_id).toEqual({ format: 'opaque', id: 'ledgerly' });
    }
    expect(jwksUri).toMatch(/\/jwks$/);
  });

  it('retries an event whose worker died mid-send once the lease lapses, with the same jti', async () => {
    const t0 = new Date();
    const jti = await enqueue(ledgerlyId, t0);
    const [claimed] = await claimDueEvents(database.db, t0); // the worker takes it … and dies
    expect(claimed?.jti).toBe(jti);
    expect((await rowOf(jti)).attempts).toBe(1);
    expect((await deliverDueEvents(database.db, { now: new Date(t0.getTime() + 10 * SECOND) })).claimed).toBe(0); // lease still held
    expect(await deliverDueEvents(database.db, { now: new Date(t0.getTime() + LEASE_MS + SECOND) })).toMatchObject({ claimed: 1, delivered: 1 });
    expect(receiver.received.map((r) => r.jti)).toEqual([jti]);
    expect(await rowOf(jti)).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('two workers in parallel never send one event twice (SKIP LOCKED + lease)', async () => {
    const now = new Date();
    const jtis = new Set<string>();
    for (let i = 0; i < 10; i += 1) jtis.add(await enqueue(ledgerlyId, new Date(now.getTime() - (10 - i))));
    receiver.fallback = { status: 202, delayMs: 30 };
    const [a, b] = await Promise.all([deliverDueEvents(database.db, { now, limit: 10 }), deliverDueEvents(database.db, { now, limit: 10 })]);
    expect(a.claimed + b.claimed).toBe(10);
    expect(a.delivered + b.delivered).toBe(10);
    expect(receiver.received).toHaveLength(10);
    expect(new Set(receiver.received.map((r) => r.jti))).toEqual(jtis);
  });

  // PGlite has one connection (transactions run one at a time), so this needs the server.
  it.runIf(onServer)('skips a row another worker holds locked instead of waiting for it', async () => {
    const now = new Date();
    const locked = await enqueue(ledgerlyId, new Date(now.getTime() - 1));
    const free = await enqueue(ledgerlyId, now);
    await database.db.transaction(async (tx) => {
      await tx.select().from(providerEvents).where(eq(providerEvents.jti, locked)).for('update');
      const claimed = await claimDueEvents(database.db, now); // another connection
      expect(claimed.map((c) => c.jti)).toEqual([free]);
    });
  });

  it('never sends an event of a provider without events endpoint', async () => {
    const [payroute] = await database.db.select({ id: providers.id }).from(providers).where(eq(providers.clientId, 'payroute'));
    const jti = await enqueue(payroute!.id, new Date());
    expect((await rowOf(jti)).state).toBe('no_endpoint');
    expect((await deliverDueEvents(database.db)).claimed).toBe(0);
    // An endpoint removed after the event was written: recorded as such, not retried.
    const pending = await enqueue(ledgerlyId, new Date());
    await database.db.update(providers).set({ eventsEndpoint: null }).where(eq(providers.id, ledgerlyId));
    expect(await deliverDueEvents(database.db)).toMatchObject({ claimed: 1, noEndpoint: 1 });
    expect((await rowOf(pending)).state).toBe('no_endpoint');
    expect(receiver.received).toHaveLength(0);
  });

  it('gives up after the maximum number of attempts', async () => {
    let now = new Date();
    const jti = await enqueue(ledgerlyId, now);
    receiver.fallback = { status: 503 };
    for (let i = 1; i <= MAX_ATTEMPTS; i += 1) {
      expect((await deliverDueEvents(database.db, { now })).claimed).toBe(1);
      now = new Date(now.getTime() + 8 * 3_600 * SECOND); // past the longest backoff (6 h + 20 %)
    }
    expect(await rowOf(jti)).toMatchObject({ state: 'failed', attempts: MAX_ATTEMPTS, lastError: 'HTTP 503' });
    expect((await deliverDueEvents(database.db, { now })).claimed).toBe(0);
    expect(receiver.received).toHaveLength(MAX_ATTEMPTS);
  });

  it('treats an RFC 8935 error about the SET itself as final, and others as worth a retry', async () => {
    const now = new Date();
    const rejected = await enqueue(ledgerlyId, now);
    receiver.replies = [{ status: 400, json: { err: 'invalid_audience', description: 'not for us' } }];
    await deliverDueEvents(database.db, { now });
    expect(await rowOf(rejected)).toMatchObject({ state: 'failed', attempts: 1, lastError: 'HTTP 400 invalid_audience: not for us' });

    const keyError = await enqueue(ledgerlyId, now);
    receiver.replies = [{ status: 400, json: { err: 'invalid_key' } }];
    await deliverDueEvents(database.db, { now });
    expect(await rowOf(keyError)).toMatchObject({ state: 'pending', attempts: 1, lastError: 'HTTP 400 invalid_key' });
  });

  it('records network errors and timeouts and retries them', async () => {
    const now = new Date();
    const jti = await enqueue(ledgerlyId, now);
    receiver.replies = [{ status: 0, hang: true }];
    await deliverDueEvents(database.db, { now, timeoutMs: 200 });
    expect(await rowOf(jti)).toMatchObject({ state: 'pending', attempts: 1, lastError: 'timeout' });

    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await database.db.update(providers).set({ eventsEndpoint: `http://127.0.0.1:${deadPort}/events` }).where(eq(providers.id, ledgerlyId));
    await deliverDueEvents(database.db, { now: new Date(now.getTime() + 60 * SECOND) });
    expect(await rowOf(jti)).toMatchObject({ state: 'pending', attempts: 2, lastError: 'ECONNREFUSED' });
  });

  it('backs off exponentially with jitter, capped', () => {
    const low = () => 0;
    const high = () => 1;
    expect(backoffDelayMs(1, low)).toBe(8 * SECOND);
    expect(backoffDelayMs(1, high)).toBe(12 * SECOND);
    // Up to 4 h, even the shortest next delay is longer than the longest previous one.
    for (let attempts = 1; attempts < 7; attempts += 1) expect(backoffDelayMs(attempts + 1, low)).toBeGreaterThan(backoffDelayMs(attempts, high));
    const mid = () => 0.5;
    expect([5, 6, 7, 8, 50].map((attempts) => backoffDelayMs(attempts, mid) / SECOND)).toEqual([3_600, 7_200, 14_400, 21_600, 21_600]);
  });
});

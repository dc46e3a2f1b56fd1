import { and, eq } from 'drizzle-orm';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerPrincipal } from '@/lib/auth/types';
import type { Database } from '@/lib/db/connect';
import { customers, links, providerEvents, providers } from '@/lib/db/schema';
import { deliverDueEvents } from '@/lib/events/delivery';
import { enqueueProviderEvent, eventTypeUri } from '@/lib/events/outbox';
import { setItemGranted } from '@/lib/links/commands';
import { onServer, openTestDatabase } from '@/test/db';
import {
  createStream,
  deleteStream,
  DELIVERY_POLL,
  DELIVERY_PUSH,
  parseStreamInput,
  pollEvents,
  requestVerification,
  setStreamStatus,
  streamConfiguration,
  StreamError,
  updateStream,
  VERIFICATION_EVENT,
} from './streams';

// Issue 15 §2: the SSF transmitter on the one outbox. demo's link with かけいぼプラス is the subject.
let database: Database;
let demo: CustomerPrincipal;
let link: { id: string; providerId: string; clientId: string };
let other: { id: string };

beforeAll(async () => {
  database = await openTestDatabase();
  const [row] = await database.db.select({ id: customers.id }).from(customers).where(eq(customers.logonId, 'demo'));
  demo = { kind: 'customer', customerId: row!.id, sessionId: 'test' };
  const [l] = await database.db
    .select({ id: links.id, providerId: links.providerId, clientId: providers.clientId })
    .from(links)
    .innerJoin(providers, eq(providers.id, links.providerId))
    .where(and(eq(links.customerId, demo.customerId), eq(providers.clientId, 'kakeibo-plus')));
  link = l!;
  const [o] = await database.db.select({ id: providers.id }).from(providers).where(eq(providers.clientId, 'ledgerly'));
  other = o!;
});
afterAll(async () => {
  await database?.close();
});

const enqueue = (type: 'link.suspended' | 'link.resumed' | 'link.items_changed', at: Date) =>
  database.db.transaction((tx) => enqueueProviderEvent(tx, { providerId: link.providerId, linkId: link.id, type, now: at }));
const stateOf = async (jti: string) => (await database.db.select({ state: providerEvents.state }).from(providerEvents).where(eq(providerEvents.jti, jti)))[0]?.state;

describe(`an SSF stream on the outbox (${onServer ? 'PostgreSQL server' : 'PGlite'})`, () => {
  it('poll: events wait in order, come signed as SETs, are acknowledged by jti, and a paused stream holds them until enabled', async () => {
    const stream = await createStream(database.db, link.providerId, parseStreamInput({ delivery: { method: DELIVERY_POLL } }));
    const config = streamConfiguration(stream, link.clientId);
    expect(config).toMatchObject({ stream_id: stream.streamId, aud: 'kakeibo-plus', delivery: { method: DELIVERY_POLL }, min_verification_interval: 30 });
    expect(config.delivery.endpoint_url).toMatch(/\/oauth\/ssf\/poll$/);
    expect(config.events_delivered).toEqual(config.events_supported);
    await expect(createStream(database.db, link.providerId, parseStreamInput({}))).rejects.toMatchObject({ status: 409 });

    const first = await enqueue('link.suspended', new Date('2026-11-01T00:00:00Z'));
    const second = await enqueue('link.resumed', new Date('2026-11-01T00:00:01Z'));
    expect([await stateOf(first), await stateOf(second)]).toEqual(['poll', 'poll']);
    // the push worker does not touch them
    expect((await deliverDueEvents(database.db, { now: new Date('2026-11-01T00:01:00Z'), fetchImpl: () => Promise.reject(new Error('no push')) })).claimed).toBe(0);

    const page = await pollEvents(database.db, link.providerId, { maxEvents: 1 });
    expect(Object.keys(page.sets)).toEqual([first]);
    expect(page.moreAvailable).toBe(true);
    const set = page.sets[first]!;
    expect(decodeProtectedHeader(set).typ).toBe('secevent+jwt');
    const claims = decodeJwt(set);
    expect(claims).toMatchObject({ jti: first, aud: 'kakeibo-plus', sub_id: { format: 'iss_sub', sub: demo.customerId } });
    expect(claims.exp).toBeUndefined();
    expect(claims.sub).toBeUndefined();
    expect(Object.keys(claims.events as object)).toEqual([eventTypeUri('link.suspended')]);
    // Not acknowledged: the same event again. Acknowledged: the next one. Another provider's poll sees none of them.
    expect(Object.keys((await pollEvents(database.db, link.providerId, { maxEvents: 1 })).sets)).toEqual([first]);
    expect(await pollEvents(database.db, other.id, { ack: [first, second] })).toEqual({ sets: {}, moreAvailable: false });
    expect(await stateOf(first)).toBe('poll');
    const next = await pollEvents(database.db, link.providerId, { ack: [first] });
    expect(Object.keys(next.sets)).toEqual([second]);
    expect(next.moreAvailable).toBe(false);
    expect(await stateOf(first)).toBe('delivered');
    await pollEvents(database.db, link.providerId, { ack: [second], maxEvents: 0 });

    // paused: new events are held, not polled; enabled: released, oldest first
    await setStreamStatus(database.db, link.providerId, stream.streamId, 'paused', 'maintenance at the provider');
    const held = [await enqueue('link.suspended', new Date('2026-11-01T00:02:00Z')), await enqueue('link.resumed', new Date('2026-11-01T00:02:01Z'))];
    expect(await stateOf(held[0]!)).toBe('held');
    expect((await pollEvents(database.db, link.providerId, {})).sets).toEqual({});
    await setStreamStatus(database.db, link.providerId, stream.streamId, 'enabled', null);
    expect(Object.keys((await pollEvents(database.db, link.providerId, {})).sets)).toEqual(held);
    await pollEvents(database.db, link.providerId, { ack: held, maxEvents: 0 });

    // events_requested: what the stream does not ask for is not delivered
    await updateStream(database.db, link.providerId, parseStreamInput({ stream_id: stream.streamId, events_requested: [eventTypeUri('link.revoked')] }), 'patch');
    expect(await stateOf(await enqueue('link.items_changed', new Date('2026-11-01T00:03:00Z')))).toBe('not_requested');
    // a receiver's error for a SET is recorded, the SET is not offered again
    await updateStream(database.db, link.providerId, parseStreamInput({ stream_id: stream.streamId, events_requested: [eventTypeUri('link.suspended')] }), 'patch');
    const refused = await enqueue('link.suspended', new Date('2026-11-01T00:04:00Z'));
    await pollEvents(database.db, link.providerId, { setErrs: { [refused]: { err: 'invalid_key', description: 'unknown kid' } }, maxEvents: 0 });
    expect(await stateOf(refused)).toBe('failed');
    await deleteStream(database.db, link.providerId, stream.streamId);
  });

  it('push: the worker sends to the stream’s endpoint with the receiver’s Authorization header; a link change carries its txn', async () => {
    const stream = await createStream(
      database.db,
      link.providerId,
      parseStreamInput({ delivery: { method: DELIVERY_PUSH, endpoint_url: 'https://kakeibo.example/ssf', authorization_header: 'Bearer receiver-secret' } }),
    );
    const now = new Date();
    // The customer turns an item off in the portal: the lifecycle writes the history row and the event together.
    await setItemGranted(database.db, demo, { linkId: link.id, item: 'statements', grant: false }, now);
    const pending = (await database.db.select({ jti: providerEvents.jti, claims: providerEvents.claims }).from(providerEvents).where(and(eq(providerEvents.providerId, link.providerId), eq(providerEvents.state, 'pending'))))[0];
    expect(pending, 'the item change is waiting for the push worker').toBeTruthy();
    expect(typeof (pending!.claims as { txn?: unknown }).txn).toBe('string');
    const sent: { url: string; authorization: string | null; body: string }[] = [];
    const report = await deliverDueEvents(database.db, {
      now: new Date(now.getTime() + 1000),
      fetchImpl: async (url, init) => {
        sent.push({ url: String(url), authorization: new Headers(init?.headers).get('authorization'), body: String(init?.body) });
        return new Response(null, { status: 202 });
      },
    });
    expect(report.delivered).toBeGreaterThanOrEqual(1);
    expect(sent[0]).toMatchObject({ url: 'https://kakeibo.example/ssf', authorization: 'Bearer receiver-secret' });

    // verification: a SET with the receiver's state, then 429 within the interval
    const at = new Date('2026-11-02T00:00:00Z');
    const jti = await requestVerification(database.db, link.providerId, link.clientId, stream.streamId, 'abc-123', at);
    const [verification] = await database.db.select({ claims: providerEvents.claims, state: providerEvents.state }).from(providerEvents).where(eq(providerEvents.jti, jti));
    expect(verification).toMatchObject({ state: 'pending', claims: { sub_id: { format: 'opaque', id: stream.streamId }, events: { [VERIFICATION_EVENT]: { state: 'abc-123' } } } });
    const tooSoon = await requestVerification(database.db, link.providerId, link.clientId, stream.streamId, 'again', new Date(at.getTime() + 10_000)).catch((e: unknown) => e);
    expect(tooSoon).toBeInstanceOf(StreamError);
    expect(tooSoon).toMatchObject({ status: 429, retryAfterS: 20 });
    // another provider's stream id is unknown to it
    await expect(requestVerification(database.db, other.id, 'ledgerly', stream.streamId, 'x', new Date(at.getTime() + 60_000))).rejects.toMatchObject({ status: 404 });

    // disabled: nothing is kept for delivery
    await setStreamStatus(database.db, link.providerId, stream.streamId, 'disabled', null);
    expect(await stateOf(await enqueue('link.suspended', new Date()))).toBe('not_requested');
    await deleteStream(database.db, link.providerId, stream.streamId);
  });

  it('refuses a stream configuration it cannot honour, with the member named', () => {
    expect(() => parseStreamInput({ delivery: { method: DELIVERY_PUSH } })).toThrow(/delivery.endpoint_url/);
    expect(() => parseStreamInput({ delivery: { method: 'urn:example:carrier-pigeon' } })).toThrow(StreamError);
    expect(() => parseStreamInput({ events_requested: 'all' })).toThrow(/events_requested/);
  });
});

import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Executor } from '@/lib/db/connect';
import { links, providerEvents, providers, ssfStreams } from '@/lib/db/schema';
import { env, isSandbox } from '@/lib/env';

/**
 * What the bank tells a provider about (RFC 8417 Security Event Tokens, pushed per RFC 8935).
 * `link.*` are about one customer's link; `provider.*` about the provider as a whole;
 * `chained_connection.stop_requested` is per link when the customer asks (SPEC §4) and
 * provider-wide when the bank asks (Art. 5.2, last sentence).
 * No `link.renewed`: a renewal is always driven by the provider itself (it runs the
 * authorization and receives the new tokens), so there is nothing it could learn from it.
 */
export const PROVIDER_EVENT_TYPES = [
  'link.revoked',
  'link.items_changed',
  'link.suspended',
  'link.resumed',
  'link.terminated',
  'link.expired',
  'chained_connection.stop_requested',
  'provider.suspended',
  'provider.resumed',
  'provider.terminated',
] as const;
export type ProviderEventType = (typeof PROVIDER_EVENT_TYPES)[number];

// With an SSF stream (lib/ssf/streams.ts) also: 'poll' (waiting to be polled and acknowledged,
// RFC 8936), 'held' (the stream is paused) and 'not_requested' (not asked for, or the stream is disabled).
export const PROVIDER_EVENT_STATES = ['pending', 'delivered', 'failed', 'no_endpoint', 'poll', 'held', 'not_requested'] as const;
export type ProviderEventState = (typeof PROVIDER_EVENT_STATES)[number];

/**
 * Event type URIs (RFC 8417 §2.2 `events` keys). None of the CAEP/RISC types fits: they speak
 * of the transmitter's own sessions and accounts, while these report the state of an OAuth
 * grant the receiver holds (Art. 4, 5.1, 5.2). So they live in the bank's own namespace; the
 * `.example` host is the sandbox's — a deployment would use a domain the bank controls.
 */
export const EVENT_TYPE_NAMESPACE = 'https://schemas.renkei.example/secevent/event-type/';

export function eventTypeUri(type: ProviderEventType): string {
  return `${EVENT_TYPE_NAMESPACE}${type.replace(/[._]/g, '-')}`;
}

// Without PUBLIC_ORIGIN, sandbox mode takes the issuer from each request's origin; an outbox row
// is written outside any request (the Art. 4 sweep), so it uses the documented default origin.
const SANDBOX_ORIGIN = 'http://localhost:3000';

/** The authorization server's issuer, as `lib/oauth/provider.ts` derives it (`<origin>/oauth`). */
export function eventIssuer(): string {
  const origin = env.PUBLIC_ORIGIN ?? (isSandbox ? SANDBOX_ORIGIN : undefined);
  if (!origin) throw new Error('PUBLIC_ORIGIN is required in production mode (the issuer of provider notifications is <origin>/oauth).');
  return `${origin}/oauth`;
}

/** SSF 1.0 §8.1.4: the event a stream verification sends (lib/ssf/streams.ts). */
export const VERIFICATION_EVENT = 'https://schemas.openid.net/secevent/ssf/event-type/verification';

type StreamForState = { status: string; deliveryMethod: string; eventsRequested: string[] | null };

/**
 * The state a new outbox row starts in: by the provider's SSF stream when it has one (disabled or
 * not requested: not delivered; paused: held; poll: waiting to be polled; push: the worker's), else
 * by its registered events endpoint.
 */
export function initialEventState(stream: StreamForState | null, eventsEndpoint: string | null, eventUri: string): ProviderEventState {
  if (!stream) return eventsEndpoint ? 'pending' : 'no_endpoint';
  if (stream.status === 'disabled') return 'not_requested';
  if (eventUri !== VERIFICATION_EVENT && stream.eventsRequested && !stream.eventsRequested.includes(eventUri)) return 'not_requested';
  if (stream.status === 'paused') return 'held';
  return stream.deliveryMethod === 'poll' ? 'poll' : 'pending';
}

export type ProviderEventInput = {
  providerId: string;
  linkId?: string | null;
  type: ProviderEventType;
  /** Event-specific members (snake_case), e.g. `reason` (Art. 5.2 code), `initiator`, `granted_items`. */
  detail?: Record<string, unknown>;
  /** SSF `txn`: the id of the change this event reports (the link history row). */
  txn?: string;
  now?: Date;
};

type SubjectIdentifier = { format: 'iss_sub'; iss: string; sub: string } | { format: 'opaque'; id: string };

export type SecurityEventClaims = {
  iss: string;
  iat: number;
  jti: string;
  aud: string;
  toe: number;
  txn?: string;
  sub_id: SubjectIdentifier;
  events: Record<string, Record<string, unknown>>;
};

/**
 * Records a notification for a provider in the outbox and returns its `jti`. Call it inside
 * the transaction of the change it reports: a rolled-back change leaves no event, a committed
 * one always has its event (the delivery worker sends it later, at least once, same `jti`).
 * A provider without an events endpoint gets the row too (state `no_endpoint`), for operators.
 */
export async function enqueueProviderEvent(tx: Executor, e: ProviderEventInput): Promise<string> {
  const now = e.now ?? new Date();
  const provider = await providerOf(tx, e.providerId);
  const customerId = e.linkId ? await linkCustomer(tx, e.providerId, e.linkId) : null;
  if (e.type.startsWith('link.') && !customerId) throw new Error(`${e.type} needs the link it is about`);
  const issuer = eventIssuer();
  const jti = randomUUID();
  const seconds = Math.floor(now.getTime() / 1000);
  const claims: SecurityEventClaims = {
    iss: issuer,
    iat: seconds,
    jti,
    aud: provider.clientId,
    toe: seconds,
    ...(e.txn ? { txn: e.txn } : {}),
    sub_id: customerId ? { format: 'iss_sub', iss: issuer, sub: customerId } : { format: 'opaque', id: provider.clientId },
    events: { [eventTypeUri(e.type)]: { ...(e.detail ?? {}), ...(e.linkId ? { link_id: e.linkId } : {}) } },
  };
  await tx.insert(providerEvents).values({
    jti,
    providerId: provider.id,
    linkId: e.linkId ?? null,
    eventType: e.type,
    claims,
    state: initialEventState(provider.stream, provider.eventsEndpoint, eventTypeUri(e.type)),
    nextAttemptAt: now,
    createdAt: now,
  });
  return jti;
}

async function providerOf(tx: Executor, providerId: string) {
  const [provider] = await tx
    .select({
      id: providers.id,
      clientId: providers.clientId,
      eventsEndpoint: providers.eventsEndpoint,
      streamStatus: ssfStreams.status,
      deliveryMethod: ssfStreams.deliveryMethod,
      eventsRequested: ssfStreams.eventsRequested,
    })
    .from(providers)
    .leftJoin(ssfStreams, eq(ssfStreams.providerId, providers.id))
    .where(eq(providers.id, providerId));
  if (!provider) throw new Error(`provider ${providerId} not found`);
  const { streamStatus, deliveryMethod, eventsRequested, ...rest } = provider;
  return { ...rest, stream: streamStatus && deliveryMethod ? { status: streamStatus, deliveryMethod, eventsRequested } : null };
}

/**
 * The customer of a link, which is the `sub` the provider received for this customer's tokens
 * (introspection; oidc-provider's accountId). With `aud` it names exactly one link (SPEC §4: one
 * customer × one provider); the bank's link id travels in the event as `link_id`.
 */
async function linkCustomer(tx: Executor, providerId: string, linkId: string): Promise<string> {
  const [link] = await tx
    .select({ customerId: links.customerId })
    .from(links)
    .where(and(eq(links.id, linkId), eq(links.providerId, providerId)));
  if (!link) throw new Error(`link ${linkId} of provider ${providerId} not found`);
  return link.customerId;
}

import { and, desc, eq, type SQL } from 'drizzle-orm';
import type { StaffPrincipal } from '@/lib/auth/types';
import type { Executor } from '@/lib/db/connect';
import { providerEvents, providers } from '@/lib/db/schema';
import { eventTypeUri, PROVIDER_EVENT_STATES, PROVIDER_EVENT_TYPES, type ProviderEventState, type ProviderEventType } from './outbox';
import { isUuid } from '@/lib/domain/ids';
import { assertStaff } from '@/lib/staff/assert-staff';

export type ProviderEventFilter = { providerId?: string; state?: string; limit?: number };

export type ProviderEventDTO = {
  jti: string;
  /** One of PROVIDER_EVENT_TYPES (a string, so a row written by a newer version still lists). */
  type: ProviderEventType | (string & {});
  typeUri: string | null;
  provider: { id: string; clientId: string; nameJa: string; nameEn: string };
  linkId: string | null;
  state: ProviderEventState;
  attempts: number;
  createdAt: Date;
  lastAttemptAt: Date | null;
  lastError: string | null;
  deliveredAt: Date | null;
  /** Only while the event is still to be sent. */
  nextAttemptAt: Date | null;
};

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 500;

/**
 * For the staff and operator view: each notification to providers and how its delivery stands,
 * newest first. Read-only; shows no customer data beyond the link id.
 */
export async function listProviderEvents(db: Executor, principal: StaffPrincipal, filter: ProviderEventFilter = {}): Promise<ProviderEventDTO[]> {
  // Checked here, not only in the route: the data layer decides (STYLE: data and authority).
  assertStaff(principal);
  const conditions: SQL[] = [];
  if (filter.providerId !== undefined) {
    if (!isUuid(filter.providerId)) return []; // a malformed id matches nothing (and is no SQL error)
    conditions.push(eq(providerEvents.providerId, filter.providerId));
  }
  if (filter.state !== undefined) {
    if (!isState(filter.state)) return [];
    conditions.push(eq(providerEvents.state, filter.state));
  }
  const limit = Math.min(Math.max(1, Math.floor(filter.limit ?? DEFAULT_LIMIT)), MAX_LIMIT);
  const rows = await db
    .select({
      jti: providerEvents.jti,
      eventType: providerEvents.eventType,
      providerId: providers.id,
      clientId: providers.clientId,
      nameJa: providers.nameJa,
      nameEn: providers.nameEn,
      linkId: providerEvents.linkId,
      state: providerEvents.state,
      attempts: providerEvents.attempts,
      createdAt: providerEvents.createdAt,
      lastAttemptAt: providerEvents.lastAttemptAt,
      lastError: providerEvents.lastError,
      deliveredAt: providerEvents.deliveredAt,
      nextAttemptAt: providerEvents.nextAttemptAt,
    })
    .from(providerEvents)
    .innerJoin(providers, eq(providers.id, providerEvents.providerId))
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    // One provider's events are read from its own (provider, newest, jti) index: with the provider
    // as the first key of the order (one value here, so the order is the same) no other index
    // gives it, and the planner cannot pick the all-providers index and filter its way to a page
    // (it did, on some statistics: 601 rows read for a page).
    .orderBy(...(filter.providerId !== undefined ? [desc(providerEvents.providerId)] : []), desc(providerEvents.createdAt), desc(providerEvents.jti))
    .limit(Number.isFinite(limit) ? limit : DEFAULT_LIMIT);
  return rows.map(toDto);
}

function toDto(row: {
  jti: string;
  eventType: string;
  providerId: string;
  clientId: string;
  nameJa: string;
  nameEn: string;
  linkId: string | null;
  state: string;
  attempts: number;
  createdAt: Date;
  lastAttemptAt: Date | null;
  lastError: string | null;
  deliveredAt: Date | null;
  nextAttemptAt: Date;
}): ProviderEventDTO {
  const known = PROVIDER_EVENT_TYPES.find((t) => t === row.eventType);
  const state: ProviderEventState = isState(row.state) ? row.state : 'pending';
  return {
    jti: row.jti,
    type: row.eventType,
    typeUri: known ? eventTypeUri(known) : null,
    provider: { id: row.providerId, clientId: row.clientId, nameJa: row.nameJa, nameEn: row.nameEn },
    linkId: row.linkId,
    state,
    attempts: row.attempts,
    createdAt: row.createdAt,
    lastAttemptAt: row.lastAttemptAt,
    lastError: row.lastError,
    deliveredAt: row.deliveredAt,
    nextAttemptAt: state === 'pending' ? row.nextAttemptAt : null,
  };
}

function isState(value: string): value is ProviderEventState {
  return (PROVIDER_EVENT_STATES as readonly string[]).includes(value);
}

import { sql } from 'drizzle-orm';
import type { AdapterPayload } from 'oidc-provider';
import { preparedPerDb, type Db } from '@/lib/db/connect';
import { storedPayload } from '@/lib/oauth/adapter';
import type { LinkStatus } from '@/lib/domain/link-status';
import type { PermissionItem } from '@/lib/domain/permission-items';
import type { WindowCount } from './rate-limit';

/** How long a DPoP proof's replay record is kept: past the ±60 s iat window with a margin. */
export const REPLAY_RECORD_MS = 3 * 60_000;

/** Everything the consent check needs about one call, read in one statement at one instant. */
export type CallState = {
  /** The end of the maintenance window in force (latest-ending when windows overlap), or null. */
  maintenanceEndsAt: Date | null;
  /** False when this proof's `jkt:jti` was already recorded: a replay. */
  proofFresh: boolean;
  /** The access token's record at the authorization server, if it exists and has not expired. */
  token: AdapterPayload | undefined;
  /** The link behind the token's grant and customer, with its provider. */
  link: {
    id: string;
    customerId: string;
    status: LinkStatus;
    expiresAt: Date;
    lastUsedAt: Date | null;
    inactivityDays: number;
    providerStatus: string;
  } | null;
  /** The link's granted items, with when each was last used. */
  granted: { item: PermissionItem; lastUsedAt: Date | null }[];
  /** Whether the account asked for is one of the link's accounts (false when none was asked for). */
  accountInConsent: boolean;
  /**
   * The account asked for, read in the same snapshot, when it is in the consent and belongs to
   * the link's customer (else null). For the caller to use only once every check has passed.
   */
  account: { id: string; type: string; balance: number } | null;
  /**
   * The call's traffic-limit windows, counted in the same statement when asked to (`limitWindowMs`)
   * and the call is one that would go on (outside maintenance, a fresh proof, a live token bound
   * to the proof's key, a link behind it); else null.
   */
  limits: WindowCount[] | null;
};

type Row = {
  maintenance_ends_at: Date | string | null;
  proof_fresh: boolean;
  token_payload: Record<string, unknown> | string | null;
  token_consumed_at: Date | string | null;
  link_id: string | null;
  customer_id: string | null;
  link_status: LinkStatus | null;
  link_expires_at: Date | string | null;
  link_last_used_at: Date | string | null;
  inactivity_days: number | null;
  provider_status: string | null;
  granted: { item: PermissionItem; last_used_at: string | null }[] | string | null;
  account_in_consent: boolean;
  account_type: string | null;
  account_balance: number | string | null;
  provider_points: number | null;
  provider_expire: Date | string | null;
  link_points: number | null;
  link_expire: Date | string | null;
};

const date = (value: Date | string | null): Date | null => (value === null ? null : value instanceof Date ? value : new Date(value));
const json = <T>(value: T | string | null): T | null => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

const column = <T>(name: keyof Row) => sql<T>`${sql.identifier('s')}.${sql.identifier(name)}`;
const fields = {
  maintenance_ends_at: column<Row['maintenance_ends_at']>('maintenance_ends_at'),
  proof_fresh: column<Row['proof_fresh']>('proof_fresh'),
  token_payload: column<Row['token_payload']>('token_payload'),
  token_consumed_at: column<Row['token_consumed_at']>('token_consumed_at'),
  link_id: column<Row['link_id']>('link_id'),
  customer_id: column<Row['customer_id']>('customer_id'),
  link_status: column<Row['link_status']>('link_status'),
  link_expires_at: column<Row['link_expires_at']>('link_expires_at'),
  link_last_used_at: column<Row['link_last_used_at']>('link_last_used_at'),
  inactivity_days: column<Row['inactivity_days']>('inactivity_days'),
  provider_status: column<Row['provider_status']>('provider_status'),
  granted: column<Row['granted']>('granted'),
  account_in_consent: column<Row['account_in_consent']>('account_in_consent'),
  account_type: column<Row['account_type']>('account_type'),
  account_balance: column<Row['account_balance']>('account_balance'),
  provider_points: column<Row['provider_points']>('provider_points'),
  provider_expire: column<Row['provider_expire']>('provider_expire'),
  link_points: column<Row['link_points']>('link_points'),
  link_expire: column<Row['link_expire']>('link_expire'),
};

// Built and prepared once per database handle: the hot path neither builds SQL nor plans it
// (the function's plan is cached by the server per connection; drizzle/0008_api_call_state.sql,
// and 0023 for the overload that also counts the traffic-limit windows).
const callStateStatement = preparedPerDb((db) =>
  db
    .select(fields)
    .from(
      sql`renkei_api_call_state(${sql.placeholder('now')}::timestamptz, ${sql.placeholder('proofId')}, ${sql.placeholder('replayExpiresAt')}::timestamptz, ${sql.placeholder('accessToken')}, ${sql.placeholder('accountId')}, ${sql.placeholder('jkt')}, ${sql.placeholder('limitWindowMs')}::int) as s`,
    )
    .prepare('renkei_api_call_state_counted'),
);

/**
 * One round trip for every check of a provider API call (see authorizeApiCall for their order),
 * through the database function renkei_api_call_state: the maintenance window, the DPoP replay
 * record (written only outside maintenance; a conflict means replay), the access token's record,
 * the link and its provider, the granted items and the account; and, with `limitWindowMs` (the
 * PostgreSQL store of the traffic limits), the call's point in each limit window. Nothing comes
 * from a cache: one statement sees one snapshot, taken after whatever revoke or suspension
 * returned before the call.
 */
export async function readCallState(
  db: Db,
  call: { accessToken: string; proofId: string; accountId: string | undefined; now: Date; jkt?: string; limitWindowMs?: number },
): Promise<CallState> {
  // Times as ISO text: drizzle's postgres-js driver sends parameters without serialising Dates.
  const [row] = await callStateStatement(db).execute({
    now: call.now.toISOString(),
    proofId: call.proofId,
    replayExpiresAt: new Date(call.now.getTime() + REPLAY_RECORD_MS).toISOString(),
    accessToken: call.accessToken,
    accountId: call.accountId ?? '',
    jkt: call.jkt ?? '',
    limitWindowMs: call.limitWindowMs ?? 0,
  });
  if (!row) throw new Error('renkei_api_call_state returned no row');
  const payload = json(row.token_payload);
  return {
    maintenanceEndsAt: date(row.maintenance_ends_at),
    proofFresh: row.proof_fresh === true,
    token: payload ? storedPayload(payload, date(row.token_consumed_at)) : undefined,
    link:
      row.link_id && row.customer_id && row.link_status && row.link_expires_at
        ? {
            id: row.link_id,
            customerId: row.customer_id,
            status: row.link_status,
            expiresAt: date(row.link_expires_at)!,
            lastUsedAt: date(row.link_last_used_at),
            inactivityDays: Number(row.inactivity_days),
            providerStatus: row.provider_status ?? 'unknown',
          }
        : null,
    granted: (json(row.granted) ?? []).map((g) => ({ item: g.item, lastUsedAt: date(g.last_used_at) })),
    accountInConsent: row.account_in_consent === true,
    account:
      call.accountId && row.account_type !== null && row.account_balance !== null
        ? { id: call.accountId, type: row.account_type, balance: Number(row.account_balance) }
        : null,
    limits:
      row.provider_points !== null && row.link_points !== null && row.provider_expire && row.link_expire
        ? [
            { name: 'provider', points: Number(row.provider_points), expire: date(row.provider_expire)! },
            { name: 'link', points: Number(row.link_points), expire: date(row.link_expire)! },
          ]
        : null,
  };
}

import { and, eq, isNull } from 'drizzle-orm';
import type { OperatorActor } from '@/lib/auth/types';
import type { Db, Executor } from '@/lib/db/connect';
import { chainedConnections, customers, disclosures, links, maintenanceWindows, operationsLog, providers, termsVersions } from '@/lib/db/schema';
import { DomainError } from '@/lib/domain/link-rules';
import { FINAL_STATUSES, hasBankHold, SUSPENSION_REASONS, type LinkStatus, type SuspensionReason } from '@/lib/domain/link-status';
import { enqueueProviderEvent } from '@/lib/events/outbox';
import { changeLink, lockLink, lockLinks, providerLinks, type LinkActor, type LockedLink } from '@/lib/links/lifecycle';
import type { TermsDocument } from '@/lib/terms/types';
import { OperationError } from './errors';
import { isUuid } from '@/lib/domain/ids';

// The bank's own actions (SPEC §1 operations; Art. 5.2, 6.1, 7, 9). Each is one transaction: the
// change (each link's through lib/links/lifecycle.ts), the operations log for the action itself
// and the providers' provider-wide notifications in the outbox. Only an operator or a scripted
// CLI run may call them; the staff view's read-only role has no path here.

export function actorId(actor: OperatorActor): string {
  return actor.kind === 'cli' ? `cli:${actor.name}` : actor.staffUserId;
}

async function logOperation(tx: Executor, actor: OperatorActor, action: string, target: { type: string; id: string }, detail: Record<string, unknown>, now: Date) {
  await tx.insert(operationsLog).values({ at: now, actor: actorId(actor), action, targetType: target.type, targetId: target.id, detail });
}

const FINAL = [...FINAL_STATUSES] as LinkStatus[];

const bank = (actor: OperatorActor): LinkActor => ({ type: 'bank', id: actorId(actor) });

/** The lifecycle's refusals in the operator's words (the codes the operator UI and the CLI know). */
const OPERATION_CODES: Partial<Record<DomainError['code'], OperationError['code']>> = {
  not_found: 'not_found',
  link_final: 'final',
  link_not_active: 'not_active',
  not_suspended: 'not_suspended',
  no_hold: 'not_suspended',
  provider_not_active: 'provider_not_active',
};

function asOperationError(error: unknown): never {
  const code = error instanceof DomainError ? OPERATION_CODES[error.code] : undefined;
  throw code ? new OperationError(code) : error;
}

async function lockOne(tx: Executor, linkId: string): Promise<LockedLink> {
  if (!isUuid(linkId)) throw new OperationError('not_found');
  return lockLink(tx, { linkId }).catch(asOperationError);
}

// ---- One link ----

/** Art. 5.2: the bank suspends one link for reason (1)–(7). The API denies it from the next call. */
export async function suspendLink(db: Db, actor: OperatorActor, input: { linkId: string; reason: SuspensionReason; note: string }, now: Date = new Date()) {
  assertSuspensionReason(input.reason);
  return db.transaction(async (tx) => {
    const link = await lockOne(tx, input.linkId);
    await changeLink(tx, link, { kind: 'suspend', reason: input.reason, note: input.note, withProvider: false }, bank(actor), now).catch(asOperationError);
    await logOperation(tx, actor, 'link.suspend', { type: 'link', id: link.id }, { reason: input.reason, note: input.note }, now);
  });
}

/**
 * The bank lifts a suspension. Refused while the provider itself is suspended or ended. On a link
 * stopped while the bank held it (revoked, still held: `hasBankHold`), it lifts the hold only: the
 * link stays stopped, and the customer may consent to the provider again.
 */
export async function resumeLink(db: Db, actor: OperatorActor, input: { linkId: string; note: string }, now: Date = new Date()): Promise<'resumed' | 'hold_lifted'> {
  return db.transaction(async (tx) => {
    const link = await lockOne(tx, input.linkId);
    const liftHold = link.status === 'revoked' && hasBankHold(link);
    await changeLink(tx, link, liftHold ? { kind: 'lift_hold', note: input.note } : { kind: 'resume', note: input.note }, bank(actor), now).catch(asOperationError);
    await logOperation(tx, actor, liftHold ? 'link.lift_hold' : 'link.resume', { type: 'link', id: link.id }, { note: input.note }, now);
    return liftHold ? 'hold_lifted' : 'resumed';
  });
}

// ---- A provider and all its links ----

async function lockProvider(tx: Executor, providerId: string) {
  if (!isUuid(providerId)) throw new OperationError('not_found');
  const [provider] = await tx.select({ id: providers.id, status: providers.status }).from(providers).where(eq(providers.id, providerId)).for('update');
  if (!provider) throw new OperationError('not_found');
  return provider;
}

/** Art. 5.2: suspend a provider: it gets no token and no API answer, and each of its active links is suspended. */
export async function suspendProvider(db: Db, actor: OperatorActor, input: { providerId: string; reason: SuspensionReason; note: string }, now: Date = new Date()) {
  assertSuspensionReason(input.reason);
  return db.transaction(async (tx) => {
    const provider = await lockProvider(tx, input.providerId);
    if (provider.status !== 'active') throw new OperationError(provider.status === 'terminated' ? 'final' : 'not_active');
    await tx.update(providers).set({ status: 'suspended', suspensionReason: input.reason, statusChangedAt: now }).where(eq(providers.id, provider.id));
    const affected = await lockLinks(tx, providerLinks(provider.id, { in: ['active'] }));
    for (const link of affected) await changeLink(tx, link, { kind: 'suspend', reason: input.reason, note: input.note, withProvider: true }, bank(actor), now);
    await enqueueProviderEvent(tx, { providerId: provider.id, type: 'provider.suspended', detail: { reason: input.reason }, now });
    await logOperation(tx, actor, 'provider.suspend', { type: 'provider', id: provider.id }, { reason: input.reason, note: input.note, links: affected.length }, now);
    return { links: affected.length };
  });
}

/** Lifts a provider's suspension and the link suspensions that came with it (not ones made one by one). */
export async function resumeProvider(db: Db, actor: OperatorActor, input: { providerId: string; note: string }, now: Date = new Date()) {
  return db.transaction(async (tx) => {
    const provider = await lockProvider(tx, input.providerId);
    if (provider.status !== 'suspended') throw new OperationError(provider.status === 'terminated' ? 'final' : 'not_suspended');
    await tx.update(providers).set({ status: 'active', suspensionReason: null, statusChangedAt: now }).where(eq(providers.id, provider.id));
    const suspended = await lockLinks(tx, providerLinks(provider.id, { in: ['suspended'] }, eq(links.suspendedVia, 'provider')));
    for (const link of suspended) await changeLink(tx, link, { kind: 'resume', note: input.note }, bank(actor), now);
    await enqueueProviderEvent(tx, { providerId: provider.id, type: 'provider.resumed', now });
    await logOperation(tx, actor, 'provider.resume', { type: 'provider', id: provider.id }, { note: input.note, links: suspended.length }, now);
    return { links: suspended.length };
  });
}

/** Art. 5.2(6): the provider's contract ended. Every link not already final is terminated and its tokens die. */
export async function terminateProvider(db: Db, actor: OperatorActor, input: { providerId: string; note: string }, now: Date = new Date()) {
  return db.transaction(async (tx) => {
    const provider = await lockProvider(tx, input.providerId);
    if (provider.status === 'terminated') throw new OperationError('final');
    await tx.update(providers).set({ status: 'terminated', suspensionReason: 6, statusChangedAt: now }).where(eq(providers.id, provider.id));
    const ended = await lockLinks(tx, providerLinks(provider.id, { notIn: FINAL }));
    for (const link of ended) await changeLink(tx, link, { kind: 'terminate', reason: 6, note: input.note }, bank(actor), now);
    await enqueueProviderEvent(tx, { providerId: provider.id, type: 'provider.terminated', detail: { reason: 6 }, now });
    await logOperation(tx, actor, 'provider.terminate', { type: 'provider', id: provider.id }, { note: input.note, links: ended.length }, now);
    return { links: ended.length };
  });
}

/** Art. 5.2 (last sentence): the bank asks a provider to stop a chained connection. Shown on each affected link. */
export async function requestChainedConnectionStopByBank(db: Db, actor: OperatorActor, input: { chainedConnectionId: string; note: string }, now: Date = new Date()) {
  if (!isUuid(input.chainedConnectionId)) throw new OperationError('not_found');
  return db.transaction(async (tx) => {
    const [connection] = await tx
      .update(chainedConnections)
      .set({ bankStopRequestedAt: now, bankStopRequestNote: input.note })
      .where(and(eq(chainedConnections.id, input.chainedConnectionId), isNull(chainedConnections.bankStopRequestedAt)))
      .returning({ id: chainedConnections.id, providerId: chainedConnections.providerId, name: chainedConnections.name });
    if (!connection) {
      const [exists] = await tx.select({ id: chainedConnections.id }).from(chainedConnections).where(eq(chainedConnections.id, input.chainedConnectionId));
      throw new OperationError(exists ? 'already_requested' : 'not_found');
    }
    const affected = await lockLinks(tx, providerLinks(connection.providerId, { notIn: FINAL }));
    for (const link of affected) await changeLink(tx, link, { kind: 'bank_chained_stop_requested', name: connection.name }, bank(actor), now);
    await enqueueProviderEvent(tx, {
      providerId: connection.providerId,
      type: 'chained_connection.stop_requested',
      detail: { chained_connection: connection.name, initiator: 'bank' },
      now,
    });
    await logOperation(tx, actor, 'chained_connection.stop_request', { type: 'chained_connection', id: connection.id }, { name: connection.name, note: input.note, links: affected.length }, now);
    return { links: affected.length };
  });
}

// ---- Maintenance (Art. 6.1) ----

export async function scheduleMaintenance(
  db: Db,
  actor: OperatorActor,
  input: { startsAt: Date; endsAt: Date; noteJa: string; noteEn: string },
  now: Date = new Date(),
): Promise<{ id: string }> {
  if (!(input.endsAt.getTime() > input.startsAt.getTime()) || input.endsAt.getTime() <= now.getTime()) throw new OperationError('window_invalid');
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(maintenanceWindows)
      .values({ startsAt: input.startsAt, endsAt: input.endsAt, noteJa: input.noteJa, noteEn: input.noteEn, createdBy: actorId(actor), createdAt: now })
      .returning({ id: maintenanceWindows.id });
    if (!row) throw new Error('insert returned nothing');
    await logOperation(tx, actor, 'maintenance.schedule', { type: 'maintenance', id: row.id }, { startsAt: input.startsAt.toISOString(), endsAt: input.endsAt.toISOString() }, now);
    return row;
  });
}

export async function cancelMaintenance(db: Db, actor: OperatorActor, input: { id: string }, now: Date = new Date()) {
  if (!isUuid(input.id)) throw new OperationError('not_found');
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(maintenanceWindows)
      .set({ cancelledAt: now })
      .where(and(eq(maintenanceWindows.id, input.id), isNull(maintenanceWindows.cancelledAt)))
      .returning({ id: maintenanceWindows.id });
    if (!row) throw new OperationError('not_found');
    await logOperation(tx, actor, 'maintenance.cancel', { type: 'maintenance', id: row.id }, {}, now);
  });
}

// ---- Terms (Art. 9) ----

/** Publishes a new version: announced now, in force from its effective date (which must be in the future). */
export async function publishTerms(
  db: Db,
  actor: OperatorActor,
  input: { id: string; revisedOn: string; effectiveFrom: Date; body: TermsDocument },
  now: Date = new Date(),
) {
  if (input.effectiveFrom.getTime() <= now.getTime()) throw new OperationError('terms_not_future');
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(termsVersions)
      .values({ id: input.id, revisedOn: input.revisedOn, effectiveFrom: input.effectiveFrom, publishedAt: now, body: input.body })
      .onConflictDoNothing()
      .returning({ id: termsVersions.id });
    if (inserted.length === 0) throw new OperationError('terms_exists');
    await logOperation(tx, actor, 'terms.publish', { type: 'terms', id: input.id }, { revisedOn: input.revisedOn, effectiveFrom: input.effectiveFrom.toISOString() }, now);
  });
}

// ---- Disclosures (Art. 7) ----

export const DISCLOSURE_REASONS = [1, 2, 3, 4] as const;
export type DisclosureReason = (typeof DISCLOSURE_REASONS)[number];

/** Art. 7: records what customer information was disclosed to which provider, why and when. */
export async function recordDisclosure(
  db: Db,
  actor: OperatorActor,
  input: { customerNumber: string; providerId: string; information: string; reason: DisclosureReason; disclosedAt: Date; note: string },
  now: Date = new Date(),
): Promise<{ id: string }> {
  if (!isUuid(input.providerId)) throw new OperationError('not_found');
  // The column is a plain integer: only Art. 7 (1)–(4), a real date not in the future, and words.
  if (!(DISCLOSURE_REASONS as readonly number[]).includes(input.reason) || input.information.trim() === '') throw new OperationError('invalid');
  if (Number.isNaN(input.disclosedAt.getTime()) || input.disclosedAt.getTime() > now.getTime()) throw new OperationError('invalid');
  return db.transaction(async (tx) => {
    const [customer] = await tx.select({ id: customers.id }).from(customers).where(eq(customers.customerNumber, input.customerNumber));
    const [provider] = await tx.select({ id: providers.id }).from(providers).where(eq(providers.id, input.providerId));
    if (!customer || !provider) throw new OperationError('not_found');
    const [row] = await tx
      .insert(disclosures)
      .values({
        customerId: customer.id,
        providerId: provider.id,
        information: input.information,
        reason: input.reason,
        disclosedAt: input.disclosedAt,
        note: input.note,
        recordedBy: actorId(actor),
        recordedAt: now,
      })
      .returning({ id: disclosures.id });
    if (!row) throw new Error('insert returned nothing');
    await logOperation(tx, actor, 'disclosure.record', { type: 'disclosure', id: row.id }, { customerId: customer.id, providerId: provider.id, reason: input.reason }, now);
    return row;
  });
}


// The column is a plain integer and the customer reads a text per code (Art. 5.2 (1)–(7)).
function assertSuspensionReason(reason: number): void {
  if (!(SUSPENSION_REASONS as readonly number[]).includes(reason)) throw new OperationError('invalid');
}


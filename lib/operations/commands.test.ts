import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorActor, OperatorPrincipal, StaffPrincipal } from '@/lib/auth/types';
import type { Database } from '@/lib/db/connect';
import {
  chainedConnections,
  customers,
  disclosures,
  linkHistory,
  links,
  maintenanceWindows,
  oauthRecords,
  operationsLog,
  providerEvents,
  providers,
  staffAccessLog,
  staffUsers,
  termsVersions,
} from '@/lib/db/schema';
import { termsDocuments } from '@/lib/terms/documents';
import { parseTermsText } from '@/lib/terms/parse';
import { getTermsOverview } from '@/lib/terms/queries';
import { termsToPlainText } from '@/lib/terms/render';
import { openTestDatabase, onServer } from '@/test/db';
import {
  cancelMaintenance,
  publishTerms,
  recordDisclosure,
  requestChainedConnectionStopByBank,
  resumeLink,
  resumeProvider,
  scheduleMaintenance,
  suspendLink,
  suspendProvider,
  terminateProvider,
} from './commands';
import { OperationError } from './errors';
import { maintenanceInForce, upcomingMaintenance } from './maintenance';
import { listOpenMaintenanceWindows, listOperationsLog, listRecentDisclosures } from './queries';

let database: Database;
let operator: OperatorPrincipal;
let readOnlyStaff: StaffPrincipal;
const cli: OperatorActor = { kind: 'cli', name: 'tester' };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function providerId(clientId: string): Promise<string> {
  const [row] = await database.db.select({ id: providers.id }).from(providers).where(eq(providers.clientId, clientId));
  if (!row) throw new Error(`no provider ${clientId}`);
  return row.id;
}

async function linkOf(logonId: string, clientId: string): Promise<string> {
  const [row] = await database.db
    .select({ id: links.id })
    .from(links)
    .innerJoin(customers, eq(customers.id, links.customerId))
    .innerJoin(providers, eq(providers.id, links.providerId))
    .where(and(eq(customers.logonId, logonId), eq(providers.clientId, clientId)));
  if (!row) throw new Error(`no link ${logonId}/${clientId}`);
  return row.id;
}

async function linkRow(id: string) {
  const [row] = await database.db
    .select({ status: links.status, reason: links.suspensionReason, note: links.suspensionNote, via: links.suspendedVia, grantId: links.grantId, version: links.version })
    .from(links)
    .where(eq(links.id, id));
  if (!row) throw new Error(`no link ${id}`);
  return row;
}

async function historyOf(linkId: string) {
  return database.db
    .select({ event: linkHistory.event, actorType: linkHistory.actorType, actorId: linkHistory.actorId, detail: linkHistory.detail })
    .from(linkHistory)
    .where(eq(linkHistory.linkId, linkId))
    .orderBy(asc(linkHistory.id));
}

async function lastOperation() {
  const [row] = await database.db
    .select({ actor: operationsLog.actor, action: operationsLog.action, targetType: operationsLog.targetType, targetId: operationsLog.targetId, detail: operationsLog.detail })
    .from(operationsLog)
    .orderBy(sql`${operationsLog.id} desc`)
    .limit(1);
  return row;
}

async function eventsFor(filter: { linkId?: string; providerId?: string; type: string }) {
  return database.db
    .select({ type: providerEvents.eventType, claims: providerEvents.claims })
    .from(providerEvents)
    .where(
      and(
        eq(providerEvents.eventType, filter.type),
        filter.linkId ? eq(providerEvents.linkId, filter.linkId) : undefined,
        filter.providerId ? eq(providerEvents.providerId, filter.providerId) : undefined,
      ),
    );
}

async function expectOperationError(promise: Promise<unknown>, code: OperationError['code']): Promise<void> {
  await expect(promise).rejects.toSatisfy((e: unknown) => e instanceof OperationError && e.code === code);
}

beforeAll(async () => {
  database = await openTestDatabase();
  const [op] = await database.db.select({ id: staffUsers.id, name: staffUsers.name }).from(staffUsers).where(eq(staffUsers.logonId, 'operator'));
  const [st] = await database.db.select({ id: staffUsers.id, name: staffUsers.name }).from(staffUsers).where(eq(staffUsers.logonId, 'staff'));
  if (!op || !st) throw new Error('demo staff missing');
  operator = { kind: 'staff', staffUserId: op.id, role: 'operator', name: op.name, sessionId: 'test' };
  readOnlyStaff = { kind: 'staff', staffUserId: st.id, role: 'staff', name: st.name, sessionId: 'test' };
});
afterAll(async () => {
  await database?.close();
});

describe(`operator commands (${onServer ? 'PostgreSQL server' : 'PGlite'})`, () => {
  describe('one link (Art. 5.2)', () => {
    it('suspends a link: status, reason, history row by the bank, operations log, a provider event', async () => {
      const id = await linkOf('demo', 'ledgerly');
      const before = await linkRow(id);
      await suspendLink(database.db, operator, { linkId: id, reason: 3, note: '不正利用の疑い（調査中）' });
      expect(await linkRow(id)).toMatchObject({ status: 'suspended', reason: 3, note: '不正利用の疑い（調査中）', via: 'link', version: before.version + 1 });
      expect((await historyOf(id)).at(-1)).toEqual({ event: 'link_suspended', actorType: 'bank', actorId: operator.staffUserId, detail: { reason: 3, note: '不正利用の疑い（調査中）' } });
      expect(await lastOperation()).toEqual({ actor: operator.staffUserId, action: 'link.suspend', targetType: 'link', targetId: id, detail: { reason: 3, note: '不正利用の疑い（調査中）' } });
      const events = await eventsFor({ linkId: id, type: 'link.suspended' });
      expect(events).toHaveLength(1);
      expect(Object.values(events[0]!.claims.events as Record<string, unknown>)[0]).toEqual({ reason: 3, link_id: id });
    });

    it('refuses to suspend a link twice, a final link, an unknown id and a reason outside (1)–(7)', async () => {
      await expectOperationError(suspendLink(database.db, cli, { linkId: await linkOf('demo', 'ledgerly'), reason: 1, note: '' }), 'not_active');
      await expectOperationError(suspendLink(database.db, cli, { linkId: await linkOf('demo', 'receipt-note'), reason: 1, note: '' }), 'final');
      await expectOperationError(suspendLink(database.db, cli, { linkId: '00000000-0000-4000-8000-000000000000', reason: 1, note: '' }), 'not_found');
      await expectOperationError(suspendLink(database.db, cli, { linkId: 'not-a-uuid', reason: 1, note: '' }), 'not_found');
      await expectOperationError(suspendLink(database.db, cli, { linkId: await linkOf('demo2', 'ledgerly'), reason: 8 as never, note: '' }), 'invalid');
    });

    it('resumes it: active again, reason cleared, history row, event; a CLI run is recorded as cli:<user>', async () => {
      const id = await linkOf('demo', 'ledgerly');
      await resumeLink(database.db, cli, { linkId: id, note: '調査完了' });
      expect(await linkRow(id)).toMatchObject({ status: 'active', reason: null, note: null, via: null });
      expect((await historyOf(id)).at(-1)).toEqual({ event: 'link_resumed', actorType: 'bank', actorId: 'cli:tester', detail: { note: '調査完了' } });
      expect(await lastOperation()).toMatchObject({ actor: 'cli:tester', action: 'link.resume', targetId: id });
      expect(await eventsFor({ linkId: id, type: 'link.resumed' })).toHaveLength(1);
      await expectOperationError(resumeLink(database.db, cli, { linkId: id, note: '' }), 'not_suspended');
    });
  });

  describe('a provider and its links (Art. 5.2)', () => {
    it('suspends every active link of the provider (others untouched), and resumes only those', async () => {
      const kakeibo = await providerId('kakeibo-plus');
      const demoKakeibo = await linkOf('demo', 'kakeibo-plus');
      const demo2Kakeibo = await linkOf('demo2', 'kakeibo-plus');
      const demo2Ledgerly = await linkOf('demo2', 'ledgerly');
      // Suspended on its own before: stays suspended when the provider is resumed.
      await suspendLink(database.db, cli, { linkId: demo2Kakeibo, reason: 1, note: 'single' });

      const result = await suspendProvider(database.db, operator, { providerId: kakeibo, reason: 2, note: '不正アクセスの疑い' });
      expect(result).toEqual({ links: 1 });
      const [provider] = await database.db.select({ status: providers.status, reason: providers.suspensionReason }).from(providers).where(eq(providers.id, kakeibo));
      expect(provider).toEqual({ status: 'suspended', reason: 2 });
      expect(await linkRow(demoKakeibo)).toMatchObject({ status: 'suspended', reason: 2, via: 'provider' });
      expect(await linkRow(demo2Kakeibo)).toMatchObject({ status: 'suspended', reason: 1, via: 'link' });
      expect(await linkRow(demo2Ledgerly)).toMatchObject({ status: 'active', reason: null });
      expect((await historyOf(demoKakeibo)).at(-1)).toMatchObject({ event: 'link_suspended', actorType: 'bank', detail: { reason: 2, withProvider: true } });
      expect(await eventsFor({ providerId: kakeibo, type: 'provider.suspended' })).toHaveLength(1);
      expect(await lastOperation()).toMatchObject({ action: 'provider.suspend', targetType: 'provider', targetId: kakeibo, detail: { reason: 2, links: 1 } });

      // A link cannot be resumed while its provider is suspended.
      await expectOperationError(resumeLink(database.db, cli, { linkId: demoKakeibo, note: '' }), 'provider_not_active');
      await expectOperationError(suspendProvider(database.db, cli, { providerId: kakeibo, reason: 2, note: '' }), 'not_active');

      expect(await resumeProvider(database.db, operator, { providerId: kakeibo, note: '対応完了' })).toEqual({ links: 1 });
      expect(await linkRow(demoKakeibo)).toMatchObject({ status: 'active', reason: null, via: null });
      expect(await linkRow(demo2Kakeibo)).toMatchObject({ status: 'suspended', reason: 1, via: 'link' });
      expect((await historyOf(demoKakeibo)).at(-1)).toMatchObject({ event: 'link_resumed', actorType: 'bank' });
      expect(await eventsFor({ providerId: kakeibo, type: 'provider.resumed' })).toHaveLength(1);
      await expectOperationError(resumeProvider(database.db, cli, { providerId: kakeibo, note: '' }), 'not_suspended');

      await resumeLink(database.db, cli, { linkId: demo2Kakeibo, note: '' });
      expect(await linkRow(demo2Kakeibo)).toMatchObject({ status: 'active' });
    });

    it('refuses to resume a link (suspended on its own) while its provider is suspended', async () => {
      const tamemaru = await providerId('tamemaru');
      const link = await linkOf('demo', 'tamemaru'); // seeded suspended, Art. 5.2(2)
      await suspendProvider(database.db, cli, { providerId: tamemaru, reason: 7, note: '' });
      expect(await linkRow(link)).toMatchObject({ status: 'suspended', reason: 2 }); // not re-suspended, keeps its reason
      await expectOperationError(resumeLink(database.db, cli, { linkId: link, note: '' }), 'provider_not_active');
      await resumeProvider(database.db, cli, { providerId: tamemaru, note: '' });
      expect(await linkRow(link)).toMatchObject({ status: 'suspended', reason: 2 });
    });

    it('terminates a provider (Art. 5.2(6)): links final, their grants’ tokens gone, other grants kept; a second terminate is refused', async () => {
      const payroute = await providerId('payroute');
      const link = await linkOf('demo', 'payroute'); // expired
      await database.db.update(links).set({ grantId: 'grant-payroute' }).where(eq(links.id, link));
      await database.db.insert(oauthRecords).values([
        { model: 'Grant', id: 'grant-payroute', payload: {} },
        { model: 'AccessToken', id: 'at-payroute', payload: {}, grantId: 'grant-payroute' },
        { model: 'RefreshToken', id: 'rt-payroute', payload: {}, grantId: 'grant-payroute' },
        { model: 'RefreshToken', id: 'rt-other', payload: {}, grantId: 'grant-other' },
      ]);

      expect(await terminateProvider(database.db, operator, { providerId: payroute, note: '契約解除' })).toEqual({ links: 1 });
      expect(await linkRow(link)).toMatchObject({ status: 'terminated', reason: 6, grantId: null });
      const left = await database.db.select({ id: oauthRecords.id }).from(oauthRecords).where(sql`${oauthRecords.id} in ('grant-payroute', 'at-payroute', 'rt-payroute', 'rt-other')`);
      expect(left.map((r) => r.id)).toEqual(['rt-other']);
      expect((await historyOf(link)).at(-1)).toMatchObject({ event: 'link_terminated', actorType: 'bank', detail: { reason: 6, note: '契約解除' } });
      expect(await eventsFor({ linkId: link, type: 'link.terminated' })).toHaveLength(1);
      expect(await eventsFor({ providerId: payroute, type: 'provider.terminated' })).toHaveLength(1);
      const [provider] = await database.db.select({ status: providers.status }).from(providers).where(eq(providers.id, payroute));
      expect(provider?.status).toBe('terminated');

      await expectOperationError(terminateProvider(database.db, cli, { providerId: payroute, note: '' }), 'final');
      await expectOperationError(resumeProvider(database.db, cli, { providerId: payroute, note: '' }), 'final');
      await expectOperationError(suspendProvider(database.db, cli, { providerId: payroute, reason: 1, note: '' }), 'final');
      await expectOperationError(suspendLink(database.db, cli, { linkId: link, reason: 1, note: '' }), 'final');
      await expectOperationError(resumeLink(database.db, cli, { linkId: link, note: '' }), 'not_suspended');
    });
  });

  describe('chained connections (Art. 5.2, last sentence)', () => {
    it('records the bank’s stop request on each affected link once; a second request is refused', async () => {
      const [connection] = await database.db
        .select({ id: chainedConnections.id, providerId: chainedConnections.providerId })
        .from(chainedConnections)
        .where(eq(chainedConnections.name, 'ポイントモール'));
      if (!connection) throw new Error('no chained connection');
      const affected = [await linkOf('demo', 'kakeibo-plus'), await linkOf('demo2', 'kakeibo-plus')];

      expect(await requestChainedConnectionStopByBank(database.db, operator, { chainedConnectionId: connection.id, note: '情報管理の不備' })).toEqual({ links: 2 });
      for (const id of affected) {
        expect((await historyOf(id)).at(-1)).toEqual({ event: 'bank_chained_stop_requested', actorType: 'bank', actorId: operator.staffUserId, detail: { name: 'ポイントモール' } });
      }
      const [row] = await database.db.select({ at: chainedConnections.bankStopRequestedAt, note: chainedConnections.bankStopRequestNote }).from(chainedConnections).where(eq(chainedConnections.id, connection.id));
      expect(row?.at).toBeInstanceOf(Date);
      expect(row?.note).toBe('情報管理の不備');
      expect(await eventsFor({ providerId: connection.providerId, type: 'chained_connection.stop_requested' })).toHaveLength(1);
      expect(await lastOperation()).toMatchObject({ action: 'chained_connection.stop_request', targetId: connection.id, detail: { links: 2 } });

      await expectOperationError(requestChainedConnectionStopByBank(database.db, cli, { chainedConnectionId: connection.id, note: '' }), 'already_requested');
      await expectOperationError(requestChainedConnectionStopByBank(database.db, cli, { chainedConnectionId: '00000000-0000-4000-8000-000000000000', note: '' }), 'not_found');
    });
  });

  describe('maintenance windows (Art. 6.1)', () => {
    const t0 = new Date('2031-03-01T00:00:00Z');

    it('validates the window and is in force only between its start and its end', async () => {
      const startsAt = new Date(t0.getTime() + HOUR);
      const endsAt = new Date(t0.getTime() + 3 * HOUR);
      await expectOperationError(scheduleMaintenance(database.db, cli, { startsAt: endsAt, endsAt: startsAt, noteJa: 'x', noteEn: 'x' }, t0), 'window_invalid');
      await expectOperationError(scheduleMaintenance(database.db, cli, { startsAt, endsAt: startsAt, noteJa: 'x', noteEn: 'x' }, t0), 'window_invalid');
      await expectOperationError(scheduleMaintenance(database.db, cli, { startsAt: new Date(t0.getTime() - 2 * HOUR), endsAt: new Date(t0.getTime() - HOUR), noteJa: 'x', noteEn: 'x' }, t0), 'window_invalid');

      const { id } = await scheduleMaintenance(database.db, operator, { startsAt, endsAt, noteJa: '定期メンテナンス', noteEn: 'Scheduled maintenance' }, t0);
      expect(await lastOperation()).toMatchObject({ actor: operator.staffUserId, action: 'maintenance.schedule', targetId: id });
      expect(await maintenanceInForce(database.db, t0)).toBeNull();
      expect((await upcomingMaintenance(database.db, t0)).map((w) => w.id)).toContain(id);
      expect(await maintenanceInForce(database.db, startsAt)).toMatchObject({ id, noteJa: '定期メンテナンス' });
      expect(await maintenanceInForce(database.db, new Date(t0.getTime() + 2 * HOUR))).toMatchObject({ id });
      expect(await maintenanceInForce(database.db, endsAt)).toBeNull();
      expect(await maintenanceInForce(database.db, new Date(t0.getTime() + 4 * HOUR))).toBeNull();

      const listed = await listOpenMaintenanceWindows(database.db, readOnlyStaff, new Date(t0.getTime() + 2 * HOUR));
      expect(listed.find((w) => w.id === id)).toMatchObject({ state: 'in_force', createdBy: { kind: 'staff', name: operator.name } });
      expect((await listOpenMaintenanceWindows(database.db, readOnlyStaff, t0)).find((w) => w.id === id)?.state).toBe('announced');
    });

    it('cancels a window once', async () => {
      const startsAt = new Date(t0.getTime() + 10 * DAY);
      const { id } = await scheduleMaintenance(database.db, cli, { startsAt, endsAt: new Date(startsAt.getTime() + HOUR), noteJa: 'a', noteEn: 'a' }, t0);
      await cancelMaintenance(database.db, cli, { id }, t0);
      expect(await maintenanceInForce(database.db, new Date(startsAt.getTime() + 1000))).toBeNull();
      expect((await listOpenMaintenanceWindows(database.db, operator, t0)).some((w) => w.id === id)).toBe(false);
      await expectOperationError(cancelMaintenance(database.db, cli, { id }, t0), 'not_found');
      await expectOperationError(cancelMaintenance(database.db, cli, { id: 'nope' }, t0), 'not_found');
    });
  });

  describe('terms (Art. 9)', () => {
    const t0 = new Date('2030-01-01T00:00:00Z');
    const effectiveFrom = new Date('2030-01-31T15:00:00Z'); // 2030-02-01 00:00 Asia/Tokyo
    const body = parseTermsText(termsToPlainText(termsDocuments['2027-04-01']!).replace('（2027年4月1日改定）', '（2030年2月1日改定）'));

    it('publishes a future version: announced before its effective date, in force from it', async () => {
      await publishTerms(database.db, operator, { id: '2030-02-01', revisedOn: '2030-02-01', effectiveFrom, body }, t0);
      const before = await getTermsOverview(database.db, new Date('2030-01-15T00:00:00Z'));
      expect(before.inForce?.id).toBe('2027-04-01');
      expect(before.upcoming.map((v) => v.id)).toEqual(['2030-02-01']);
      const after = await getTermsOverview(database.db, new Date(effectiveFrom.getTime() + 1000));
      expect(after.inForce?.id).toBe('2030-02-01');
      expect(after.inForce?.body).toEqual(body);
      expect(after.upcoming).toEqual([]);
      expect(await lastOperation()).toMatchObject({ action: 'terms.publish', targetType: 'terms', targetId: '2030-02-01', detail: { revisedOn: '2030-02-01', effectiveFrom: effectiveFrom.toISOString() } });
    });

    it('refuses an effective date that is not in the future, and an id that exists', async () => {
      await expectOperationError(publishTerms(database.db, cli, { id: '2029-12-01', revisedOn: '2029-12-01', effectiveFrom: t0, body }, t0), 'terms_not_future');
      await expectOperationError(publishTerms(database.db, cli, { id: '2029-12-01', revisedOn: '2029-12-01', effectiveFrom: new Date(t0.getTime() - DAY), body }, t0), 'terms_not_future');
      await expectOperationError(publishTerms(database.db, cli, { id: '2030-02-01', revisedOn: '2030-02-01', effectiveFrom: new Date(t0.getTime() + 90 * DAY), body }, t0), 'terms_exists');
      await expectOperationError(publishTerms(database.db, cli, { id: '2020-08-21', revisedOn: '2020-08-21', effectiveFrom: new Date(t0.getTime() + 90 * DAY), body }, t0), 'terms_exists');
      const [{ n } = { n: -1 }] = await database.db.select({ n: count() }).from(termsVersions).where(eq(termsVersions.id, '2029-12-01'));
      expect(n).toBe(0);
    });
  });

  describe('disclosures (Art. 7)', () => {
    it('records what was disclosed, to whom, why and when', async () => {
      const kakeibo = await providerId('kakeibo-plus');
      const now = new Date();
      const disclosedAt = new Date(now.getTime() - HOUR);
      const { id } = await recordDisclosure(
        database.db,
        operator,
        { customerNumber: '1000001', providerId: kakeibo, information: '2026年11月の普通預金お取引明細', reason: 3, disclosedAt, note: '調査番号 A-1' },
        now,
      );
      const [row] = await database.db.select().from(disclosures).where(eq(disclosures.id, id));
      expect(row).toMatchObject({ providerId: kakeibo, information: '2026年11月の普通預金お取引明細', reason: 3, disclosedAt, note: '調査番号 A-1', recordedBy: operator.staffUserId });
      expect(await lastOperation()).toMatchObject({ action: 'disclosure.record', targetType: 'disclosure', targetId: id, detail: { reason: 3, providerId: kakeibo } });
      const shownAt = new Date();
      const [listed] = await listRecentDisclosures(database.db, readOnlyStaff, 20, shownAt);
      expect(listed).toMatchObject({ id, customer: { customerNumber: '1000001' }, provider: { nameJa: 'かけいぼプラス' }, reason: 3, recordedBy: { kind: 'staff', name: operator.name } });
      // Showing a customer number is a look-up of that customer, recorded (SPEC §5).
      const recorded = await database.db.select({ customerId: staffAccessLog.customerId, view: staffAccessLog.view }).from(staffAccessLog).where(and(eq(staffAccessLog.staffUserId, readOnlyStaff.staffUserId), eq(staffAccessLog.at, shownAt)));
      expect(recorded).toContainEqual({ customerId: listed!.customer.id, view: 'disclosures' });
    });

    it('validates the customer, provider, reason (1)–(4), information and date', async () => {
      const kakeibo = await providerId('kakeibo-plus');
      const now = new Date();
      const ok = { customerNumber: '1000002', providerId: kakeibo, information: '残高', reason: 1 as const, disclosedAt: new Date(now.getTime() - HOUR), note: '' };
      const [{ n: before } = { n: -1 }] = await database.db.select({ n: count() }).from(disclosures);
      await expectOperationError(recordDisclosure(database.db, cli, { ...ok, customerNumber: '9999999' }, now), 'not_found');
      await expectOperationError(recordDisclosure(database.db, cli, { ...ok, providerId: 'kakeibo-plus' }, now), 'not_found');
      await expectOperationError(recordDisclosure(database.db, cli, { ...ok, providerId: '00000000-0000-4000-8000-000000000000' }, now), 'not_found');
      await expectOperationError(recordDisclosure(database.db, cli, { ...ok, reason: 5 as never }, now), 'invalid');
      await expectOperationError(recordDisclosure(database.db, cli, { ...ok, information: '  ' }, now), 'invalid');
      await expectOperationError(recordDisclosure(database.db, cli, { ...ok, disclosedAt: new Date(now.getTime() + HOUR) }, now), 'invalid');
      await expectOperationError(recordDisclosure(database.db, cli, { ...ok, disclosedAt: new Date('x') }, now), 'invalid');
      const [{ n: after } = { n: -1 }] = await database.db.select({ n: count() }).from(disclosures);
      expect(after).toBe(before);
    });
  });

  describe('history tables', () => {
    it('operations_log and link_history refuse UPDATE and DELETE (append-only triggers)', async () => {
      // drizzle wraps the database error ("Failed query …"); the trigger's message is its cause.
      const refused = (promise: Promise<unknown>) =>
        expect(promise).rejects.toSatisfy((e: unknown) => e instanceof Error && /append-only/.test(`${e.message} ${e.cause instanceof Error ? e.cause.message : ''}`));
      await refused(database.db.update(operationsLog).set({ action: 'rewritten' }));
      await refused(database.db.delete(operationsLog));
      await refused(database.db.execute(sql`truncate operations_log`));
      await refused(database.db.update(linkHistory).set({ event: 'rewritten' }));
      await refused(database.db.delete(linkHistory));
      const [{ n } = { n: 0 }] = await database.db.select({ n: count() }).from(operationsLog).where(eq(operationsLog.action, 'rewritten'));
      expect(n).toBe(0);
    });

    it('lists the operations log newest first with who did it', async () => {
      const log = await listOperationsLog(database.db, readOnlyStaff, 200);
      expect(log.length).toBeGreaterThan(10);
      expect(log[0]!.id).toBeGreaterThan(log[1]!.id);
      expect(log.some((e) => e.actor.kind === 'cli' && e.actor.name === 'cli:tester')).toBe(true);
      expect(log.some((e) => e.actor.kind === 'staff' && e.actor.name === operator.name)).toBe(true);
      const provider = log.find((e) => e.action === 'provider.terminate');
      expect(provider?.target).toMatchObject({ type: 'provider', providerNameJa: 'ペイルート' });
      // Not for anyone but staff.
      await expect(listOperationsLog(database.db, { kind: 'customer', customerId: 'x', sessionId: 'x' } as never)).rejects.toThrow(/Staff only/);
    });
  });

  describe('all or nothing', () => {
    // A failure forced inside the transaction at its last write (the operations log row, or the
    // provider event after it): everything the function wrote before must be gone. Each operation
    // then succeeds once the failure is lifted, so it was not refused for another reason.
    beforeAll(async () => {
      await database.db.execute(sql`create table test_fail_on (action text primary key)`);
      await database.db.execute(
        sql.raw(`create function test_fail_operation() returns trigger as $$
begin
  if exists (select 1 from test_fail_on where action = NEW.action) then
    raise exception 'forced failure for %', NEW.action;
  end if;
  return NEW;
end;
$$ language plpgsql`),
      );
      await database.db.execute(sql`create trigger test_fail_operation before insert on operations_log for each row execute function test_fail_operation()`);
    });

    async function snapshot() {
      const countOf = async (table: PgTable) => {
        const [row] = await database.db.select({ n: count() }).from(table);
        return row?.n ?? -1;
      };
      return {
        links: await database.db.select({ id: links.id, status: links.status, reason: links.suspensionReason, via: links.suspendedVia, grantId: links.grantId, version: links.version }).from(links).orderBy(asc(links.id)),
        providers: await database.db.select({ id: providers.id, status: providers.status, reason: providers.suspensionReason }).from(providers).orderBy(asc(providers.id)),
        chained: await database.db.select({ id: chainedConnections.id, at: chainedConnections.bankStopRequestedAt }).from(chainedConnections).orderBy(asc(chainedConnections.id)),
        windows: await database.db.select({ id: maintenanceWindows.id, cancelledAt: maintenanceWindows.cancelledAt }).from(maintenanceWindows).orderBy(asc(maintenanceWindows.id)),
        history: await countOf(linkHistory),
        operations: await countOf(operationsLog),
        events: await countOf(providerEvents),
        terms: await countOf(termsVersions),
        disclosures: await countOf(disclosures),
        oauth: await countOf(oauthRecords),
      };
    }

    async function failsThenSucceeds(action: string, run: () => Promise<unknown>): Promise<void> {
      await database.db.execute(sql`insert into test_fail_on (action) values (${action})`);
      const before = await snapshot();
      await expect(run()).rejects.toThrow();
      expect(await snapshot()).toEqual(before);
      await database.db.execute(sql`delete from test_fail_on where action = ${action}`);
      await run();
      expect(await snapshot()).not.toEqual(before);
    }

    it('suspendLink and resumeLink', async () => {
      const id = await linkOf('demo2', 'ledgerly');
      await failsThenSucceeds('link.suspend', () => suspendLink(database.db, cli, { linkId: id, reason: 4, note: '' }));
      await failsThenSucceeds('link.resume', () => resumeLink(database.db, cli, { linkId: id, note: '' }));
    });

    it('suspendProvider, resumeProvider and terminateProvider (tokens kept on failure)', async () => {
      const ledgerly = await providerId('ledgerly');
      await failsThenSucceeds('provider.suspend', () => suspendProvider(database.db, cli, { providerId: ledgerly, reason: 5, note: '' }));
      await failsThenSucceeds('provider.resume', () => resumeProvider(database.db, cli, { providerId: ledgerly, note: '' }));
      const link = await linkOf('demo2', 'ledgerly');
      await database.db.update(links).set({ grantId: 'grant-ledgerly' }).where(eq(links.id, link));
      await database.db.insert(oauthRecords).values({ model: 'AccessToken', id: 'at-ledgerly', payload: {}, grantId: 'grant-ledgerly' });
      await failsThenSucceeds('provider.terminate', () => terminateProvider(database.db, cli, { providerId: ledgerly, note: '' }));
      expect(await database.db.select().from(oauthRecords).where(eq(oauthRecords.grantId, 'grant-ledgerly'))).toEqual([]);
    });

    it('requestChainedConnectionStopByBank', async () => {
      const [connection] = await database.db.select({ id: chainedConnections.id }).from(chainedConnections).where(eq(chainedConnections.name, '家計相談ナビ'));
      await failsThenSucceeds('chained_connection.stop_request', () => requestChainedConnectionStopByBank(database.db, cli, { chainedConnectionId: connection!.id, note: '' }));
    });

    it('scheduleMaintenance and cancelMaintenance', async () => {
      const now = new Date('2032-01-01T00:00:00Z');
      const input = { startsAt: new Date(now.getTime() + DAY), endsAt: new Date(now.getTime() + DAY + HOUR), noteJa: 'x', noteEn: 'x' };
      await failsThenSucceeds('maintenance.schedule', () => scheduleMaintenance(database.db, cli, input, now));
      const [window] = await database.db.select({ id: maintenanceWindows.id }).from(maintenanceWindows).where(eq(maintenanceWindows.startsAt, input.startsAt));
      await failsThenSucceeds('maintenance.cancel', () => cancelMaintenance(database.db, cli, { id: window!.id }, now));
    });

    it('publishTerms and recordDisclosure', async () => {
      const now = new Date('2033-01-01T00:00:00Z');
      const body = termsDocuments['2027-04-01']!;
      await failsThenSucceeds('terms.publish', () => publishTerms(database.db, cli, { id: '2033-04-01', revisedOn: '2033-04-01', effectiveFrom: new Date('2033-03-31T15:00:00Z'), body }, now));
      const kakeibo = await providerId('kakeibo-plus');
      await failsThenSucceeds('disclosure.record', () =>
        recordDisclosure(database.db, cli, { customerNumber: '1000002', providerId: kakeibo, information: '口座残高', reason: 4, disclosedAt: new Date(Date.now() - HOUR), note: '' }),
      );
    });
  });
});

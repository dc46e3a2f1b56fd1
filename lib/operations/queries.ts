import { and, asc, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { StaffPrincipal } from '@/lib/auth/types';
import type { Db, Executor } from '@/lib/db/connect';
import { customers, disclosures, maintenanceWindows, operationsLog, providers, staffUsers } from '@/lib/db/schema';
import { recordLookups } from '@/lib/staff/queries';
import { assertStaff } from '@/lib/staff/assert-staff';

// Read-only views for the operator console (Art. 5.2, 6.1, 7, 9). Each takes the acting member of
// staff and refuses anything else (the data layer decides, not only the page). The only customer
// data they show is the customer number of a disclosure, and showing it is recorded as a look-up
// of that customer (docs/decisions.md 18, SPEC §5); the customer page they link to records its own.

/** Who did it, for people: a staff member's name, or `cli:<os user>` as recorded. */
export type ActorDTO = { kind: 'staff'; name: string } | { kind: 'cli'; name: string } | { kind: 'unknown'; id: string };

function actorOf(recorded: string, staffName: string | null): ActorDTO {
  if (recorded.startsWith('cli:')) return { kind: 'cli', name: recorded };
  if (staffName) return { kind: 'staff', name: staffName };
  return { kind: 'unknown', id: recorded };
}

// operations_log.actor and the created_by / recorded_by columns hold staff_users.id as text.
const staffByActor = (column: typeof operationsLog.actor | typeof maintenanceWindows.createdBy | typeof disclosures.recordedBy) =>
  eq(sql`${staffUsers.id}::text`, column);

// ---- Maintenance windows (Art. 6.1) ----

export type MaintenanceWindowRowDTO = {
  id: string;
  startsAt: Date;
  endsAt: Date;
  noteJa: string;
  noteEn: string;
  /** in_force: the API answers 503 now; announced: not started yet (the portal shows a banner 14 days ahead). */
  state: 'in_force' | 'announced';
  createdBy: ActorDTO;
  createdAt: Date;
};

/** Every window not yet over and not cancelled, soonest first (however far ahead). */
export async function listOpenMaintenanceWindows(db: Executor, principal: StaffPrincipal, now: Date = new Date()): Promise<MaintenanceWindowRowDTO[]> {
  assertStaff(principal);
  const rows = await db
    .select({
      id: maintenanceWindows.id,
      startsAt: maintenanceWindows.startsAt,
      endsAt: maintenanceWindows.endsAt,
      noteJa: maintenanceWindows.noteJa,
      noteEn: maintenanceWindows.noteEn,
      createdBy: maintenanceWindows.createdBy,
      createdAt: maintenanceWindows.createdAt,
      staffName: staffUsers.name,
    })
    .from(maintenanceWindows)
    .leftJoin(staffUsers, staffByActor(maintenanceWindows.createdBy))
    .where(and(isNull(maintenanceWindows.cancelledAt), gt(maintenanceWindows.endsAt, now)))
    .orderBy(asc(maintenanceWindows.startsAt), asc(maintenanceWindows.id));
  return rows.map(({ staffName, createdBy, ...w }) => ({
    ...w,
    state: w.startsAt.getTime() <= now.getTime() ? 'in_force' : 'announced',
    createdBy: actorOf(createdBy, staffName),
  }));
}

// ---- Disclosures (Art. 7) ----

export type DisclosureRowDTO = {
  id: string;
  customer: { id: string; customerNumber: string };
  provider: { id: string; nameJa: string; nameEn: string };
  information: string;
  reason: number;
  disclosedAt: Date;
  note: string;
  recordedBy: ActorDTO;
  recordedAt: Date;
};

/**
 * The latest disclosures, newest first (by when they were disclosed). Each customer they show (by
 * customer number) is customer data seen by staff: recorded in the access log, as a look-up is.
 */
export async function listRecentDisclosures(db: Db, principal: StaffPrincipal, limit = 20, now: Date = new Date()): Promise<DisclosureRowDTO[]> {
  assertStaff(principal);
  return db.transaction((tx) => readRecentDisclosures(tx, principal, limit, now));
}

async function readRecentDisclosures(db: Executor, principal: StaffPrincipal, limit: number, now: Date): Promise<DisclosureRowDTO[]> {
  const rows = await db
    .select({
      id: disclosures.id,
      customerId: customers.id,
      customerNumber: customers.customerNumber,
      providerId: providers.id,
      providerNameJa: providers.nameJa,
      providerNameEn: providers.nameEn,
      information: disclosures.information,
      reason: disclosures.reason,
      disclosedAt: disclosures.disclosedAt,
      note: disclosures.note,
      recordedBy: disclosures.recordedBy,
      recordedAt: disclosures.recordedAt,
      staffName: staffUsers.name,
    })
    .from(disclosures)
    .innerJoin(customers, eq(customers.id, disclosures.customerId))
    .innerJoin(providers, eq(providers.id, disclosures.providerId))
    .leftJoin(staffUsers, staffByActor(disclosures.recordedBy))
    .orderBy(desc(disclosures.disclosedAt), desc(disclosures.recordedAt))
    .limit(clamp(limit, 1, 200));
  await recordLookups(db, principal, [...new Set(rows.map((r) => r.customerId))], 'disclosures', now);
  return rows.map((r) => ({
    id: r.id,
    customer: { id: r.customerId, customerNumber: r.customerNumber },
    provider: { id: r.providerId, nameJa: r.providerNameJa, nameEn: r.providerNameEn },
    information: r.information,
    reason: r.reason,
    disclosedAt: r.disclosedAt,
    note: r.note,
    recordedBy: actorOf(r.recordedBy, r.staffName),
    recordedAt: r.recordedAt,
  }));
}

// ---- Providers (for the disclosure form's select) ----

export type ProviderOptionDTO = { id: string; clientId: string; nameJa: string; nameEn: string; status: 'active' | 'suspended' | 'terminated' };

export async function listProviderOptions(db: Executor, principal: StaffPrincipal): Promise<ProviderOptionDTO[]> {
  assertStaff(principal);
  return db
    .select({ id: providers.id, clientId: providers.clientId, nameJa: providers.nameJa, nameEn: providers.nameEn, status: providers.status })
    .from(providers)
    .orderBy(asc(providers.nameJa));
}

// ---- Operations log ----

export type OperationsLogEntryDTO = {
  id: number;
  at: Date;
  actor: ActorDTO;
  action: string;
  target: { type: string; id: string; /** a provider's name when the target is one */ providerNameJa: string | null; providerNameEn: string | null };
  detail: Record<string, unknown>;
};

/** The latest operator actions, newest first. */
export async function listOperationsLog(db: Executor, principal: StaffPrincipal, limit = 50): Promise<OperationsLogEntryDTO[]> {
  assertStaff(principal);
  const rows = await db
    .select({
      id: operationsLog.id,
      at: operationsLog.at,
      actor: operationsLog.actor,
      staffName: staffUsers.name,
      action: operationsLog.action,
      targetType: operationsLog.targetType,
      targetId: operationsLog.targetId,
      providerNameJa: providers.nameJa,
      providerNameEn: providers.nameEn,
      detail: operationsLog.detail,
    })
    .from(operationsLog)
    .leftJoin(staffUsers, staffByActor(operationsLog.actor))
    .leftJoin(providers, and(eq(operationsLog.targetType, 'provider'), eq(sql`${providers.id}::text`, operationsLog.targetId)))
    .orderBy(desc(operationsLog.id))
    .limit(clamp(limit, 1, 500));
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actor: actorOf(r.actor, r.staffName),
    action: r.action,
    target: { type: r.targetType, id: r.targetId, providerNameJa: r.providerNameJa, providerNameEn: r.providerNameEn },
    detail: r.detail,
  }));
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(Math.max(Math.floor(value), min), max) : min;
}

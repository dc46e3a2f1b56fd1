// `npm run ops -- <command> [options]`: the bank's operator actions from the command line (SPEC §1
// operations), 1:1 with lib/operations/commands.ts. Exit codes: 0 done, 1 refused or failed,
// 2 bad input (nothing was opened). `npm run ops -- --help` lists the commands.
import os from 'node:os';
import type { OperatorActor, StaffPrincipal } from '@/lib/auth/types';
import type { Db } from '@/lib/db/connect';
import { openConfiguredDatabase } from '@/lib/db/open';
import { PgliteDirLockedError } from '@/lib/db/pglite-lock';
import { listProviderEvents } from '@/lib/events/queries';
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
} from '@/lib/operations/commands';
import { OperationError } from '@/lib/operations/errors';
import { formatTokyo } from '@/lib/operations/input';
import { upcomingMaintenance } from '@/lib/operations/maintenance';
import { resolveProviderRef } from '@/lib/operations/resolve';
import { parseOpsArgs, usage, UsageError, type OpsCommand } from './ops-args';

const REFUSED: Record<OperationError['code'], string> = {
  not_found: 'not found',
  invalid: 'the input is not valid for this action',
  not_active: 'it is not active',
  not_suspended: 'it is not suspended',
  final: 'it has ended (revoked or terminated) and cannot change any more',
  provider_not_active: 'its provider is suspended or ended: resume the provider first',
  already_requested: 'the bank has already asked for this',
  window_invalid: 'the window must end after it starts, and not in the past',
  terms_exists: 'a terms version with this id exists already',
  terms_not_future: 'the effective date must be in the future',
};

function operatorName(): string {
  try {
    return os.userInfo().username || 'unknown';
  } catch {
    return `uid-${process.getuid?.() ?? 'unknown'}`; // no passwd entry (some containers)
  }
}

async function providerIdOf(db: Db, ref: string): Promise<{ id: string; label: string }> {
  const provider = await resolveProviderRef(db, ref);
  if (!provider) throw new OperationError('not_found', `No provider with id or client_id "${ref}".`);
  return { id: provider.id, label: `${provider.clientId} (${provider.nameJa})` };
}

/** Runs one command and returns what to print. */
async function run(db: Db, command: Exclude<OpsCommand, { name: 'help' }>, actor: OperatorActor): Promise<string> {
  switch (command.name) {
    case 'link:suspend':
      await suspendLink(db, actor, { linkId: command.linkId, reason: command.reason, note: command.note });
      return `Link ${command.linkId} suspended (Art. 5.2(${command.reason})).`;
    case 'link:resume':
      await resumeLink(db, actor, { linkId: command.linkId, note: command.note });
      return `Link ${command.linkId} resumed.`;
    case 'provider:suspend': {
      const provider = await providerIdOf(db, command.provider);
      const { links } = await suspendProvider(db, actor, { providerId: provider.id, reason: command.reason, note: command.note });
      return `Provider ${provider.label} suspended (Art. 5.2(${command.reason})); ${links} active link(s) suspended with it.`;
    }
    case 'provider:resume': {
      const provider = await providerIdOf(db, command.provider);
      const { links } = await resumeProvider(db, actor, { providerId: provider.id, note: command.note });
      return `Provider ${provider.label} resumed; ${links} link(s) resumed with it.`;
    }
    case 'provider:terminate': {
      const provider = await providerIdOf(db, command.provider);
      const { links } = await terminateProvider(db, actor, { providerId: provider.id, note: command.note });
      return `Provider ${provider.label} terminated (Art. 5.2(6)); ${links} link(s) ended and their tokens revoked.`;
    }
    case 'chained:stop-request': {
      const { links } = await requestChainedConnectionStopByBank(db, actor, { chainedConnectionId: command.chainedConnectionId, note: command.note });
      return `Stop of chained connection ${command.chainedConnectionId} requested from its provider; recorded on ${links} link(s).`;
    }
    case 'maintenance:schedule': {
      const { id } = await scheduleMaintenance(db, actor, { startsAt: command.startsAt, endsAt: command.endsAt, noteJa: command.noteJa, noteEn: command.noteEn });
      return `Maintenance window ${id} scheduled: ${formatTokyo(command.startsAt)} – ${formatTokyo(command.endsAt)}.`;
    }
    case 'maintenance:cancel':
      await cancelMaintenance(db, actor, { id: command.id });
      return `Maintenance window ${command.id} cancelled.`;
    case 'maintenance:list': {
      const now = new Date();
      const windows = await upcomingMaintenance(db, now, { all: true });
      if (windows.length === 0) return 'No maintenance window is announced or in force.';
      return windows
        .map((w) => `${w.id}  ${formatTokyo(w.startsAt)} – ${formatTokyo(w.endsAt)}  ${w.startsAt <= now ? 'IN FORCE ' : 'announced'}  ${w.noteJa}`)
        .join('\n');
    }
    case 'terms:publish':
      await publishTerms(db, actor, { id: command.id, revisedOn: command.revisedOn, effectiveFrom: command.effectiveFrom, body: command.body });
      return `Terms ${command.id} published (${command.body.articles.length} articles from ${command.file}); in force from ${formatTokyo(command.effectiveFrom)}.`;
    case 'disclosure:record': {
      const provider = await providerIdOf(db, command.provider);
      const { id } = await recordDisclosure(db, actor, {
        customerNumber: command.customerNumber,
        providerId: provider.id,
        information: command.information,
        reason: command.reason,
        disclosedAt: command.disclosedAt,
        note: command.note,
      }).catch((error: unknown) => {
        // The provider was found above: a missing one now is the customer.
        if (error instanceof OperationError && error.code === 'not_found') throw new OperationError('not_found', `No customer with number ${command.customerNumber}.`);
        throw error;
      });
      return `Disclosure ${id} recorded: customer ${command.customerNumber} → ${provider.label}, Art. 7(${command.reason}), ${formatTokyo(command.disclosedAt)}.`;
    }
    case 'events:list': {
      const providerId = command.provider ? (await providerIdOf(db, command.provider)).id : undefined;
      // Read-only and without customer data; the query wants a staff principal, and a CLI user
      // with database access stands in for one (recorded nowhere: nothing changes).
      const reader: StaffPrincipal = { kind: 'staff', staffUserId: actorLabel(actor), role: 'operator', name: actorLabel(actor), sessionId: 'cli' };
      const events = await listProviderEvents(db, reader, { providerId, state: command.state, limit: command.limit });
      if (events.length === 0) return 'No notifications.';
      return events
        .map((e) =>
          [formatTokyo(e.createdAt), e.state.padEnd(11), e.type.padEnd(34), e.provider.clientId, e.linkId ?? '-', `attempts=${e.attempts}`, e.lastError ? `last error: ${e.lastError}` : '']
            .join('  ')
            .trimEnd(),
        )
        .join('\n');
    }
  }
}

function actorLabel(actor: OperatorActor): string {
  return actor.kind === 'cli' ? `cli:${actor.name}` : actor.name;
}

async function main(argv: string[]): Promise<number> {
  let command: OpsCommand;
  try {
    command = parseOpsArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${usage(error.command)}`);
    return 2;
  }
  if (command.name === 'help') {
    console.log(usage(command.topic));
    return 0;
  }
  const actor: OperatorActor = { kind: 'cli', name: operatorName() };
  let database;
  try {
    database = await openConfiguredDatabase();
  } catch (error) {
    if (error instanceof PgliteDirLockedError) {
      console.error(`${error.message}\nWhile the server runs, make this change in the operator console instead: sign in at /staff/login as an operator and open /staff/operations.`);
      return 1;
    }
    throw error;
  }
  try {
    console.log(await run(database.db, command, actor));
    return 0;
  } catch (error) {
    if (error instanceof OperationError) {
      console.error(`Refused: ${error.message !== error.code ? error.message : REFUSED[error.code]}.`.replace(/\.\.$/, '.'));
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);

// Argument parsing for `npm run ops` (scripts/ops.ts). Pure: no database, so bad input is refused
// (exit 2) before anything is opened. Commands map 1:1 to lib/operations/commands.ts.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { DisclosureReason } from '@/lib/operations/commands';
import { isCalendarDate, isTermsId, parseTokyoDateTime, revisionNoteDate } from '@/lib/operations/input';
import { SUSPENSION_REASONS, type SuspensionReason } from '@/lib/domain/link-status';
import { parseTermsJson, parseTermsText, TermsParseError } from '@/lib/terms/parse';
import type { TermsDocument } from '@/lib/terms/types';

export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: CommandName,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export type OpsCommand =
  | { name: 'help'; topic?: CommandName }
  | { name: 'link:suspend'; linkId: string; reason: SuspensionReason; note: string }
  | { name: 'link:resume'; linkId: string; note: string }
  | { name: 'provider:suspend'; provider: string; reason: SuspensionReason; note: string }
  | { name: 'provider:resume'; provider: string; note: string }
  | { name: 'provider:terminate'; provider: string; note: string }
  | { name: 'chained:stop-request'; chainedConnectionId: string; note: string }
  | { name: 'maintenance:schedule'; startsAt: Date; endsAt: Date; noteJa: string; noteEn: string }
  | { name: 'maintenance:cancel'; id: string }
  | { name: 'maintenance:list' }
  | { name: 'terms:publish'; id: string; revisedOn: string; effectiveFrom: Date; body: TermsDocument; file: string }
  | { name: 'disclosure:record'; customerNumber: string; provider: string; information: string; reason: DisclosureReason; disclosedAt: Date; note: string }
  | { name: 'events:list'; provider?: string; state?: string; limit: number };

type Option = { type: 'string' | 'boolean'; required?: boolean; help: string };

const TIME_HELP = 'ISO 8601; without an offset it is Asia/Tokyo time (2027-10-01T02:00 = 02:00 JST)';

const COMMANDS = {
  'link:suspend': {
    summary: 'Suspend one link (Art. 5.2). The API refuses it from the next call.',
    options: {
      link: { type: 'string', required: true, help: 'link id (uuid)' },
      reason: { type: 'string', required: true, help: 'Art. 5.2 reason 1-7' },
      note: { type: 'string', help: 'internal note' },
    },
  },
  'link:resume': {
    summary: 'Lift a link suspension (refused while its provider is suspended).',
    options: { link: { type: 'string', required: true, help: 'link id (uuid)' }, note: { type: 'string', help: 'internal note' } },
  },
  'provider:suspend': {
    summary: 'Suspend a provider and each of its active links (Art. 5.2).',
    options: {
      provider: { type: 'string', required: true, help: 'provider id or client_id' },
      reason: { type: 'string', required: true, help: 'Art. 5.2 reason 1-7' },
      note: { type: 'string', help: 'internal note' },
    },
  },
  'provider:resume': {
    summary: 'Resume a provider and the links suspended with it (not those suspended one by one).',
    options: { provider: { type: 'string', required: true, help: 'provider id or client_id' }, note: { type: 'string', help: 'internal note' } },
  },
  'provider:terminate': {
    summary: 'End a provider (Art. 5.2(6)): every link is terminated and its tokens die. Final.',
    options: {
      provider: { type: 'string', required: true, help: 'provider id or client_id' },
      note: { type: 'string', help: 'internal note' },
      yes: { type: 'boolean', required: true, help: 'confirm: this cannot be undone' },
    },
  },
  'chained:stop-request': {
    summary: 'Ask a provider to stop a chained connection (Art. 5.2, last sentence).',
    options: { chained: { type: 'string', required: true, help: 'chained connection id (uuid)' }, note: { type: 'string', help: 'internal note' } },
  },
  'maintenance:schedule': {
    summary: 'Announce a maintenance window (Art. 6.1): portal banner before and during, API 503 + Retry-After during.',
    options: {
      from: { type: 'string', required: true, help: `start, ${TIME_HELP}` },
      to: { type: 'string', required: true, help: `end, ${TIME_HELP}` },
      'note-ja': { type: 'string', required: true, help: 'note shown to customers in Japanese' },
      'note-en': { type: 'string', required: true, help: 'note shown to customers in English' },
    },
  },
  'maintenance:cancel': {
    summary: 'Cancel a maintenance window.',
    options: { id: { type: 'string', required: true, help: 'window id (uuid; see maintenance:list)' } },
  },
  'maintenance:list': { summary: 'List the maintenance windows not yet over.', options: {} },
  'terms:publish': {
    summary: 'Publish a terms version (Art. 9): announced now, in force from its effective date.',
    options: {
      id: { type: 'string', required: true, help: 'version id, e.g. 2027-10-01' },
      'revised-on': { type: 'string', required: true, help: 'revision date (改定日), YYYY-MM-DD' },
      'effective-from': { type: 'string', required: true, help: `effective date (適用開始日), in the future; ${TIME_HELP}` },
      file: { type: 'string', required: true, help: 'the full text (as on the terms page) or a JSON document like lib/terms/texts/*.json' },
    },
  },
  'disclosure:record': {
    summary: 'Record customer information disclosed to a provider for an investigation (Art. 7).',
    options: {
      customer: { type: 'string', required: true, help: 'customer number' },
      provider: { type: 'string', required: true, help: 'provider id or client_id' },
      information: { type: 'string', required: true, help: 'what was disclosed' },
      reason: { type: 'string', required: true, help: 'Art. 7 reason 1-4: 1 leak, 2 unauthorised access, 3 unauthorised use, 4 system failure' },
      at: { type: 'string', required: true, help: `when it was disclosed (not in the future); ${TIME_HELP}` },
      note: { type: 'string', help: 'internal note' },
    },
  },
  'events:list': {
    summary: 'List notifications to providers and their delivery state, newest first.',
    options: {
      provider: { type: 'string', help: 'provider id or client_id' },
      state: { type: 'string', help: 'pending | delivered | failed | no_endpoint | poll | held | not_requested' },
      limit: { type: 'string', help: 'how many (1-500, default 50)' },
    },
  },
} satisfies Record<string, { summary: string; options: Record<string, Option> }>;

export type CommandName = keyof typeof COMMANDS;

function isCommand(value: string): value is CommandName {
  return Object.hasOwn(COMMANDS, value);
}

export function usage(topic?: CommandName): string {
  if (topic) {
    const spec = COMMANDS[topic];
    const options: [string, Option][] = Object.entries(spec.options);
    const line = options.map(([name, o]) => (o.required ? `--${name}${o.type === 'string' ? ' <…>' : ''}` : `[--${name}${o.type === 'string' ? ' <…>' : ''}]`)).join(' ');
    return [
      `npm run ops -- ${topic} ${line}`.trimEnd(),
      '',
      spec.summary,
      ...(options.length > 0 ? ['', ...options.map(([name, o]) => `  --${name.padEnd(16)} ${o.help}${o.required ? '' : ' (optional)'}`)] : []),
    ].join('\n');
  }
  return [
    'Usage: npm run ops -- <command> [options]     (npm run ops -- <command> --help for its options)',
    '',
    'Operator actions on the database named by DATABASE_URL, or on the embedded PGlite folder',
    '(./data/<PGLITE_DIR>) while no server holds it. Against a running embedded server, use the',
    'operator console at /staff/operations instead. Each run is recorded as cli:<your OS user>.',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, spec]) => `  ${name.padEnd(22)} ${spec.summary}`),
  ].join('\n');
}

// Art. 7 (1)–(4) (a type-only import keeps this parser free of the database modules).
const DISCLOSURE_REASONS = [1, 2, 3, 4] as const satisfies readonly DisclosureReason[];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses `argv` (after `npm run ops --`). Throws `UsageError` with a message for people. */
export function parseOpsArgs(
  argv: string[],
  options: { readFile?: (path: string) => string; now?: Date } = {},
): OpsCommand {
  const readFile = options.readFile ?? ((p: string) => fs.readFileSync(p, 'utf8'));
  const now = options.now ?? new Date();
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError('No command given.');
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = rest[0];
    if (topic !== undefined && !isCommand(topic)) throw new UsageError(`Unknown command "${topic}".`);
    return { name: 'help', topic };
  }
  if (!isCommand(first)) throw new UsageError(first.startsWith('-') ? `Expected a command before ${first}.` : `Unknown command "${first}".`);
  const name = first;
  if (rest.includes('--help') || rest.includes('-h')) return { name: 'help', topic: name };

  const spec: Record<string, Option> = COMMANDS[name].options;
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: Object.fromEntries(Object.entries(spec).map(([key, o]) => [key, { type: o.type }])),
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '.') : String(error), name);
  }
  for (const [key, o] of Object.entries(spec)) {
    const value = values[key];
    if (o.required && (value === undefined || (typeof value === 'string' && value.trim() === ''))) {
      throw new UsageError(key === 'yes' ? `${name} cannot be undone: add --yes to confirm.` : `Missing --${key} (${o.help}).`, name);
    }
  }
  const str = (key: string): string => {
    const value = values[key];
    return typeof value === 'string' ? value.trim() : '';
  };
  const uuid = (key: string): string => {
    const value = str(key);
    if (!UUID.test(value)) throw new UsageError(`--${key} must be an id (uuid), got "${value}".`, name);
    return value;
  };
  const time = (key: string): Date => {
    const value = parseTokyoDateTime(str(key));
    if (!value) throw new UsageError(`--${key} must be a date and time such as 2027-10-01T02:00 (Asia/Tokyo) or 2027-09-30T17:00Z, got "${str(key)}".`, name);
    return value;
  };
  const suspensionReason = (): SuspensionReason => {
    const n = Number(str('reason'));
    const reason = SUSPENSION_REASONS.find((r) => r === n);
    if (reason === undefined) throw new UsageError(`--reason must be one of Art. 5.2 (1)-(7): 1 to 7, got "${str('reason')}".`, name);
    return reason;
  };
  const note = () => str('note');

  switch (name) {
    case 'link:suspend':
      return { name, linkId: uuid('link'), reason: suspensionReason(), note: note() };
    case 'link:resume':
      return { name, linkId: uuid('link'), note: note() };
    case 'provider:suspend':
      return { name, provider: str('provider'), reason: suspensionReason(), note: note() };
    case 'provider:resume':
    case 'provider:terminate':
      return { name, provider: str('provider'), note: note() };
    case 'chained:stop-request':
      return { name, chainedConnectionId: uuid('chained'), note: note() };
    case 'maintenance:schedule': {
      const startsAt = time('from');
      const endsAt = time('to');
      if (endsAt.getTime() <= startsAt.getTime()) throw new UsageError('--to must be after --from.', name);
      if (endsAt.getTime() <= now.getTime()) throw new UsageError('--to is in the past: the window would be over already.', name);
      return { name, startsAt, endsAt, noteJa: str('note-ja'), noteEn: str('note-en') };
    }
    case 'maintenance:cancel':
      return { name, id: uuid('id') };
    case 'maintenance:list':
      return { name };
    case 'terms:publish': {
      const id = str('id');
      if (!isTermsId(id)) throw new UsageError(`--id must be a version id such as 2027-10-01, got "${id}".`, name);
      const revisedOn = str('revised-on');
      if (!isCalendarDate(revisedOn)) throw new UsageError(`--revised-on must be a date YYYY-MM-DD, got "${revisedOn}".`, name);
      const effectiveFrom = time('effective-from');
      if (effectiveFrom.getTime() <= now.getTime()) throw new UsageError('--effective-from must be in the future (Art. 9: a change is announced before it applies).', name);
      const file = str('file');
      const body = readTerms(file, readFile, name);
      const noteDate = revisionNoteDate(body.revisionNote);
      if (noteDate !== null && noteDate !== revisedOn) throw new UsageError(`${file}: the revision note ${body.revisionNote} does not match --revised-on ${revisedOn}.`, name);
      return { name, id, revisedOn, effectiveFrom, body, file };
    }
    case 'disclosure:record': {
      const n = Number(str('reason'));
      const reason = DISCLOSURE_REASONS.find((r) => r === n);
      if (reason === undefined) throw new UsageError(`--reason must be one of Art. 7 (1)-(4): 1 to 4, got "${str('reason')}".`, name);
      const customerNumber = str('customer');
      if (!/^\d{1,20}$/.test(customerNumber)) throw new UsageError(`--customer must be a customer number (digits), got "${customerNumber}".`, name);
      const disclosedAt = time('at');
      if (disclosedAt.getTime() > now.getTime()) throw new UsageError('--at is in the future: record a disclosure once it has been made.', name);
      return { name, customerNumber, provider: str('provider'), information: str('information'), reason, disclosedAt, note: note() };
    }
    case 'events:list': {
      const raw = str('limit');
      const limit = raw === '' ? 50 : Number(raw);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError(`--limit must be a whole number from 1 to 500, got "${raw}".`, name);
      const state = str('state');
      if (state !== '' && !['pending', 'delivered', 'failed', 'no_endpoint', 'poll', 'held', 'not_requested'].includes(state)) {
        throw new UsageError(`--state must be pending, delivered, failed, no_endpoint, poll, held or not_requested, got "${state}".`, name);
      }
      return { name, provider: str('provider') || undefined, state: state || undefined, limit };
    }
  }
}

function readTerms(file: string, readFile: (path: string) => string, name: CommandName): TermsDocument {
  let content: string;
  try {
    content = readFile(file);
  } catch (error) {
    throw new UsageError(`Cannot read --file ${file}: ${error instanceof Error ? error.message : String(error)}`, name);
  }
  try {
    if (content.trimStart().startsWith('{')) {
      let json: unknown;
      try {
        json = JSON.parse(content);
      } catch (error) {
        throw new UsageError(`${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, name);
      }
      return parseTermsJson(json);
    }
    return parseTermsText(content);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (error instanceof TermsParseError) throw new UsageError(`${file}, ${error.message}`, name);
    throw new UsageError(`${file}: ${error instanceof Error ? error.message : String(error)}`, name);
  }
}

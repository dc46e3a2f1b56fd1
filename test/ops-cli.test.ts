import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { termsDocuments } from '@/lib/terms/documents';
import { parseTermsText } from '@/lib/terms/parse';
import { termsToPlainText } from '@/lib/terms/render';
import { parseOpsArgs, UsageError } from '@/scripts/ops-args';
import packageJson from '@/package.json';

const root = path.resolve(import.meta.dirname, '..');
const now = new Date('2027-01-10T00:00:00Z');

function usageError(argv: string[], options: Parameters<typeof parseOpsArgs>[1] = {}): string {
  try {
    parseOpsArgs(argv, { now, ...options });
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('npm run ops: arguments', () => {
  it('is wired in package.json like provider:register', () => {
    expect(packageJson.scripts.ops).toBe('bash scripts/run.sh node --conditions=react-server --import tsx scripts/ops.ts');
    expect(packageJson.scripts['provider:register']).toBe('bash scripts/run.sh node --conditions=react-server --import tsx scripts/provider-register.ts');
  });

  it('parses each command into the input of its lib/operations function', () => {
    const link = '6f1c1c4e-8d3b-4d8e-9a57-0d3f2b8c9e10';
    expect(parseOpsArgs(['link:suspend', '--link', link, '--reason', '3', '--note', '調査中'], { now })).toEqual({ name: 'link:suspend', linkId: link, reason: 3, note: '調査中' });
    expect(parseOpsArgs(['provider:terminate', '--provider', 'oldbook', '--yes'], { now })).toEqual({ name: 'provider:terminate', provider: 'oldbook', note: '' });
    // Without an offset a time is Asia/Tokyo; with one it is taken as written.
    expect(parseOpsArgs(['maintenance:schedule', '--from', '2027-02-01T02:00', '--to', '2027-02-01T05:00:00+09:00', '--note-ja', '定期', '--note-en', 'Scheduled'], { now })).toEqual({
      name: 'maintenance:schedule',
      startsAt: new Date('2027-01-31T17:00:00Z'),
      endsAt: new Date('2027-01-31T20:00:00Z'),
      noteJa: '定期',
      noteEn: 'Scheduled',
    });
    expect(parseOpsArgs(['disclosure:record', '--customer', '1000001', '--provider', 'kakeibo-plus', '--information', '明細', '--reason', '2', '--at', '2027-01-09T10:00'], { now })).toMatchObject({
      reason: 2,
      disclosedAt: new Date('2027-01-09T01:00:00Z'),
    });
    expect(parseOpsArgs(['--help'], { now })).toEqual({ name: 'help', topic: undefined });
    expect(parseOpsArgs(['link:resume', '--help'], { now })).toEqual({ name: 'help', topic: 'link:resume' });
  });

  it('reads the terms text (or JSON) for terms:publish and reports a broken line', () => {
    const text = termsToPlainText(termsDocuments['2027-04-01']!).replace('（2027年4月1日改定）', '（2027年10月1日改定）');
    const doc = parseTermsText(text);
    const argv = ['terms:publish', '--id', '2027-10-01', '--revised-on', '2027-10-01', '--effective-from', '2027-10-01T00:00', '--file', 'terms.txt'];
    expect(parseOpsArgs(argv, { now, readFile: () => text })).toMatchObject({ name: 'terms:publish', effectiveFrom: new Date('2027-09-30T15:00:00Z'), body: doc });
    expect(parseOpsArgs(argv, { now, readFile: () => JSON.stringify(doc) })).toMatchObject({ body: doc });
    // A revision note left over from the previous version is caught.
    expect(usageError(argv, { readFile: () => termsToPlainText(termsDocuments['2027-04-01']!) })).toMatch(/revision note （2027年4月1日改定） does not match --revised-on 2027-10-01/);
    expect(usageError(argv, { readFile: () => text.replace('2.前項の変更は', '3.前項の変更は') })).toMatch(/^terms\.txt, line \d+: expected paragraph 2\., found 3\.$/);
    expect(usageError(argv, { readFile: () => '{ nope' })).toMatch(/not valid JSON/);
    expect(usageError(argv, { readFile: () => { throw new Error('ENOENT'); } })).toMatch(/Cannot read --file terms\.txt/);
    expect(usageError([...argv.slice(0, 6), '2027-01-01T00:00', '--file', 'x'], { readFile: () => text })).toMatch(/--effective-from must be in the future/);
  });

  it.each([
    [[], /No command given/],
    [['nope'], /Unknown command "nope"/],
    [['link:suspend', '--reason', '3'], /Missing --link/],
    [['link:suspend', '--link', 'x', '--reason', '3'], /--link must be an id/],
    [['link:suspend', '--link', '6f1c1c4e-8d3b-4d8e-9a57-0d3f2b8c9e10', '--reason', '8'], /--reason must be one of Art\. 5\.2/],
    [['link:suspend', '--link', '6f1c1c4e-8d3b-4d8e-9a57-0d3f2b8c9e10', '--reason', '3', '--bogus'], /Unknown option '--bogus'/],
    [['provider:terminate', '--provider', 'oldbook'], /cannot be undone: add --yes/],
    [['maintenance:schedule', '--from', '2027-02-01T05:00', '--to', '2027-02-01T02:00', '--note-ja', 'a', '--note-en', 'a'], /--to must be after --from/],
    [['maintenance:schedule', '--from', 'tomorrow', '--to', '2027-02-01T02:00', '--note-ja', 'a', '--note-en', 'a'], /--from must be a date and time/],
    [['maintenance:schedule', '--from', '2027-02-30T01:00', '--to', '2027-03-01T02:00', '--note-ja', 'a', '--note-en', 'a'], /--from must be a date and time/],
    [['disclosure:record', '--customer', '1000001', '--provider', 'p', '--information', 'i', '--reason', '5', '--at', '2027-01-01T00:00'], /--reason must be one of Art\. 7/],
    [['disclosure:record', '--customer', '1000001', '--provider', 'p', '--information', 'i', '--reason', '1', '--at', '2027-02-01T00:00'], /--at is in the future/],
    [['events:list', '--limit', '0'], /--limit must be a whole number/],
  ])('refuses %j', (argv, message) => {
    expect(usageError(argv)).toMatch(message);
  });
});

describe('npm run ops: the process', () => {
  const ops = (...args: string[]) => spawnSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/ops.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });

  it('prints the commands for --help and exits 0', () => {
    const result = ops('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('npm run ops -- <command> [options]');
    expect(result.stdout).toContain('terms:publish');
  });

  it('exits 2 with a message and the command’s usage on bad input, before opening any database', () => {
    const result = ops('maintenance:schedule', '--from', 'soon', '--to', '2027-02-01T02:00', '--note-ja', 'a', '--note-en', 'a');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--from must be a date and time');
    expect(result.stderr).toContain('npm run ops -- maintenance:schedule --from <…> --to <…>');
    expect(result.stdout).toBe('');
  });
});

describe('npm start', () => {
  // Issue 12, defect 6: the npm script pinned port 3000, so PORT=8080 npm start still took 3000.
  it('listens on PORT when it is set, else on 3000, as next start does', () => {
    const fakeNode = path.join(root, 'test', 'fixtures', 'print-args.sh');
    const run = (env: Record<string, string>) =>
      spawnSync('npm', ['start', '--silent'], { cwd: root, env: { ...process.env, RENKEI_NODE_BIN: fakeNode, PORT: '', ...env }, encoding: 'utf8' });
    const withPort = run({ PORT: '8080' });
    expect(withPort.status, withPort.stderr).toBe(0);
    expect(withPort.stdout).toContain('server/main.ts --port 8080');
    const { PORT: _unset, ...rest } = process.env;
    const without = spawnSync('npm', ['start', '--silent'], { cwd: root, env: { ...rest, RENKEI_NODE_BIN: fakeNode }, encoding: 'utf8' });
    expect(without.stdout).toContain('server/main.ts --port 3000');
  });
});

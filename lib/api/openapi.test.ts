import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi';

describe('OpenAPI document', () => {
  const doc = openApiDocument('https://bank.example') as { openapi: string; paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[]; additionalProperties?: boolean }> } };
  it('is OpenAPI 3.1 with every endpoint of SPEC §7', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(['/accounts', '/accounts/{id}/balance', '/accounts/{id}/transactions', '/payees', '/direct-debit/applications', '/direct-debit/transfers', '/transfers']);
  });
  it('describes the transfer request from the schema the route validates with', () => {
    const request = doc.components.schemas.TransferRequest!;
    expect(request.required).toEqual(['from_account_id', 'payee_id', 'amount']);
    expect(request.additionalProperties).toBe(false);
    expect(request.properties?.amount).toMatchObject({ type: 'integer', format: 'int64', minimum: 1, maximum: 10_000_000 });
  });
  it('names every field of every request and response in one convention, snake_case (issue 12, defect 5)', () => {
    const names: string[] = [];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) return value.forEach(walk);
      if (!value || typeof value !== 'object') return;
      const node = value as Record<string, unknown>;
      if (node.properties && typeof node.properties === 'object') names.push(...Object.keys(node.properties));
      Object.values(node).forEach(walk);
    };
    walk(doc);
    expect(names.length).toBeGreaterThan(30);
    expect(names.filter((n) => !/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(n))).toEqual([]);
  });
  it('every $ref resolves', () => {
    const refs = JSON.stringify(doc).match(/#\/components\/schemas\/\w+/g) ?? [];
    for (const ref of new Set(refs)) expect(doc.components.schemas[ref.split('/').at(-1)!], ref).toBeDefined();
  });
});

// Issue 12, defect 10: Spectral's OpenAPI rules and the OWASP API Security ruleset (.spectral.yaml)
// report no error. The warnings left are free text a pattern cannot describe (names in kana and
// kanji, descriptions, memos, problem texts): docs/decisions.md 38 lists them; a new one fails here.
const FREE_TEXT = [
  'Account/properties/branch_name',
  'Transaction/properties/description',
  'Payee/properties/bank_name',
  'Payee/properties/branch_name',
  'Payee/properties/holder_name_kana',
  'DirectDebitAgreement/properties/biller_name',
  'DirectDebitAgreement/properties/customer_reference',
  'Problem/properties/title',
  'Problem/properties/detail',
  'Problem/properties/errors/items/properties/detail',
].map((p) => `components/schemas/${p}`);

describe('OpenAPI document under spectral:oas + the OWASP API Security ruleset', () => {
  it('has no error, and no warning but the listed free-text fields', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const dir = mkdtempSync(path.join(tmpdir(), 'renkei-openapi-'));
    try {
      const file = path.join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(openApiDocument('https://bank.example'), null, 2));
      const run = spawnSync(process.execPath, [path.join(root, 'node_modules/@stoplight/spectral-cli/dist/index.js'), 'lint', file, '--ruleset', path.join(root, '.spectral.yaml'), '-f', 'json', '--quiet'], {
        cwd: root,
        encoding: 'utf8',
      });
      const results = JSON.parse(run.stdout || '[]') as { code: string; severity: number; path: (string | number)[]; message: string }[];
      expect(run.status, run.stderr).toBe(0); // spectral exits 1 on an error
      const errors = results.filter((r) => r.severity === 0).map((r) => `${r.code} ${r.path.join('/')}: ${r.message}`);
      expect(errors).toEqual([]);
      const warnings = results.filter((r) => r.severity === 1).map((r) => `${r.code} ${r.path.join('/')}`);
      expect(warnings.sort()).toEqual(FREE_TEXT.map((p) => `owasp:api4:2023-string-restricted ${p}`).sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

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
    expect(request.properties?.amount).toMatchObject({ type: 'integer', exclusiveMinimum: 0, maximum: 10_000_000 });
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

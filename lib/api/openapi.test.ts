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
  it('every $ref resolves', () => {
    const refs = JSON.stringify(doc).match(/#\/components\/schemas\/\w+/g) ?? [];
    for (const ref of new Set(refs)) expect(doc.components.schemas[ref.split('/').at(-1)!], ref).toBeDefined();
  });
});

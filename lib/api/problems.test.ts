import { describe, expect, it } from 'vitest';
import { loadMessages } from '@/messages';
import { openApiDocument } from './openapi';
import { problem } from './problem';
import { PROBLEM_CODES, PROBLEMS, problemType } from './problems';

// One catalogue of the API's refusals: what problem() sends, what the OpenAPI document declares
// and what /docs/providers explains all come from lib/api/problems.ts.
describe('the problem catalogue', () => {
  it.each(PROBLEM_CODES)('%s is sent with its status, title and challenge', async (code) => {
    const entry: { status: number; title: string; challenge?: string } = PROBLEMS[code];
    const response = problem(code, 'why');
    expect(response.status).toBe(entry.status);
    expect(await response.json()).toEqual({ type: problemType(code), title: entry.title, status: entry.status, detail: 'why' });
    const challenge = response.headers.get('www-authenticate');
    if (entry.challenge) expect(challenge).toContain(`DPoP error="${entry.challenge}"`);
    else expect(challenge).toBeNull();
  });

  it('is the list of problem types the OpenAPI document declares', () => {
    const doc = openApiDocument('https://bank.example') as { components: { schemas: { Problem: { properties: { type: { enum: string[] } } } } } };
    expect(doc.components.schemas.Problem.properties.type.enum).toEqual(PROBLEM_CODES.map(problemType));
  });

  it.each(['ja', 'en'] as const)('has an explanation on /docs/providers for every refusal (%s)', async (locale) => {
    const messages = (await loadMessages(locale)) as { ApiDocs: { errors: { rows: Record<string, { when?: string; action?: string }> } } };
    const rows = messages.ApiDocs.errors.rows;
    const expected = [...PROBLEM_CODES.filter((c) => !('business' in PROBLEMS[c])), 'business'];
    for (const code of expected) {
      expect(rows[code]?.when, `${locale}: ApiDocs.errors.rows.${code}.when`).toBeTruthy();
      expect(rows[code]?.action, `${locale}: ApiDocs.errors.rows.${code}.action`).toBeTruthy();
    }
    expect(Object.keys(rows).sort()).toEqual(expected.sort());
  });
});

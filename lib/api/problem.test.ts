import { afterEach, describe, expect, it, vi } from 'vitest';
import { GET as unknownPath } from '@/app/api/v1/[...path]/route';
import { apiRoute } from './problem';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('provider API failures', () => {
  it('answers an unexpected failure with 500 problem+json and a reference that is in the log', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const route = apiRoute(async (_request: Request) => {
      throw new Error('connection refused');
    });
    const response = await route(new Request('http://bank.test/api/v1/payees'));
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const body = (await response.json()) as { type: string; status: number; reference: string; detail: string };
    expect(body).toMatchObject({ type: 'https://renkei.example/problems/internal-error', status: 500 });
    expect(body.reference).toMatch(/^[0-9a-f]{8}$/);
    expect(body.detail).not.toContain('connection refused');
    expect(String(logged.mock.calls[0]?.[0])).toBe(`[api ${body.reference}] GET /api/v1/payees`);
    // A handler that answers is passed through untouched.
    const ok = apiRoute(async (_request: Request) => new Response('fine', { status: 201 }));
    expect((await ok(new Request('http://bank.test/x'))).status).toBe(201);
  });

  it('answers an unknown path under /api/v1 with 404 problem+json', async () => {
    const response = await unknownPath();
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ type: 'https://renkei.example/problems/not-found', status: 404 });
  });
});

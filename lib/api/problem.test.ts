import { afterEach, describe, expect, it, vi } from 'vitest';
import { GET as unknownPath } from '@/app/api/v1/[...path]/route';
import { requestContextStorage } from '@/lib/observability/context';
import { captureLogs } from '@/lib/observability/logger';
import { metrics } from '@/lib/observability/metrics';
import { apiRoute, notFound } from './problem';

async function decisionCount(labels: { outcome: string; status: string; reason: string }): Promise<number> {
  const { values } = await metrics.apiDecisions.get();
  return values.find((v) => v.labels.outcome === labels.outcome && v.labels.status === labels.status && v.labels.reason === labels.reason)?.value ?? 0;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('provider API failures', () => {
  it('answers an unexpected failure with 500 problem+json whose reference is the request id, on the log line', async () => {
    const route = apiRoute(async (_request: Request) => {
      throw new Error('connection refused');
    });
    let response: Response | undefined;
    const lines = await captureLogs(() =>
      requestContextStorage.run({ requestId: 'req-7f3a' }, async () => {
        response = await route(new Request('http://bank.test/api/v1/payees'));
      }),
    );
    expect(response?.status).toBe(500);
    expect(response?.headers.get('content-type')).toBe('application/problem+json');
    const body = (await response?.json()) as { type: string; status: number; reference: string; detail: string };
    expect(body).toMatchObject({ type: 'https://renkei.example/problems/internal-error', status: 500, reference: 'req-7f3a' });
    expect(body.detail).not.toContain('connection refused');
    const failure = lines.find((line) => line.msg === 'provider API call failed');
    expect(failure).toMatchObject({ level: 'error', reqId: 'req-7f3a', component: 'api' });
    expect((failure?.err as { message?: string } | undefined)?.message).toBe('connection refused');
    // A handler that answers is passed through untouched.
    const ok = apiRoute(async (_request: Request) => new Response('fine', { status: 201 }));
    expect((await ok(new Request('http://bank.test/x'))).status).toBe(201);
  });

  it('counts each decision by outcome, status and reason', async () => {
    const before = await decisionCount({ outcome: 'refused', status: '404', reason: 'not-found' });
    const allowedBefore = await decisionCount({ outcome: 'allowed', status: '200', reason: '' });
    await apiRoute(async () => notFound())(new Request('http://bank.test/api/v1/accounts/x/balance'));
    await apiRoute(async () => Response.json({}))(new Request('http://bank.test/api/v1/payees'));
    expect(await decisionCount({ outcome: 'refused', status: '404', reason: 'not-found' })).toBe(before + 1);
    expect(await decisionCount({ outcome: 'allowed', status: '200', reason: '' })).toBe(allowedBefore + 1);
  });

  it('answers an unknown path under /api/v1 with 404 problem+json', async () => {
    const response = await unknownPath();
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ type: 'https://renkei.example/problems/not-found', status: 404 });
  });
});

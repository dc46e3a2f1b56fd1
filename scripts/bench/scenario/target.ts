// What the load is aimed at: demo2 links the demo provider (a real DPoP-bound token), then one
// checked balance read and one bare request show that both routes answer as they should.
import type { DbKind } from '../args';
import type { DbRun } from '../db-run';
import { proofSigner, type ProofSigner } from '../dpop';
import { linkDemoProvider } from '../link';
import type { Server } from '../server';
import { log } from '../util';

export type Target = { accessToken: string; proof: ProofSigner; checkedPath: string; barePath: string; checkedUrl: string };

/** Records run.linkingMs and run.proxyHeadersOnBoth; throws if either route does not answer 200. */
export async function linkAndCheck(kind: DbKind, server: Server, run: DbRun): Promise<Target> {
  const { session, accessToken, tookMs } = await linkDemoProvider(server.origin);
  run.linkingMs = tookMs;
  log(`${kind}: demo2 linked the demo provider (balances) in ${(tookMs / 1000).toFixed(1)} s; DPoP-bound token issued`);
  const proof = await proofSigner(session, accessToken);
  const api = async (apiPath: string) => {
    const url = `${server.origin}${apiPath}`;
    return fetch(url, { headers: { Authorization: `DPoP ${accessToken}`, DPoP: proof('GET', url) } });
  };
  const accountsResponse = await api('/api/v1/accounts');
  if (accountsResponse.status !== 200) throw new Error(`GET /api/v1/accounts answered ${accountsResponse.status}: ${await accountsResponse.text()}`);
  const { accounts } = (await accountsResponse.json()) as { accounts: { id: string; type: string }[] };
  const account = accounts.find((a) => a.type === 'ordinary') ?? accounts[0];
  if (!account) throw new Error('the link has no account');
  const checkedPath = `/api/v1/accounts/${account.id}/balance`;
  const barePath = '/api/health';
  const checkedUrl = `${server.origin}${checkedPath}`;
  const sample = await api(checkedPath);
  const sampleBody = await sample.text();
  if (sample.status !== 200 || !sampleBody.includes('"balance"')) throw new Error(`the balance read answered ${sample.status}: ${sampleBody}`);
  const bareSample = await fetch(`${server.origin}${barePath}`);
  if (bareSample.status !== 200) throw new Error(`${barePath} answered ${bareSample.status}`);
  // Both go through proxy.ts (security headers): same middleware cost on both sides.
  run.proxyHeadersOnBoth = [sample, bareSample].every((r) => r.headers.get('x-content-type-options') === 'nosniff' && r.headers.has('content-security-policy'));
  return { accessToken, proof, checkedPath, barePath, checkedUrl };
}

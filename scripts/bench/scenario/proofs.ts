// The checked read's request headers: the access token and a fresh DPoP proof for every request.
import { SETTINGS } from '../args';
import type { DbRun } from '../db-run';
import type { Target } from './target';

export type HeaderSource = () => Record<string, string>;

/**
 * Proofs: signing in the load generator costs ~50 µs each on this CPU, taken from the same two
 * cores as the server. By default a pool of unique proofs is signed before each checked run (the
 * last one used is < 40 s old, inside the server's ±60 s iat window), so the generator only
 * copies headers, as it does for the bare route. Records run.proofs and run.proofPool.
 */
export function checkedProofs(run: DbRun, { proof, accessToken, checkedUrl }: Target) {
  let signedInline = 0;
  const inlineHeaders = () => ({ authorization: `DPoP ${accessToken}`, dpop: proof('GET', checkedUrl) });
  /** The headers for one checked run at full load; the one-connection rate sizes the pool. */
  const checkedHeaders = (unloadedRequestsPerSec: number): HeaderSource => {
    if (SETTINGS.signInline) {
      run.proofs = 'signed inline, one per request, in the load generator (--sign-inline)';
      return inlineHeaders;
    }
    const expected = Math.max(unloadedRequestsPerSec, 50) * 3 * (SETTINGS.warmupS + SETTINGS.durationS + 3);
    const size = Math.min(60_000, Math.ceil(expected) + 2_000);
    const signStarted = performance.now();
    const pool = Array.from({ length: size }, () => proof('GET', checkedUrl));
    const signMs = Math.round(performance.now() - signStarted);
    run.proofPool = { size, signMs, signedPerSec: Math.round(size / (signMs / 1000)), signedInline };
    run.proofs = `pre-signed pool of ${size} unique proofs (${signMs} ms to sign) before each checked run, each used once; signed inline if it runs out`;
    let used = 0;
    return () => {
      const dpop = used < pool.length ? pool[used++]! : (signedInline++, proof('GET', checkedUrl));
      return { authorization: `DPoP ${accessToken}`, dpop };
    };
  };
  /** Proofs signed inline so far because a pool ran out. */
  const inlineCount = () => signedInline;
  return { inlineHeaders, checkedHeaders, inlineCount };
}

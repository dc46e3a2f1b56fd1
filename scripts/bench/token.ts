// `npm run bench -- --token`: the token endpoint's refresh grants per second per core (issue 13 §5),
// beside Keycloak's published sizing (about 120 refresh grants a second per vCPU).
//
//   npm run bench -- --token [--no-build] [--connections=16] [--warmup=8] [--duration=10] [--profile]
//
// One production server on a fresh PostgreSQL database (as the main bench prepares it), a real
// link for demo2 (PAR, sign-in and consent in Chromium) and its refresh token; then autocannon
// sends refresh_token grants with everything FAPI 2.0 asks of each one: a new private_key_jwt
// client assertion (ES256, its own jti, which the server records against replay) and a new DPoP
// proof (the new access token is bound to it), both signed per request in the load generator
// with Node's synchronous crypto. The server rotates nothing (refresh tokens are kept for the
// link's life, decision 12), so one refresh token serves every connection. Per core = grants a
// second ÷ the cores the server's process used in the window (/proc). Writes
// bench/token-results.json.
import { KeyObject, randomUUID, sign } from 'node:crypto';
import { exportJWK } from 'jose';
import { DEMO_CLIENT_ID, demoClientKey } from '../../e2e/support/oauth-client';
import { SETTINGS } from './args';
import { withFreshPostgresServer } from './fresh-server';
import { linkDemoProvider } from './link';
import { drain, measure } from './load';
import { log, machine, writeResults } from './util';

const KEYCLOAK_REFRESH_PER_VCPU = 120;
const CONNECTIONS = Number(process.argv.find((a) => a.startsWith('--connections='))?.slice(14) ?? 16);

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export async function tokenBench(): Promise<void> {
  await withFreshPostgresServer('token', async ({ pg, server, sampler }) => {
    const origin = server.origin;
    const linked = await linkDemoProvider(origin, 'balances');
    if (!linked.refreshToken) throw new Error('no refresh token was issued');
    const issuer = `${origin}/oauth`;
    const tokenUrl = `${issuer}/token`;

    // The demo provider's client key and a DPoP key, as Node KeyObjects for synchronous signing.
    const client = await demoClientKey();
    const clientKey = KeyObject.from(client.key);
    const clientHeader = b64({ alg: 'ES256', kid: client.kid, typ: 'JWT' });
    const dpopKey = KeyObject.from(linked.session.dpopKeys.privateKey);
    const { kty, crv, x, y } = await exportJWK(linked.session.dpopKeys.publicKey);
    const dpopHeader = b64({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty, crv, x, y } });
    const jws = (header: string, payload: unknown, key: KeyObject) => {
      const input = `${header}.${b64(payload)}`;
      return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
    };
    const body = () => {
      const now = Math.floor(Date.now() / 1000);
      const assertion = jws(clientHeader, { iss: DEMO_CLIENT_ID, sub: DEMO_CLIENT_ID, aud: issuer, jti: randomUUID(), iat: now, exp: now + 60 }, clientKey);
      return new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: linked.refreshToken!,
        client_id: DEMO_CLIENT_ID,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      }).toString();
    };
    const headers = () => ({ DPoP: jws(dpopHeader, { htm: 'POST', htu: tokenUrl, jti: randomUUID(), iat: Math.floor(Date.now() / 1000) }, dpopKey) });

    // Sanity: one grant answers 200 with a DPoP-bound access token.
    const probe = await fetch(tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers() }, body: body() });
    const probeBody = (await probe.json()) as { access_token?: string; token_type?: string; error?: string; error_description?: string };
    if (probe.status !== 200 || probeBody.token_type?.toLowerCase() !== 'dpop') throw new Error(`refresh grant: ${probe.status} ${JSON.stringify(probeBody)}`);
    // Each grant's cost to the load generator: two ES256 signatures.
    const signStarted = performance.now();
    for (let i = 0; i < 1000; i++) {
      body();
      headers();
    }
    const signUs = Math.round((performance.now() - signStarted) * 1000) / 1000;

    const options = { warmupS: SETTINGS.warmupS, windowS: SETTINGS.durationS, serverPids: () => sampler.pids };
    const single = await measure(server.port, '/oauth/token', headers, { ...options, connections: 1, warmupS: 2, windowS: 4 }, { contentType: 'application/x-www-form-urlencoded', body });
    await drain(origin);
    const loaded = await measure(server.port, '/oauth/token', headers, { ...options, connections: CONNECTIONS }, { contentType: 'application/x-www-form-urlencoded', body });
    const serverCores = loaded.cpu?.serverCores ?? 0;
    const perCore = serverCores > 0 ? Math.round(loaded.requestsPerSec / serverCores) : 0;
    const valid = loaded.non2xx === 0 && loaded.errors === 0 && loaded.timeouts === 0 && single.non2xx === 0;
    const result = {
      when: new Date().toISOString(),
      machine: machine(pg.version),
      valid,
      signingUsPerGrant: signUs,
      oneConnection: { grantsPerSec: single.requestsPerSec, latencyMs: single.latencyMs },
      loaded: { connections: CONNECTIONS, grantsPerSec: loaded.requestsPerSec, latencyMs: loaded.latencyMs, cpu: loaded.cpu, statusCodes: loaded.statusCodes },
      perServerCore: perCore,
      keycloakPerVcpu: KEYCLOAK_REFRESH_PER_VCPU,
      ratioToKeycloak: Math.round((perCore / KEYCLOAK_REFRESH_PER_VCPU) * 100) / 100,
      peakRssMb: Math.round(sampler.peakKb / 1024),
    };
    log(`refresh grants: one connection ${single.requestsPerSec}/s (p50 ${single.latencyMs.p50} ms); ${CONNECTIONS} connections ${loaded.requestsPerSec}/s, p50 ${loaded.latencyMs.p50} / p99 ${loaded.latencyMs.p99} ms`);
    log(`server cores ${serverCores} → ${perCore} grants/s per core (Keycloak's sizing: ${KEYCLOAK_REFRESH_PER_VCPU} per vCPU; ${result.ratioToKeycloak}×); load generator ${loaded.cpu?.loadGeneratorCores} cores, ${signUs} µs of signing a grant`);
    log(`peak RSS ${result.peakRssMb} MB; ${valid ? 'valid' : `INVALID: ${JSON.stringify(loaded.statusCodes)} errors ${loaded.errors} timeouts ${loaded.timeouts}`}`);
    writeResults('token-results.json', result);
    if (!valid) process.exitCode = 1;
  });
}

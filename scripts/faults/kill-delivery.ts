// `npm run faults -- --mode=kill-delivery`: the instance killed (`kill -9`) while it delivers provider
// notifications (issue 13 §3), then started again on the same database.
//
//   npm run faults -- --mode=kill-delivery [--events=400] [--receiver-delay-ms=300] [--no-build]
//
// A fresh database on the local PostgreSQL server (BENCH_PG_URL), prepared as `npm run demo`
// prepares it; a provider's RFC 8935 receiver in this process (it answers 202 after
// --receiver-delay-ms, so that a batch is in flight most of the time) registered as the demo
// provider's events endpoint; --events notifications written to the outbox the way the app writes
// them (enqueueProviderEvent); then one production server (scripts/start.sh), whose delivery worker
// sends them. Once the receiver holds about a third of them, the server's process group is killed
// and the server started again on the same port and database. Checked afterwards: every event
// delivered (state `delivered`), every jti received at least once, every copy of one event the same
// jti and claims, none received that the outbox does not have. Those the killed instance had sent
// but not yet recorded arrive twice, with the same jti, after their lease (LEASE_MS) ends: the
// provider's receiver drops the second by jti (RFC 8935 §2, the provider guide).
// Figures: bench/faults-kill-delivery.json and a summary on stdout.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { postgresServer, prepareDatabase } from '../bench/databases';
import { appEnv, build, startServer, stopServer, waitReady } from '../bench/server';
import { sleep } from '../bench/util';

const ROOT = path.resolve(import.meta.dirname, '../..');
const option = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const EVENTS = Number(option('events') ?? 400);
const RECEIVER_DELAY_MS = Number(option('receiver-delay-ms') ?? 300);
const DONE_WITHIN_MS = 120_000;
const log = (message: string) => console.log(`[faults] ${message}`);

type Copy = { jti: string; claims: string; at: number };

async function main(): Promise<void> {
  if (!process.argv.includes('--no-build')) build();
  // A fresh database on the local server, as the bench makes one (dropped at the end).
  const pg = await postgresServer();
  if ('unreachable' in pg) throw new Error(`PostgreSQL: ${pg.unreachable}`);
  const url = new URL(pg.url);
  await prepareDatabase('postgres', url.toString());

  // The provider's receiver: records each copy, answers 202 after the delay.
  const received: Copy[] = [];
  const t0 = Date.now();
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const claims = decodeJwt(body);
      received.push({ jti: String(claims.jti), claims: JSON.stringify({ ...claims, iat: undefined }), at: Date.now() - t0 });
      setTimeout(() => {
        res.writeHead(202);
        res.end();
      }, RECEIVER_DELAY_MS);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`;

  // The outbox, written by the app's own function in this process, as the server would write it.
  Object.assign(process.env, appEnv('postgres', url.toString()));
  const { openPostgres } = await import('../../lib/db/connect');
  const { enqueueProviderEvent } = await import('../../lib/events/outbox');
  const { providerEvents, providers } = await import('../../lib/db/schema');
  const { and, count, eq, isNotNull } = await import('drizzle-orm');
  const database = await openPostgres(url.toString(), { max: 2 });
  const [provider] = await database.db.update(providers).set({ eventsEndpoint: endpoint }).where(eq(providers.clientId, 'demo-provider')).returning({ id: providers.id });
  const written = new Set<string>();
  for (let i = 0; i < EVENTS; i++) {
    written.add(await database.db.transaction((tx) => enqueueProviderEvent(tx, { providerId: provider!.id, type: 'provider.resumed', detail: { note: `faults ${i}` } })));
  }
  log(`${EVENTS} notifications in the outbox; receiver at ${endpoint}, answering after ${RECEIVER_DELAY_MS} ms`);

  let server = await startServer('postgres', url.toString(), undefined);
  let result: Record<string, unknown> = {};
  try {
    await waitReady(server);
    const killAt = Math.ceil(EVENTS / 3);
    while (new Set(received.map((c) => c.jti)).size < killAt) await sleep(20);
    const receivedAtKill = received.length;
    const killedAt = Date.now() - t0;
    process.kill(-server.child.pid!, 'SIGKILL');
    await server.exited;
    const [leased] = await database.db.select({ n: count() }).from(providerEvents).where(and(isNotNull(providerEvents.leaseUntil), eq(providerEvents.state, 'pending')));
    log(`killed the instance (kill -9) at ${(killedAt / 1000).toFixed(1)} s with ${receivedAtKill} copies received; ${leased?.n ?? 0} events leased to it`);
    server = await startServer('postgres', url.toString(), undefined, server.port);
    await waitReady(server);
    const restartedAt = Date.now() - t0;
    log(`instance back at ${(restartedAt / 1000).toFixed(1)} s`);

    const deadline = Date.now() + DONE_WITHIN_MS;
    let states: Record<string, number> = {};
    while (Date.now() < deadline) {
      const rows = await database.db.select({ state: providerEvents.state, jti: providerEvents.jti }).from(providerEvents);
      states = {};
      for (const r of rows) states[r.state] = (states[r.state] ?? 0) + 1;
      if ((states.delivered ?? 0) === EVENTS) break;
      await sleep(500);
    }
    const doneAt = Date.now() - t0;
    const byJti = new Map<string, Copy[]>();
    for (const copy of received) byJti.set(copy.jti, [...(byJti.get(copy.jti) ?? []), copy]);
    const missing = [...written].filter((jti) => !byJti.has(jti));
    const unknown = [...byJti.keys()].filter((jti) => !written.has(jti));
    const twice = [...byJti.values()].filter((copies) => copies.length > 1);
    const differing = twice.filter((copies) => new Set(copies.map((c) => c.claims)).size > 1);
    result = {
      date: new Date().toISOString(),
      events: EVENTS,
      receiverDelayMs: RECEIVER_DELAY_MS,
      killedAtMs: killedAt,
      copiesReceivedAtKill: receivedAtKill,
      leasedToTheKilledInstance: leased?.n ?? 0,
      restartedAtMs: restartedAt,
      allDeliveredAtMs: doneAt,
      states,
      copiesReceived: received.length,
      distinctReceived: byJti.size,
      missing: missing.length,
      unknown: unknown.length,
      receivedTwice: twice.length,
      receivedTwiceWithDifferentClaims: differing.length,
      secondCopyAfterMs: twice.length ? Math.min(...twice.map((c) => c[1]!.at - c[0]!.at)) : null,
    };
    const ok = (states.delivered ?? 0) === EVENTS && missing.length === 0 && unknown.length === 0 && differing.length === 0;
    log(`all ${states.delivered ?? 0} of ${EVENTS} delivered at ${(doneAt / 1000).toFixed(1)} s (${JSON.stringify(states)})`);
    log(`received ${received.length} copies of ${byJti.size} events: missing ${missing.length}, unknown ${unknown.length}, twice ${twice.length} (same jti and claims: ${twice.length - differing.length})`);
    log(ok ? 'PASS: nothing lost, nothing invented, every copy of an event the same' : 'FAIL');
    if (!ok) process.exitCode = 1;
  } finally {
    await stopServer(server);
    fs.writeFileSync(path.join(ROOT, 'bench', 'faults-kill-delivery.json'), `${JSON.stringify(result, null, 2)}\n`);
    await database.close();
    receiver.closeAllConnections();
    receiver.close();
    await pg.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

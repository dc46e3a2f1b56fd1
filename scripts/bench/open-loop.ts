// Open-loop load (issue 13 §5): requests sent on a fixed schedule, whatever the answers, so that
// latency is the service's and not the queue a closed run builds. Two generators, side by side:
//
// - paced: one request every 1/rate s on keep-alive connections opened as needed (node:http),
//   each request's latency counted from the moment the schedule says it should have left
//   (corrected for coordinated omission, as wrk2 does): if the generator or a full socket pool
//   holds a request back, the delay counts;
// - autocannon's `overallRate`: the rate shared between its connections, each sending its share
//   as soon as it can at the start of each of its seconds (a burst a second), latency as sent.
import http from 'node:http';
import { cpuBetween, cpuSnapshot, type CpuSnapshot } from './cpu';
import { measure, percentile, round1 } from './load';
import { BENCH_METRICS_TOKEN } from './server';

export type OpenLoopMeasured = {
  generator: 'paced' | 'autocannon overallRate';
  /** The rate asked for, requests a second. */
  ratePerSec: number;
  /** Responses completed inside the window, per second. */
  requestsPerSec: number;
  requestsTimed: number;
  windowS: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Paced: the longest a request left after its scheduled time (the generator's own lag; ~0 when the figures are the server's). */
  sendLagMaxMs?: number;
  /** The paced runs: the window in 500-ms slices by scheduled send time (count, p50, max ms), to tell a steady tail from bursts. */
  timeline?: Array<{ atS: number; n: number; p50: number; max: number }>;
  /** Paced: the most requests in flight at once (sockets the generator needed). */
  inFlightMax?: number;
  connections?: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
  cpu?: ReturnType<typeof cpuBetween>;
  /** The server's own view of the run (its /metrics before and after): GC pauses by kind, and the event loop's longest delay. */
  server?: ServerFigures;
};

type GcKind = 'minor' | 'major' | 'incremental' | 'weakcb';
export type ServerFigures = { gc: Partial<Record<GcKind, { pauses: number; totalMs: number; over100Ms: number }>>; eventLoopDelayMaxMs: number };
type Scrape = Map<string, number>;

async function scrape(origin: string): Promise<Scrape> {
  const text = await (await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` } })).text();
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    // Labels in a fixed order (kind, then le) whatever order prom-client writes them in.
    const match = /^(nodejs_gc_duration_seconds_(?:sum|count|bucket)|nodejs_eventloop_lag_max_seconds)(?:\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const key = `${match[1]}${labels.kind ? `{kind="${labels.kind}"${labels.le ? `,le="${labels.le}"` : ''}}` : ''}`;
    values.set(key, Number(match[3]));
  }
  return values;
}

/** Scrapes before a run (which also resets the event loop's max) and returns the difference after it. */
async function serverFigures(origin: string | undefined): Promise<() => Promise<ServerFigures | undefined>> {
  if (!origin) return async () => undefined;
  const before = await scrape(origin).catch(() => undefined);
  return async () => {
    const after = await scrape(origin).catch(() => undefined);
    if (!before || !after) return undefined;
    const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
    const gc: ServerFigures['gc'] = {};
    for (const kind of ['minor', 'major', 'incremental', 'weakcb'] as const) {
      const pauses = delta(`nodejs_gc_duration_seconds_count{kind="${kind}"}`);
      if (pauses === 0) continue;
      gc[kind] = { pauses, totalMs: round1(delta(`nodejs_gc_duration_seconds_sum{kind="${kind}"}`) * 1000), over100Ms: pauses - delta(`nodejs_gc_duration_seconds_bucket{kind="${kind}",le="0.1"}`) };
    }
    return { gc, eventLoopDelayMaxMs: round1((after.get('nodejs_eventloop_lag_max_seconds') ?? 0) * 1000) };
  };
}

export type OpenLoopOptions = { ratePerSec: number; warmupS: number; windowS: number; serverPids: () => number[]; connections: number; origin?: string };

function summarise(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    p50: round1(percentile(sorted, 50)),
    p90: round1(percentile(sorted, 90)),
    p99: round1(percentile(sorted, 99)),
    max: round1(sorted.at(-1) ?? 0),
    mean: round1(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
  };
}

/** Paced open loop: warm-up, then the window; requests scheduled in the window are timed. */
export async function pacedOpenLoop(port: number, requestPath: string, headers: () => Record<string, string>, o: OpenLoopOptions): Promise<OpenLoopMeasured> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const intervalMs = 1000 / o.ratePerSec;
  const total = Math.round(o.ratePerSec * (o.warmupS + o.windowS));
  const windowStart = o.warmupS * 1000;
  const windowEnd = windowStart + o.windowS * 1000;
  const timed: number[] = [];
  const slices = new Map<number, number[]>();
  const statusCodes: Record<string, number> = {};
  let completedInWindow = 0;
  let non2xx = 0;
  let errors = 0;
  let inFlight = 0;
  let inFlightMax = 0;
  let sendLagMaxMs = 0;
  let cpuBefore: CpuSnapshot | undefined;
  let cpuAfter: CpuSnapshot | undefined;
  const figures = await serverFigures(o.origin);
  const t0 = performance.now();
  const marks = [setTimeout(() => (cpuBefore = cpuSnapshot(o.serverPids())), windowStart), setTimeout(() => (cpuAfter = cpuSnapshot(o.serverPids())), windowEnd)];

  await new Promise<void>((resolve) => {
    let sent = 0;
    let settled = 0;
    const settle = () => {
      inFlight--;
      if (++settled === total) resolve();
    };
    const send = (scheduledAt: number) => {
      const lag = performance.now() - t0 - scheduledAt;
      if (scheduledAt >= windowStart) sendLagMaxMs = Math.max(sendLagMaxMs, lag);
      inFlightMax = Math.max(inFlightMax, ++inFlight);
      const request = http.request({ host: '127.0.0.1', port, path: requestPath, agent, headers: { host: `localhost:${port}`, ...headers() } }, (response) => {
        response.resume();
        response.on('end', () => {
          const doneAt = performance.now() - t0;
          const status = response.statusCode ?? 0;
          statusCodes[status] = (statusCodes[status] ?? 0) + 1;
          if (status < 200 || status > 299) non2xx++;
          if (doneAt >= windowStart && doneAt < windowEnd) completedInWindow++;
          if (scheduledAt >= windowStart && scheduledAt < windowEnd) {
            timed.push(doneAt - scheduledAt);
            const slice = Math.floor((scheduledAt - windowStart) / 500);
            (slices.get(slice) ?? slices.set(slice, []).get(slice)!).push(doneAt - scheduledAt);
          }
          settle();
        });
      });
      request.on('error', () => {
        errors++;
        settle();
      });
      request.end();
    };
    // A tick every millisecond sends whatever the schedule says is due (several at once if the
    // event loop was late: their scheduled times, not the tick's, are what latency counts from).
    const tick = () => {
      const now = performance.now() - t0;
      while (sent < total && sent * intervalMs <= now) send(sent++ * intervalMs);
      if (sent < total) setTimeout(tick, Math.max(0, Math.min(1, sent * intervalMs - now)));
    };
    tick();
  });
  marks.forEach(clearTimeout);
  agent.destroy();
  return {
    generator: 'paced',
    ratePerSec: Math.round(o.ratePerSec),
    requestsPerSec: round1(completedInWindow / o.windowS),
    requestsTimed: timed.length,
    windowS: o.windowS,
    latencyMs: summarise(timed),
    sendLagMaxMs: round1(sendLagMaxMs),
    timeline: [...slices.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([slice, values]) => {
        const { p50, max } = summarise(values);
        return { atS: slice / 2, n: values.length, p50, max };
      }),
    inFlightMax,
    non2xx,
    errors,
    statusCodes,
    cpu: cpuBefore && cpuAfter ? cpuBetween(cpuBefore, cpuAfter) : undefined,
    server: await figures(),
  };
}

/** autocannon with `overallRate` on `connections` connections: the closed run's measure(), rate-limited. */
export async function autocannonOpenLoop(port: number, requestPath: string, headers: () => Record<string, string>, o: OpenLoopOptions): Promise<OpenLoopMeasured> {
  const figures = await serverFigures(o.origin);
  const rate = Math.round(o.ratePerSec);
  const m = await measure(port, requestPath, headers, { connections: o.connections, warmupS: o.warmupS, windowS: o.windowS, serverPids: o.serverPids, overallRate: rate });
  return {
    generator: 'autocannon overallRate',
    ratePerSec: rate,
    requestsPerSec: m.requestsPerSec,
    requestsTimed: m.requestsTimed,
    windowS: m.windowS,
    latencyMs: m.latencyMs,
    connections: o.connections,
    non2xx: m.non2xx,
    errors: m.errors + m.timeouts,
    statusCodes: m.statusCodes,
    cpu: m.cpu,
    server: await figures(),
  };
}

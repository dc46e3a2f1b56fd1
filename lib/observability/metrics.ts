import client, { type Counter, type Gauge, type Histogram, type Registry } from 'prom-client';

/**
 * The process's Prometheus metrics (prom-client), served at /metrics (app/metrics/route.ts, for an
 * operator or the configured bearer token). One registry per process, on globalThis, shared by the
 * server (HTTP requests) and the app's bundles (everything else); each metric is made once by
 * whichever side asks first. Labels are bounded sets: route patterns, never raw paths or ids.
 */
const KEY = Symbol.for('renkei.metrics');
type MetricsState = { registry: Registry; defaults: boolean };
const globalStore = globalThis as typeof globalThis & { [KEY]?: MetricsState };
const state: MetricsState = (globalStore[KEY] ??= { registry: new client.Registry(), defaults: false });

export const registry: Registry = state.registry;

/** Process metrics (CPU, memory, event-loop lag, GC), once per process. */
export function collectProcessMetrics(): void {
  if (state.defaults) return;
  state.defaults = true;
  client.collectDefaultMetrics({ register: registry });
}

function counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
  return (registry.getSingleMetric(name) as Counter<L> | undefined) ?? new client.Counter({ name, help, labelNames, registers: [registry] });
}

function histogram<L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]): Histogram<L> {
  return (registry.getSingleMetric(name) as Histogram<L> | undefined) ?? new client.Histogram({ name, help, labelNames, buckets, registers: [registry] });
}

/** A gauge read when scraped (e.g. from the database); `collect` sets its values. */
export function gauge<L extends string>(name: string, help: string, labelNames: readonly L[], collect?: (this: Gauge<L>) => Promise<void> | void): Gauge<L> {
  const existing = registry.getSingleMetric(name) as Gauge<L> | undefined;
  if (existing) return existing;
  return new client.Gauge({ name, help, labelNames, registers: [registry], ...(collect ? { collect } : {}) });
}

export const metrics = {
  httpRequests: counter('http_requests_total', 'HTTP requests answered, by method, route pattern and status.', ['method', 'route', 'status']),
  httpDuration: histogram('http_request_duration_seconds', 'Time to answer an HTTP request, by method, route pattern and status.', ['method', 'route', 'status'], [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2.5, 5, 10]),
  apiDecisions: counter('renkei_api_decisions_total', 'Provider API calls by decision: allowed, or refused with its status and reason.', ['outcome', 'status', 'reason']),
  tokenGrants: counter('renkei_token_grants_total', 'Token endpoint requests by grant type and result.', ['grant_type', 'result']),
  signIns: counter('renkei_sign_ins_total', 'Sign-in steps by realm (customer, staff), step (password, otp) and outcome (success, failure, locked, throttled, not_registered).', ['realm', 'step', 'outcome']),
  rateLimited: counter('renkei_rate_limited_total', 'Requests refused with 429 by a traffic limit, by limit.', ['limit']),
  eventDeliveries: counter('renkei_event_deliveries_total', 'Pushes of Security Event Tokens to providers, by result.', ['result']),
  dbQueryErrors: counter('renkei_db_query_errors_total', 'Database statements that failed (any reason, including a lost connection).', []),
};

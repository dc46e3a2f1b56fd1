import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What the server knows about the request being served: its id (from `X-Request-Id` or
 * `traceparent`, else made), and who is asking once the app has found out. The server
 * (server/main.ts) opens a context around each request; the app's code (bundled by Next, so a
 * second copy of this module) reaches the same store through globalThis.
 *
 * No `@/` imports here or in the other files of this folder: server/main.ts loads them with Node's
 * own TypeScript support, outside Next's bundler.
 */
export type RequestContext = {
  requestId: string;
  /** `customer`, `staff`, or `provider:<client_id>`; unset for an anonymous request. */
  principal?: string;
};

const KEY = Symbol.for('renkei.requestContext');
const globalStore = globalThis as typeof globalThis & { [KEY]?: AsyncLocalStorage<RequestContext> };
export const requestContextStorage: AsyncLocalStorage<RequestContext> = (globalStore[KEY] ??= new AsyncLocalStorage<RequestContext>());

export function currentRequestContext(): RequestContext | undefined {
  return requestContextStorage.getStore();
}

export function currentRequestId(): string | undefined {
  return requestContextStorage.getStore()?.requestId;
}

/** Records who the request turned out to be for (logged on its access line). */
export function setRequestPrincipal(principal: 'customer' | 'staff' | `provider:${string}`): void {
  const context = requestContextStorage.getStore();
  if (context) context.principal = principal;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The id of an incoming request: a well-formed `X-Request-Id` as sent (a load balancer's or the
 * caller's), else the trace id of a W3C `traceparent`, else a new one. Anything else in those
 * headers is ignored, so a log line can never carry what a caller smuggled into it.
 */
export function requestIdFrom(headers: Record<string, string | string[] | undefined>, make: () => string): string {
  const given = headers['x-request-id'];
  if (typeof given === 'string' && REQUEST_ID.test(given)) return given;
  const trace = headers.traceparent;
  const match = typeof trace === 'string' ? TRACEPARENT.exec(trace.trim()) : null;
  if (match?.[1] && !/^0+$/.test(match[1])) return match[1];
  return make();
}

/**
 * The reference shown to a person when something failed unexpectedly: the first 8 characters of
 * the request's id (short enough to read out on the phone); the log line of the failure carries
 * the whole id, which begins with it.
 */
export function errorReference(make: () => string): string {
  return (currentRequestId() ?? make()).slice(0, 8);
}

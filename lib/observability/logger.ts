import { createRequire } from 'node:module';
import { format } from 'node:util';
import pino, { type Logger } from 'pino';
import { requestContextStorage } from './context.ts';

/**
 * The process's one logger (pino): JSON lines, each with the request id of the request it was
 * written for (pino's `mixin` reads the request context), human-readable through pino-pretty when
 * the output is a terminal outside production. Shared through globalThis by the server and the
 * app's bundles, like the request context.
 *
 * What is never logged: secrets, tokens, passwords, one-time passwords, DPoP proofs, cookies,
 * account numbers. Nothing here logs request headers or bodies; `redact` is the second line of
 * defence for an object that carries one of those keys by mistake (test: e2e/logs.spec.ts greps a
 * whole end-to-end run's log).
 */
const KEY = Symbol.for('renkei.logger');
const globalStore = globalThis as typeof globalThis & { [KEY]?: LoggerState };

export const REDACTED_KEYS = [
  'password',
  'otp',
  'totp',
  'secret',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'authorization',
  'cookie',
  'dpop',
  'client_assertion',
  'code_verifier',
  'accountNumber',
];

function level(): string {
  if (process.env.LOG_LEVEL) return process.env.LOG_LEVEL;
  return process.env.VITEST ? 'warn' : 'info';
}

/** pretty: LOG_FORMAT=pretty, or a terminal outside production (and pino-pretty installed). */
function prettyStream(): NodeJS.WritableStream | undefined {
  const wanted = process.env.LOG_FORMAT ?? (process.stdout.isTTY && process.env.RENKEI_MODE !== 'production' && !process.env.VITEST ? 'pretty' : 'json');
  if (wanted !== 'pretty') return undefined;
  try {
    const require = createRequire(`${process.cwd()}/package.json`);
    const pretty = require('pino-pretty') as (options: Record<string, unknown>) => NodeJS.WritableStream;
    return pretty({ colorize: Boolean(process.stdout.isTTY), sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
  } catch {
    return undefined; // a production install without dev dependencies: JSON
  }
}

type Sink = { write: (line: string) => void; flush?: (cb?: (error?: Error) => void) => void };
type LoggerState = { logger: Logger; access: Logger; destination: Sink; captured: string[] | null };

function create(): LoggerState {
  const options: pino.LoggerOptions = {
    level: level(),
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: [...REDACTED_KEYS, ...REDACTED_KEYS.map((key) => `*.${key}`)], censor: '[redacted]' },
    mixin() {
      const context = requestContextStorage.getStore();
      return context ? { reqId: context.requestId } : {};
    },
  };
  const destination: Sink = (prettyStream() as Sink | undefined) ?? (pino.destination({ dest: 1, sync: true }) as unknown as Sink);
  const state: LoggerState = { logger: undefined as unknown as Logger, access: undefined as unknown as Logger, destination, captured: null };
  // One level of indirection, so a test can read what was logged (captureLogs).
  const sink: Sink = {
    write: (line) => (state.captured ? void state.captured.push(line) : state.destination.write(line)),
    flush: (cb) => (state.destination.flush ? state.destination.flush(cb) : cb?.()),
  };
  state.logger = pino(options, sink as unknown as pino.DestinationStream);
  // The access log (accessLog): the same lines and output, without the redaction pass, which is a
  // real share of a 1 ms request and has nothing to find in its fields.
  state.access = pino({ level: options.level, base: options.base, timestamp: options.timestamp, formatters: options.formatters }, sink as unknown as pino.DestinationStream);
  return state;
}

const state: LoggerState = (globalStore[KEY] ??= create());
export const logger: Logger = state.logger;

/**
 * Tests: the lines logged while `work` runs (parsed), at `level` or above, instead of stdout.
 */
export async function captureLogs(work: () => Promise<void> | void, level = 'info'): Promise<Array<Record<string, unknown>>> {
  const lines: string[] = [];
  const before = logger.level;
  state.captured = lines;
  logger.level = level;
  state.access.level = level;
  try {
    await work();
  } finally {
    state.captured = null;
    logger.level = before;
    state.access.level = before;
  }
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The fields of an access line: a route pattern, never a path with ids; a principal, never a credential. */
export type AccessLine = { reqId: string; method: string; route: string; status: number; durationMs: number; principal: string };

/** One request's access line (server/main.ts), as `{"component":"server", …, "msg":"request"}`. */
export function accessLog(line: AccessLine): void {
  state.access.info({ component: 'server', ...line }, 'request');
}

/** A logger for one part of the app (`{"component": name}` on each line). */
export function log(component: string): Logger {
  return logger.child({ component });
}

/**
 * `console.*` through the logger (server/main.ts): Next's own messages and any library's then come
 * out as JSON lines with the request id too, never as loose text between them.
 */
export function routeConsoleToLogger(): void {
  const write = (method: 'debug' | 'info' | 'warn' | 'error') => (...args: unknown[]) => {
    const error = args.find((a): a is Error => a instanceof Error);
    const message = format(...args.map((a) => (error && a === error ? error.message : a)));
    if (error) logger[method]({ component: 'console', err: error }, message);
    else logger[method]({ component: 'console' }, message);
  };
  console.log = write('info');
  console.info = write('info');
  console.debug = write('debug');
  console.warn = write('warn');
  console.error = write('error');
}

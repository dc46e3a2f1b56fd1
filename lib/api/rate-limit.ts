import { RateLimiterDrizzle, RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { lt, sql } from 'drizzle-orm';
import { preparedPerDb, type Db } from '@/lib/db/connect';
import { rateLimits } from '@/lib/db/schema';
import { env } from '@/lib/env';
import { metrics } from '@/lib/observability/metrics';

/**
 * Traffic limits (Art. 6: the service stays available for everyone; thresholds after Australia's
 * CDR): per provider and per link on the provider API, per provider on the token endpoint, in
 * one-second windows. The counters live where every instance sees them: Redis when REDIS_URL is
 * set, else the PostgreSQL database the app already uses (rate-limiter-flexible's Drizzle store on
 * the `rate_limits` table). The embedded database admits one process (its folder lock), so there
 * the process's memory is the one shared store (docs/decisions.md 31).
 *
 * Answers carry the IETF RateLimit headers (draft-ietf-httpapi-ratelimit-headers):
 * `RateLimit-Policy: "link";q=10;w=1` and `RateLimit: "link";r=7;t=1`, and a refusal 429 with
 * `Retry-After`.
 */
export type LimitName = 'provider' | 'link' | 'token';
export type LimitDecision = { allowed: boolean; headers: Record<string, string>; limit: LimitName; retryAfterS: number };

const WINDOW_S = 1;
/** The windows' length, for a caller that counts them in its own statement (decideCounted). */
export const LIMIT_WINDOW_MS = WINDOW_S * 1000;

/** The RateLimit headers of a provider API call, set on its answer whatever it is (lib/api/problem.ts apiRoute). */
export const rateLimitHeaders = new WeakMap<Request, Record<string, string>>();

export function limitPoints(name: LimitName): number {
  return name === 'provider' ? env.RATE_LIMIT_PROVIDER_PER_S : name === 'link' ? env.RATE_LIMIT_LINK_PER_S : env.RATE_LIMIT_TOKEN_PER_S;
}

type Store = { kind: 'memory' | 'database' | 'redis'; limiters: Map<LimitName, RateLimiterAbstract> };
const globalForLimits = globalThis as typeof globalThis & { __renkeiRateLimits?: WeakMap<Db, Store> };
const stores = (globalForLimits.__renkeiRateLimits ??= new WeakMap<Db, Store>());
const redisClients = new Map<string, unknown>();

async function redis(url: string): Promise<unknown> {
  let client = redisClients.get(url);
  if (!client) {
    const { default: Redis } = await import('ioredis');
    const connected = new Redis(url, { maxRetriesPerRequest: 1 });
    connected.on('error', () => {}); // reported by the limiter's failure path (fail open), not as an unhandled error
    await new Promise<void>((resolve) => {
      connected.once('ready', () => resolve());
      connected.once('error', () => resolve());
    });
    redisClients.set(url, (client = connected));
  }
  return client;
}

/** Tests: the Redis connections this process opened. */
export async function closeRedisClients(): Promise<void> {
  for (const client of redisClients.values()) await (client as { quit: () => Promise<unknown> }).quit();
  redisClients.clear();
}

/**
 * The limiters of one database handle; `kind` says where their counters live. `fresh` (tests)
 * builds new limiter objects, as another instance would, with the given limits.
 */
export async function limitersFor(db: Db, kind: 'memory' | 'database' | 'redis', fresh?: { points: Partial<Record<LimitName, number>>; redisUrl?: string }): Promise<Store> {
  let store = fresh ? undefined : stores.get(db);
  if (store && store.kind === kind) return store;
  const limiters = new Map<LimitName, RateLimiterAbstract>();
  for (const name of ['provider', 'link', 'token'] as const) {
    const options = { keyPrefix: name, points: fresh?.points[name] ?? limitPoints(name), duration: WINDOW_S };
    limiters.set(
      name,
      kind === 'redis'
        ? new RateLimiterRedis({ ...options, storeClient: await redis(fresh?.redisUrl ?? (env.REDIS_URL as string)) })
        : kind === 'database'
          ? new PreparedDrizzleLimiter({ ...options, storeClient: db, schema: rateLimits, clearExpiredByTimeout: false }, db)
          : new RateLimiterMemory(options),
    );
  }
  store = { kind, limiters };
  if (!fresh) stores.set(db, store);
  return store;
}

/**
 * The window's upsert, prepared once per database handle (building it with drizzle's query builder
 * on every call cost more than running it; decision 23) and timed by the database's clock, which
 * every instance shares.
 */
const preparedUpsert = preparedPerDb((db) =>
  db
    .insert(rateLimits)
    .values({ key: sql.placeholder('key'), points: sql.placeholder('points'), expire: sql`now() + (${sql.placeholder('ms')}::int * interval '1 millisecond')` })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        points: sql`case when ${rateLimits.expire} <= now() then excluded.points else ${rateLimits.points} + excluded.points end`,
        expire: sql`case when ${rateLimits.expire} <= now() then excluded.expire else ${rateLimits.expire} end`,
      },
    })
    .returning({ points: rateLimits.points, expire: rateLimits.expire })
    .prepare('renkei_rate_limit_upsert'),
);

type Upsert = (key: string, points: number, msDuration: number, forceExpire?: boolean) => Promise<unknown>;

/** rate-limiter-flexible's Drizzle store with the prepared upsert above (its own builds the query each time). */
class PreparedDrizzleLimiter extends RateLimiterDrizzle {
  constructor(
    options: ConstructorParameters<typeof RateLimiterDrizzle>[0],
    private readonly db: Db,
  ) {
    super(options);
  }

  async _upsert(key: string, points: number, msDuration: number, forceExpire = false): Promise<unknown> {
    if (forceExpire || msDuration <= 0) return (RateLimiterDrizzle.prototype as unknown as { _upsert: Upsert })._upsert.call(this, key, points, msDuration, forceExpire);
    const [row] = await preparedUpsert(this.db).execute({ key, points, ms: msDuration });
    return row;
  }
}

/** Where this deployment keeps its counters. */
export function configuredStore(databaseKind: 'pglite' | 'postgres'): 'memory' | 'database' | 'redis' {
  if (env.REDIS_URL) return 'redis';
  return databaseKind === 'postgres' ? 'database' : 'memory';
}

function headersFor(store: Store, checks: Array<{ name: LimitName; res: RateLimiterRes }>): Record<string, string> {
  const policy = checks.map(({ name }) => `"${name}";q=${store.limiters.get(name)?.points ?? limitPoints(name)};w=${WINDOW_S}`).join(', ');
  const remaining = checks.map(({ name, res }) => `"${name}";r=${Math.max(0, res.remainingPoints)};t=${Math.max(1, Math.ceil(res.msBeforeNext / 1000))}`).join(', ');
  return { 'RateLimit-Policy': policy, RateLimit: remaining };
}

/**
 * Counts one request against each named key, all at once; refused when any is over its limit.
 * A store that fails (Redis or the database unreachable) lets the request through and says so in
 * the log: a limit exists to keep the service up, not to take it down.
 */
export async function consumeLimits(store: Store, keys: Array<{ name: LimitName; key: string }>, onStoreError: (error: unknown) => void): Promise<LimitDecision> {
  const checks = await Promise.all(
    keys.map(async ({ name, key }) => {
      const limiter = store.limiters.get(name) as RateLimiterAbstract;
      try {
        return { name, res: await limiter.consume(key, 1), over: false };
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return { name, res: rejection, over: true };
        onStoreError(rejection);
        return null;
      }
    }),
  );
  return decide(store, keys[0]?.name ?? 'provider', checks.filter((c): c is NonNullable<typeof c> => c !== null));
}

/** A window's count as the database returned it: points so far in the window and when it ends. */
export type WindowCount = { name: LimitName; points: number; expire: Date };

/**
 * The same decision as consumeLimits for windows already counted elsewhere: on PostgreSQL the
 * consent check's statement adds the call's point to each window (lib/api/call-state.ts) and
 * returns the counts, as rate-limiter-flexible's store would have.
 */
export function decideCounted(store: Store, counts: WindowCount[], now: number = Date.now()): LimitDecision {
  const checks = counts.map(({ name, points, expire }) => {
    const limit = store.limiters.get(name)?.points ?? limitPoints(name);
    const res = new RateLimiterRes(Math.max(limit - points, 0), Math.max(expire.getTime() - now, 0), points, false);
    return { name, res, over: points > limit };
  });
  return decide(store, counts[0]?.name ?? 'provider', checks);
}

function decide(store: Store, first: LimitName, counted: Array<{ name: LimitName; res: RateLimiterRes; over: boolean }>): LimitDecision {
  const over = counted.find((c) => c.over);
  const headers = counted.length > 0 ? headersFor(store, counted) : {};
  if (!over) return { allowed: true, headers, limit: first, retryAfterS: 0 };
  metrics.rateLimited.inc({ limit: over.name });
  const retryAfterS = Math.max(1, Math.ceil(over.res.msBeforeNext / 1000));
  return { allowed: false, headers: { ...headers, 'Retry-After': String(retryAfterS) }, limit: over.name, retryAfterS };
}

/** Housekeeping: windows that ended more than a minute ago. */
export async function purgeRateLimitWindows(db: Db, now: Date = new Date()): Promise<void> {
  await db.delete(rateLimits).where(lt(rateLimits.expire, new Date(now.getTime() - 60_000)));
}

// The command line (see main.ts for the flags), read and checked once, when the bench starts.

export type DbKind = 'pglite' | 'postgres';

function option(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}
function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}
function positiveInt(name: string, fallback: number): number {
  const raw = option(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

export const SETTINGS = {
  build: !flag('no-build'),
  durationS: positiveInt('duration', 10),
  // Next's server takes several seconds of traffic to reach its steady rate (lazy loading, JIT).
  warmupS: positiveInt('warmup', 8),
  connections: positiveInt('connections', 64),
  /** Bare + checked runs per database; the round with the median ratio is reported. */
  rounds: positiveInt('rounds', 3),
  signInline: flag('sign-inline'),
  profile: flag('profile'),
  only: option('only') as DbKind | undefined,
  /** The node binary that runs the server (default: the one scripts/start.sh finds, Node 24). */
  runtime: option('runtime'),
  /** main: server/main.ts (default); next: the plain `next start` it replaced (to compare runtimes: Node 20 cannot run main.ts). */
  server: (option('server') ?? 'main') as 'main' | 'next',
  /** Where the results go (default bench/results.json). */
  out: option('out'),
  /** Flags for the server's node after scripts/start.sh's own, e.g. --server-node-options="--max-old-space-size=256" (recorded in the results). */
  serverNodeOptions: option('server-node-options')?.split(' ').filter(Boolean) ?? [],
};
if (SETTINGS.only && SETTINGS.only !== 'pglite' && SETTINGS.only !== 'postgres') throw new Error('--only is pglite or postgres');
if (SETTINGS.server !== 'main' && SETTINGS.server !== 'next') throw new Error('--server is main or next');

/**
 * The process's shutdown, shared by the server (server/main.ts), which decides when, and the app,
 * which says what must happen before the process exits (stop the timers, flush the usage counts,
 * close the database). On globalThis like the rest of this folder.
 */
type Hook = { name: string; order: number; run: () => Promise<void> | void };
type LifecycleState = { draining: boolean; hooks: Map<string, Hook> };

const KEY = Symbol.for('renkei.lifecycle');
const globalStore = globalThis as typeof globalThis & { [KEY]?: LifecycleState };
const state: LifecycleState = (globalStore[KEY] ??= { draining: false, hooks: new Map() });

/**
 * Registers (or replaces, by name) work for the shutdown. Lower `order` runs first: 10 stop
 * starting work (timers), 50 write what is held in memory, 90 close the database.
 */
export function onShutdown(name: string, order: number, run: () => Promise<void> | void): void {
  state.hooks.set(name, { name, order, run });
}

/** True once the server has stopped taking new connections: readiness answers 503. */
export function isDraining(): boolean {
  return state.draining;
}

export function startDraining(): void {
  state.draining = true;
}

/** Runs every hook in order; a failing hook is reported and the rest still run. */
export async function runShutdownHooks(report: (name: string, error: unknown) => void): Promise<string[]> {
  const ran: string[] = [];
  for (const hook of [...state.hooks.values()].sort((a, b) => a.order - b.order)) {
    try {
      await hook.run();
      ran.push(hook.name);
    } catch (error) {
      report(hook.name, error);
    }
  }
  return ran;
}

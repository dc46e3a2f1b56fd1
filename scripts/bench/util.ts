// What every part of the bench shares: its log line, sleep, and the clean-ups still owed.

export const log = (message: string) => console.log(`[bench] ${message}`);

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Clean-ups still owed (stop a server, drop a database): run by main.ts on a signal or a crash. */
export const cleanups = new Set<() => Promise<void>>();

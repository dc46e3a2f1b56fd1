// What every part of the bench shares: its log line, sleep, the clean-ups still owed, results files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const log = (message: string) => console.log(`[bench] ${message}`);

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Clean-ups still owed (stop a server, drop a database): run by main.ts on a signal or a crash. */
export const cleanups = new Set<() => Promise<void>>();

/** The machine a figure was measured on, for a results file. */
export function machine(postgres: string) {
  return { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, postgres };
}

/** Writes bench/<name> (a results file, git-ignored) and says so. */
export function writeResults(name: string, result: unknown): void {
  const file = path.join(path.resolve(import.meta.dirname, '../..'), 'bench', name);
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  log(`written to bench/${name}`);
}

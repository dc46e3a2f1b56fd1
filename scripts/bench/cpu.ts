// CPU time from /proc: the whole machine, the server's process tree, and this process.
import fs from 'node:fs';

/** CPU time so far: the whole machine (/proc/stat), the server's process tree, and this process. */
export type CpuSnapshot = { atMs: number; machineBusyTicks: number; serverTicks: number; selfUs: number };
const TICKS_PER_S = 100; // USER_HZ on Linux

export function cpuSnapshot(serverPids: number[]): CpuSnapshot {
  const [, ...fields] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number) as number[];
  let serverTicks = 0;
  for (const pid of serverPids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      serverTicks += Number(after[11]) + Number(after[12]); // utime, stime
    } catch {
      // exited
    }
  }
  const self = process.cpuUsage();
  return { atMs: performance.now(), machineBusyTicks: user! + nice! + system! + irq! + softirq! + (steal ?? 0), serverTicks, selfUs: self.user + self.system };
}

/** Cores used between two snapshots: by the server, by the load generator, by everything else. */
export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot) {
  const seconds = (b.atMs - a.atMs) / 1000;
  const round = (n: number) => Math.round(n * 100) / 100;
  const machine = (b.machineBusyTicks - a.machineBusyTicks) / TICKS_PER_S / seconds;
  const server = (b.serverTicks - a.serverTicks) / TICKS_PER_S / seconds;
  const loadGenerator = (b.selfUs - a.selfUs) / 1e6 / seconds;
  return { serverCores: round(server), loadGeneratorCores: round(loadGenerator), otherCores: round(Math.max(0, machine - server - loadGenerator)), machineBusyCores: round(machine) };
}

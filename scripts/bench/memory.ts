// Memory from /proc: a process tree and the RSS of all of it, sampled while it runs.
import fs from 'node:fs';
import path from 'node:path';
import { RSS_SAMPLE_MS } from './config';

/** The pids of `root` and all its descendants (next start may fork workers). */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // exited meanwhile
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

function rssKb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Samples the RSS of the server's whole process tree every 200 ms and keeps the peak. */
export class RssSampler {
  private timer?: NodeJS.Timeout;
  pids: number[] = [];
  private ticks = 0;
  peakKb = 0;
  /** Peak since the last mark() (e.g. start-up, then load). */
  phasePeakKb = 0;
  lastKb = 0;
  samples = 0;
  maxProcesses = 0;
  commands = new Set<string>();

  constructor(private readonly root: number) {}

  start(): void {
    const tick = () => {
      if (this.ticks++ % 10 === 0) {
        this.pids = processTree(this.root);
        this.maxProcesses = Math.max(this.maxProcesses, this.pids.length);
        for (const pid of this.pids) {
          try {
            this.commands.add(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).map((a) => path.basename(a)).slice(0, 3).join(' '));
          } catch {
            // exited meanwhile
          }
        }
      }
      this.lastKb = this.pids.reduce((sum, pid) => sum + rssKb(pid), 0);
      this.peakKb = Math.max(this.peakKb, this.lastKb);
      this.phasePeakKb = Math.max(this.phasePeakKb, this.lastKb);
      this.samples++;
    };
    tick();
    this.timer = setInterval(tick, RSS_SAMPLE_MS);
  }

  /** Ends a phase: returns its peak and starts the next one from the current sample. */
  mark(): number {
    const peak = this.phasePeakKb;
    this.phasePeakKb = this.lastKb;
    return peak;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

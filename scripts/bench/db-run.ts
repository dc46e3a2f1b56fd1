// What the bench records for one database: the shape of each entry of `runs` in the results file.
import type { Measured } from './load';
import type { OpenLoopMeasured } from './open-loop';

export type Goal = { target: number; actual: number; met: boolean };
export type DbRun = {
  database: string;
  valid: boolean;
  error?: string;
  /** The start on the new database (migrations, seed; PGlite also runs initdb), stopped once ready. */
  /** `npm run db:seed` before the first start: a one-off process of its own (initdb on PGlite). */
  prepare?: { ms: number; peakRssMb: number };
  rounds?: { bareRequestsPerSec: number; checkedRequestsPerSec: number; checkedP99Ms: number; ratio: number; reported: boolean }[];
  firstStart?: { readyMs: number; peakRssMb: number; rssMbOneSecondLater: number };
  startupMs?: number;
  linkingMs?: number;
  proofs?: string;
  proofPool?: { size: number; signMs: number; signedPerSec: number; signedInline: number };
  checked?: Measured & { path: string };
  bare?: Measured & { path: string };
  throughputRatio?: number;
  /** The whole life of the server, start-up (migrations, seed; initdb on a new PGlite folder) included. */
  peakRssMb?: number;
  rssMb?: { readyIdle: number; startupPeak: number; underLoadPeak: number; afterLoad: number };
  /** One connection, for the service time of a single request without queueing. */
  unloaded?: { connections: 1; durationS: number; checked: Pick<Measured, 'requestsPerSec' | 'latencyMs' | 'non2xx'>; bare: Pick<Measured, 'requestsPerSec' | 'latencyMs' | 'non2xx'> };
  /** Open loop at half the checked read's measured rate: the checked read and the bare route paced, and the checked read under autocannon's overallRate. */
  openLoop?: { ratePerSec: number; checked: OpenLoopMeasured; bare: OpenLoopMeasured; checkedAutocannon: OpenLoopMeasured };
  serverProcesses?: { max: number; commands: string[] };
  proxyHeadersOnBoth?: boolean;
  loadAverageBefore?: number[];
  goals?: { throughputRatio: Goal; openLoopCheckedP99Ms: Goal; peakRssMb: Goal; firstStartPeakRssMb: Goal; allMet: boolean };
  profile?: string;
};

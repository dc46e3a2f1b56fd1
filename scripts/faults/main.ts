// `npm run faults -- --mode=…`: which fault (issue 13 §3).
//   stop | restart | kill  PostgreSQL stopped or restarted under load, or the instance killed mid-transfer (pg-outage.ts)
//   kill-delivery          the instance killed while it delivers provider notifications (kill-delivery.ts)
//   kill-consent           a process killed in the middle of recording consents (kill-consent.ts)
const mode = process.argv.find((a) => a.startsWith('--mode='))?.slice('--mode='.length) ?? 'stop';
if (mode === 'kill-delivery') void import('./kill-delivery');
else if (mode === 'kill-consent') void import('./kill-consent');
else if (['stop', 'restart', 'kill'].includes(mode)) void import('./pg-outage');
else {
  console.error(`unknown --mode=${mode}: stop, restart, kill, kill-delivery or kill-consent`);
  process.exit(2);
}
export {};

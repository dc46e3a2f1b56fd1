// SPEC §7 sandbox users: the seed's own list (sandbox/demo-users.ts), not a copy.
import { DEMO_STAFF, DEMO_USERS } from '../../sandbox/demo-users';

function customer(logonId: string) {
  const user = DEMO_USERS.find((u) => u.logonId === logonId);
  if (!user) throw new Error(`no demo user ${logonId}`);
  return { logonId: user.logonId, password: user.password, totpSecret: user.totpSecret, name: user.nameJa };
}

function staffMember(logonId: string) {
  const member = DEMO_STAFF.find((m) => m.logonId === logonId);
  if (!member) throw new Error(`no demo staff ${logonId}`);
  return { logonId: member.logonId, password: member.password, totpSecret: member.totpSecret, name: member.name };
}

export const DEMO = customer('demo');
export const DEMO2 = customer('demo2');
export const DEMO3_UNREGISTERED = customer('demo3');
export const DEMO4 = customer('demo4');
export const DEMO50 = customer('demo50');

export const STAFF = staffMember('staff');
export const OPERATOR = staffMember('operator');

export const STORAGE = { demo: 'e2e/.auth/demo.json', demo2: 'e2e/.auth/demo2.json', staff: 'e2e/.auth/staff.json', operator: 'e2e/.auth/operator.json' };

// SPEC §7 sandbox users (kept in sync with lib/db/seed.ts DEMO_USERS).
export const DEMO = { logonId: 'demo', password: 'demo-Pass-2020', totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', name: '山田 太郎' };
export const DEMO2 = { logonId: 'demo2', password: 'demo2-Pass-2020', totpSecret: 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU', name: '佐藤 花子' };
export const DEMO3_UNREGISTERED = { logonId: 'demo3', password: 'demo3-Pass-2020', totpSecret: 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U' };

export const STAFF = { logonId: 'staff', password: 'staff-Pass-2020', totpSecret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', name: '行員 一郎' };
export const OPERATOR = { logonId: 'operator', password: 'operator-Pass-2020', totpSecret: 'GEZDGNBVGY3TQOJRGEZDGNBVGY3TQOJR', name: '運用 花子' };

export const STORAGE = { demo: 'e2e/.auth/demo.json', demo2: 'e2e/.auth/demo2.json', staff: 'e2e/.auth/staff.json', operator: 'e2e/.auth/operator.json' };

// SPEC §7 sandbox users and staff: published on /docs/providers, used by the seed and the e2e
// suite. Keep these names stable. Nothing here is loaded by a production deployment.
export const DEMO_USERS = [
  { logonId: 'demo', password: 'demo-Pass-2020', totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', customerNumber: '1000001', nameJa: '山田 太郎', nameKana: 'ヤマダ タロウ', nameEn: 'Taro Yamada', registered: true },
  { logonId: 'demo2', password: 'demo2-Pass-2020', totpSecret: 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU', customerNumber: '1000002', nameJa: '佐藤 花子', nameKana: 'サトウ ハナコ', nameEn: 'Hanako Sato', registered: true },
  // Not registered for direct banking (Art. 2.1): can not sign in to link features.
  { logonId: 'demo3', password: 'demo3-Pass-2020', totpSecret: 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U', customerNumber: '1000003', nameJa: '鈴木 一郎', nameKana: 'スズキ イチロウ', nameEn: 'Ichiro Suzuki', registered: false },
  // A provider's own grant, managed (Grant Management: create, update, replace, query, revoke), for the e2e suite.
  { logonId: 'demo4', password: 'demo4-Pass-2020', totpSecret: 'ONSWG4TFOQYTEMZUONSWG4TFOQYTEMZU', customerNumber: '1000005', nameJa: '伊藤 健', nameKana: 'イトウ ケン', nameEn: 'Ken Ito', registered: true },
  // Fifty links (issue 14: finding, filtering and sorting among many; the 50-link dashboard bench).
  { logonId: 'demo50', password: 'demo50-Pass-2020', totpSecret: 'NBSWY3DPOBXXE5DFNBSWY3DPOBXXE5DF', customerNumber: '1000004', nameJa: '高橋 美咲', nameKana: 'タカハシ ミサキ', nameEn: 'Misaki Takahashi', registered: true },
] as const;

// Bank staff (SPEC §7): read-only staff and an operator.
export const DEMO_STAFF = [
  { logonId: 'staff', password: 'staff-Pass-2020', totpSecret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', name: '行員 一郎', role: 'staff' },
  { logonId: 'operator', password: 'operator-Pass-2020', totpSecret: 'GEZDGNBVGY3TQOJRGEZDGNBVGY3TQOJR', name: '運用 花子', role: 'operator' },
] as const;


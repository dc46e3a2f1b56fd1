import { getTranslations } from 'next-intl/server';
import type { AccountType } from '@/lib/domain/accounts';
import { Card } from './ui/card';

/** Accounts by type, branch and masked number (never the full number). */
export async function AccountList({ accounts }: { accounts: { id: string; type: AccountType; branchName: string; maskedNumber: string }[] }) {
  const t = await getTranslations('accountTypes');
  return (
    <Card flush>
      <ul className="divide-y divide-line text-sm">
        {accounts.map((a) => (
          <li key={a.id} className="tabular flex flex-wrap justify-between gap-2 px-5 py-3">
            <span className="font-semibold">{t(a.type)}</span>
            <span>
              {a.branchName} {a.maskedNumber}
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

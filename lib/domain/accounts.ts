export const ACCOUNT_TYPES = ['ordinary', 'time', 'card_loan'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

/** Masks an account number for display: only the last 4 digits. */
export function maskAccountNumber(accountNumber: string): string {
  const tail = accountNumber.slice(-4);
  return `${'*'.repeat(Math.max(0, accountNumber.length - 4))}${tail}`;
}

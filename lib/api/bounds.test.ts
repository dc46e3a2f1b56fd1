import { describe, expect, it } from 'vitest';
import { directDebitApplicationSchema, directDebitTransferSchema } from './direct-debits';
import { transferRequestSchema } from './transfers';

const ID = '00000000-0000-4000-8000-000000000001';

// SEC-INPUT-1 (docs/security.md): free text with a control character is a 400, never a database error.
describe('free text in provider requests', () => {
  it('refuses NUL and other control characters in every free-text field, and keeps ordinary text', () => {
    for (const bad of ['a\u0000b', 'line\nbreak', 'tab\there', 'bell\u0007', 'del\u007f']) {
      expect(transferRequestSchema.safeParse({ from_account_id: ID, payee_id: ID, amount: 1, memo: bad }).success, JSON.stringify(bad)).toBe(false);
      expect(directDebitTransferSchema.safeParse({ agreement_id: ID, amount: 1, memo: bad }).success, JSON.stringify(bad)).toBe(false);
      for (const field of ['biller_name', 'customer_reference'] as const) {
        const input = { account_id: ID, biller_name: 'でんき株式会社', biller_code: 'DENKI-01', customer_reference: 'C-1', [field]: bad };
        expect(directDebitApplicationSchema.safeParse(input).success, `${field} ${JSON.stringify(bad)}`).toBe(false);
      }
    }
    expect(transferRequestSchema.safeParse({ from_account_id: ID, payee_id: ID, amount: 1, memo: '家賃 12月分（立替）' }).success).toBe(true);
    expect(directDebitApplicationSchema.safeParse({ account_id: ID, biller_name: 'でんき株式会社', biller_code: 'DENKI-01', customer_reference: 'ｶ-001' }).success).toBe(true);
  });
});

import { z } from 'zod';
import { PERMISSION_ITEM_IDS } from '@/lib/domain/permission-items';
import { directDebitApplicationSchema, directDebitTransferSchema } from './direct-debits';
import { transferRequestSchema } from './transfers';

// The OpenAPI 3.1 document of the provider API, built from the zod schemas the routes validate
// with (requests) and describe (responses). The reference page /docs/providers renders it.
const ex = <T>(example: T) => ({ examples: [example] });
const uuid = (example: string) => z.string().uuid().meta(ex(example));
const timestamp = (example: string) => z.iso.datetime().meta(ex(example));
const yen = (example: number) => z.number().int().meta(ex(example));
const accountType = z.enum(['ordinary', 'time', 'card_loan']);
const account = z.object({
  id: uuid('6b0f1c9e-2a47-4d3b-9e85-1f2c3a4b5d6e'),
  type: accountType,
  branch_code: z.string().meta(ex('101')),
  branch_name: z.string().meta(ex('本店営業部')),
  masked_number: z.string().meta(ex('***4567')),
  currency: z.literal('JPY'),
});
const balance = z.object({ account_id: uuid('6b0f1c9e-2a47-4d3b-9e85-1f2c3a4b5d6e'), type: accountType, balance: yen(1_234_567), currency: z.literal('JPY'), as_of: timestamp('2026-04-01T00:30:00.000Z') });
const transaction = z.object({
  id: uuid('0c8d7e6f-5a4b-4c3d-8e2f-1a0b9c8d7e6f'),
  booked_at: timestamp('2026-03-25T01:00:00.000Z'),
  amount: yen(-12_345),
  balance_after: yen(1_222_222),
  description: z.string().meta(ex('振込 ヤマダ タロウ')),
  currency: z.literal('JPY'),
});
const payee = z.object({
  id: uuid('5d2a9e47-8b13-4f60-a7c2-1e9b3d4f6a81'),
  bank_name: z.string().meta(ex('れんけい銀行')),
  branch_name: z.string().meta(ex('渋谷支店')),
  account_type: z.string().meta(ex('ordinary')),
  masked_number: z.string().meta(ex('***1234')),
  holder_name_kana: z.string().meta(ex('ヤマダ タロウ')),
});
const transfer = z.object({
  id: uuid('9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'),
  status: z.literal('completed'),
  from_account_id: uuid('6b0f1c9e-2a47-4d3b-9e85-1f2c3a4b5d6e'),
  payee_id: uuid('5d2a9e47-8b13-4f60-a7c2-1e9b3d4f6a81'),
  amount: z.number().int().positive().meta(ex(12_345)),
  currency: z.literal('JPY'),
  balance_after: yen(1_222_222),
  created_at: timestamp('2026-04-01T00:30:00.000Z'),
});
const directDebitAgreement = z.object({
  id: uuid('3e2d1c0b-9a8f-4e7d-b6c5-a4b3c2d1e0f9'),
  status: z.literal('active'),
  account_id: uuid('6b0f1c9e-2a47-4d3b-9e85-1f2c3a4b5d6e'),
  biller_name: z.string().meta(ex('れんけい電力')),
  biller_code: z.string().meta(ex('DENKI-01')),
  customer_reference: z.string().meta(ex('C-12345')),
  created_at: timestamp('2026-04-01T00:30:00.000Z'),
});
const directDebitMovement = z.object({
  id: uuid('7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910'),
  status: z.literal('completed'),
  agreement_id: uuid('3e2d1c0b-9a8f-4e7d-b6c5-a4b3c2d1e0f9'),
  amount: z.number().int().positive().meta(ex(4_321)),
  currency: z.literal('JPY'),
  balance_after: yen(1_230_246),
  created_at: timestamp('2026-04-01T00:30:00.000Z'),
});
const problemSchema = z
  .object({
    type: z.string().meta(ex('https://renkei.example/problems/insufficient-scope')),
    title: z.string().meta(ex('Forbidden')),
    status: z.number().int().meta(ex(403)),
    detail: z.string().meta(ex('This call needs one of: balances.')),
    // 401 link-not-active: which state the link is in (Art. 4, 5.1, 5.2).
    link_status: z.enum(['expired', 'suspended', 'revoked', 'terminated']).optional(),
    // 400 invalid-request: one entry per invalid field.
    errors: z.array(z.object({ pointer: z.string(), detail: z.string() })).optional(),
    // 503 maintenance (Art. 6.1): when the window ends (Retry-After gives the seconds).
    maintenance_ends_at: z.string().datetime().optional(),
    // 429 rate-limited: which limit was reached (provider or link).
    limit: z.enum(['provider', 'link']).optional(),
    // 500 internal-error: quote it to the bank; the same reference is in the bank's log.
    reference: z.string().optional(),
  })
  .passthrough();

function schema(s: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s) as Record<string, unknown>;
  return rest;
}

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
const challenge = (errors: string) => ({ 'WWW-Authenticate': { description: `DPoP error=${errors} (RFC 9449)`, schema: { type: 'string' } } });
const problemResponses = {
  '401': { ...problem('DPoP proof or access token invalid, or the link is not active (expired, suspended, revoked, terminated)'), headers: challenge('"invalid_token" or "invalid_dpop_proof"') },
  '403': { ...problem('insufficient_scope: the item is not granted'), headers: challenge('"insufficient_scope"') },
  '503': {
    ...problem('Maintenance (Art. 6.1): the service is unavailable until the window ends; checked before anything else'),
    headers: { 'Retry-After': { description: 'seconds until the maintenance window ends', schema: { type: 'integer', minimum: 1 } } },
  },
  '429': {
    ...problem('Traffic limit (Art. 6): over the per-provider (50/s) or per-link (10/s) limit; `limit` says which'),
    headers: {
      'Retry-After': { description: 'seconds until the next window', schema: { type: 'integer', minimum: 1 } },
      'RateLimit-Policy': { description: 'the limits that apply (IETF httpapi ratelimit headers), e.g. `"provider";q=50;w=1, "link";q=10;w=1`', schema: { type: 'string' } },
      RateLimit: { description: 'what is left of each limit and the seconds to its next window, e.g. `"provider";r=41;t=1, "link";r=0;t=1`', schema: { type: 'string' } },
    },
  },
  '500': problem('An unexpected failure at the bank; the body carries a `reference` for the bank’s support. An instruction that failed this way was not carried out and may be sent again with the same Idempotency-Key'),
};
const accountParam = [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid', examples: ['6b0f1c9e-2a47-4d3b-9e85-1f2c3a4b5d6e'] }, description: 'an account id from GET /accounts' }];
const json = (ref: string, example?: Record<string, unknown>) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` }, ...(example ? { example } : {}) } });
const list = (name: string, ref: string, extra: Record<string, unknown> = {}) => ({
  'application/json': { schema: { type: 'object', properties: { [name]: { type: 'array', items: { $ref: `#/components/schemas/${ref}` } }, ...extra }, required: [name, ...Object.keys(extra)], additionalProperties: false } },
});
const idempotencyKey = { name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' }, description: 'a new unique value per instruction (e.g. a UUID); a retry sends the same key and body' };
const replayed = { 'Idempotent-Replayed': { description: '`true` when this is the stored response of an earlier request with the same key', schema: { type: 'string', const: 'true' } } };

export function openApiDocument(origin: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Renkei provider API (口座連携サービス)',
      version: '1.0.0',
      description:
        'Every call needs `Authorization: DPoP <access token>` and a `DPoP` proof (RFC 9449). Each call is checked against the live consent: the item must be granted and the account in the consent. Errors are RFC 9457 problem+json.',
    },
    servers: [{ url: `${origin}/api/v1` }],
    security: [{ dpop: [] }],
    components: {
      securitySchemes: {
        dpop: {
          type: 'oauth2',
          description: 'FAPI 2.0: PAR + PKCE S256 + private_key_jwt; DPoP-bound access tokens.',
          flows: {
            authorizationCode: {
              authorizationUrl: `${origin}/oauth/authorize`,
              tokenUrl: `${origin}/oauth/token`,
              refreshUrl: `${origin}/oauth/token`,
              scopes: Object.fromEntries(PERMISSION_ITEM_IDS.map((id) => [id, id])),
            },
          },
        },
      },
      schemas: {
        Account: schema(account),
        Balance: schema(balance),
        Transaction: schema(transaction),
        Payee: schema(payee),
        TransferRequest: schema(transferRequestSchema),
        DirectDebitApplicationRequest: schema(directDebitApplicationSchema),
        DirectDebitTransferRequest: schema(directDebitTransferSchema),
        Transfer: schema(transfer),
        DirectDebitAgreement: schema(directDebitAgreement),
        DirectDebitTransfer: schema(directDebitMovement),
        Problem: schema(problemSchema),
      },
    },
    paths: {
      '/accounts': {
        get: {
          operationId: 'listAccounts',
          summary: 'Accounts in the consent',
          description: 'Any one of these items lets a provider list the accounts the customer put in the consent (a transfers-only provider needs the id of the account to debit).',
          security: [{ dpop: ['balances'] }, { dpop: ['statements'] }, { dpop: ['transfers'] }, { dpop: ['direct_debit_applications'] }, { dpop: ['direct_debit_transfers'] }],
          responses: { '200': { description: 'OK', content: list('accounts', 'Account') }, ...problemResponses },
        },
      },
      '/accounts/{id}/balance': {
        get: {
          operationId: 'getBalance',
          summary: 'Balance (Art. 3.1(1))',
          security: [{ dpop: ['balances'] }],
          parameters: accountParam,
          responses: { '200': { description: 'OK', content: json('Balance') }, '404': problem('No such account in the consent (the same body as an account that does not exist)'), ...problemResponses },
        },
      },
      '/accounts/{id}/transactions': {
        get: {
          operationId: 'listTransactions',
          summary: 'Statements (Art. 3.1(2)), newest first',
          security: [{ dpop: ['statements'] }],
          parameters: [
            ...accountParam,
            { name: 'from', in: 'query', schema: { type: 'string', format: 'date', examples: ['2026-03-01'] }, description: 'first day (Asia/Tokyo), inclusive' },
            { name: 'to', in: 'query', schema: { type: 'string', format: 'date', examples: ['2026-04-01'] }, description: 'last day (Asia/Tokyo), exclusive' },
            { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'next_cursor of the previous page' },
          ],
          responses: {
            '200': { description: 'OK (at most 50 per page)', content: list('transactions', 'Transaction', { next_cursor: { type: ['string', 'null'], description: 'pass as `cursor` for the next page; null on the last page' } }) },
            '400': problem('Bad parameters'),
            '404': problem('No such account in the consent (the same body as an account that does not exist)'),
            ...problemResponses,
          },
        },
      },
      '/payees': {
        get: {
          operationId: 'listPayees',
          summary: 'Registered payees (Art. 3.1(3))',
          security: [{ dpop: ['payees'] }],
          responses: { '200': { description: 'OK', content: list('payees', 'Payee') }, ...problemResponses },
        },
      },
      '/direct-debit/applications': {
        post: {
          operationId: 'createDirectDebitApplication',
          summary: 'Direct debit application (Art. 3.2(2))',
          security: [{ dpop: ['direct_debit_applications'] }],
          parameters: [idempotencyKey],
          requestBody: {
            required: true,
            content: json('DirectDebitApplicationRequest', { account_id: '6b0f1c9e-2a47-4d3b-9e85-1f2c3a4b5d6e', biller_name: 'れんけい電力', biller_code: 'DENKI-01', customer_reference: 'C-12345' }),
          },
          responses: {
            '201': { description: 'The agreement, active', headers: replayed, content: json('DirectDebitAgreement') },
            '400': problem('Invalid JSON or request, or no Idempotency-Key'),
            '404': problem('No such account in the consent'),
            '409': problem('The same Idempotency-Key is in flight'),
            '413': problem('Body too large'),
            '422': problem('Idempotency-Key reused with another body; account not eligible'),
            ...problemResponses,
          },
        },
      },
      '/direct-debit/transfers': {
        post: {
          operationId: 'createDirectDebitTransfer',
          summary: 'Fund movement under a direct-debit agreement applied for through this link (Art. 3.2(3))',
          security: [{ dpop: ['direct_debit_transfers'] }],
          parameters: [idempotencyKey],
          requestBody: { required: true, content: json('DirectDebitTransferRequest', { agreement_id: '3e2d1c0b-9a8f-4e7d-b6c5-a4b3c2d1e0f9', amount: 4_321 }) },
          responses: {
            '201': { description: 'Completed', headers: replayed, content: json('DirectDebitTransfer') },
            '400': problem('Invalid JSON or request, or no Idempotency-Key'),
            '404': problem('The agreement’s account is not in the consent'),
            '409': problem('The same Idempotency-Key is in flight'),
            '413': problem('Body too large'),
            '422': problem('Idempotency-Key reused; unknown agreement, or one applied for through another link; insufficient funds'),
            ...problemResponses,
          },
        },
      },
      '/transfers': {
        post: {
          operationId: 'createTransfer',
          summary: 'Transfer instruction (Art. 3.2(1))',
          security: [{ dpop: ['transfers'] }],
          parameters: [idempotencyKey],
          requestBody: {
            required: true,
            content: json('TransferRequest', { from_account_id: '6b0f1c9e-2a47-4d3b-9e85-1f2c3a4b5d6e', payee_id: '5d2a9e47-8b13-4f60-a7c2-1e9b3d4f6a81', amount: 12_345, memo: '4月分 家賃' }),
          },
          responses: {
            '201': { description: 'Completed', headers: replayed, content: json('Transfer') },
            '400': problem('Invalid JSON or request, or no Idempotency-Key'),
            '404': problem('No such account in the consent'),
            '409': problem('The same Idempotency-Key is in flight'),
            '413': problem('Body too large'),
            '422': problem('Idempotency-Key reused with another body; unknown payee; account not eligible; insufficient funds'),
            ...problemResponses,
          },
        },
      },
    },
  };
}

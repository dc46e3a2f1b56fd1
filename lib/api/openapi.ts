import { z } from 'zod';
import { PERMISSION_ITEM_IDS } from '@/lib/domain/permission-items';
import { PROBLEM_CODES, problemType } from './problems';
import { instructedYen, MAX_LIST_ITEMS, MAX_PROBLEM_ERRORS, MAX_YEN, uuidField } from './bounds';
import { directDebitApplicationSchema, directDebitTransferSchema } from './direct-debits';
import { header, rateLimited } from './openapi-headers';
import { MANAGEMENT_SCHEMAS, managementPaths, providerTokenScheme } from './openapi-management';
import { transferRequestSchema } from './transfers';

// The OpenAPI 3.1 document of the provider API, built from the zod schemas the routes validate
// with (requests) and describe (responses), and, under the authorization server, the provider's
// Grant Management and Shared Signals calls (./openapi-management.ts). The reference page
// /docs/providers renders it.
const ex = <T>(example: T) => ({ examples: [example] });
// Every field bounded (OWASP API4:2023): strings by length (and pattern where the shape is fixed),
// integers by range and format, lists by size. Request bounds come from the schemas the routes
// validate with (./bounds); response bounds are what the bank's data guarantees.
const text = (max: number, example: string) => z.string().max(max).meta(ex(example));
const uuid = (example: string) => uuidField().meta(ex(example));
const timestamp = (example: string) => z.iso.datetime().max(32).meta(ex(example));
const yen = (example: number) => z.number().int().min(-MAX_YEN).max(MAX_YEN).meta({ format: 'int64', ...ex(example) });
const masked = (example: string) => z.string().max(20).regex(/^\*+\d{4}$/).meta(ex(example));
const accountType = z.enum(['ordinary', 'time', 'card_loan']);
const account = z.object({
  id: uuid('6b0f1c9e-2a47-4d3b-9e85-1f2c3a4b5d6e'),
  type: accountType,
  branch_code: z.string().max(3).regex(/^\d{3}$/).meta(ex('101')),
  branch_name: text(100, '本店営業部'),
  masked_number: masked('***4567'),
  currency: z.literal('JPY'),
});
const balance = z.object({ account_id: uuid('6b0f1c9e-2a47-4d3b-9e85-1f2c3a4b5d6e'), type: accountType, balance: yen(1_234_567), currency: z.literal('JPY'), as_of: timestamp('2026-04-01T00:30:00.000Z') });
const transaction = z.object({
  id: uuid('0c8d7e6f-5a4b-4c3d-8e2f-1a0b9c8d7e6f'),
  booked_at: timestamp('2026-03-25T01:00:00.000Z'),
  amount: yen(-12_345),
  balance_after: yen(1_222_222),
  description: text(200, '振込 ヤマダ タロウ'),
  currency: z.literal('JPY'),
});
const payee = z.object({
  id: uuid('5d2a9e47-8b13-4f60-a7c2-1e9b3d4f6a81'),
  bank_name: text(100, 'れんけい銀行'),
  branch_name: text(100, '渋谷支店'),
  account_type: accountType.meta(ex('ordinary')),
  masked_number: masked('***1234'),
  holder_name_kana: text(100, 'ヤマダ タロウ'),
});
const transfer = z.object({
  id: uuid('9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'),
  status: z.literal('completed'),
  from_account_id: uuid('6b0f1c9e-2a47-4d3b-9e85-1f2c3a4b5d6e'),
  payee_id: uuid('5d2a9e47-8b13-4f60-a7c2-1e9b3d4f6a81'),
  amount: instructedYen().meta(ex(12_345)),
  currency: z.literal('JPY'),
  balance_after: yen(1_222_222),
  created_at: timestamp('2026-04-01T00:30:00.000Z'),
});
const directDebitAgreement = z.object({
  id: uuid('3e2d1c0b-9a8f-4e7d-b6c5-a4b3c2d1e0f9'),
  status: z.literal('active'),
  account_id: uuid('6b0f1c9e-2a47-4d3b-9e85-1f2c3a4b5d6e'),
  biller_name: text(100, 'れんけい電力'),
  biller_code: z.string().max(20).regex(/^[A-Za-z0-9-]{1,20}$/).meta(ex('DENKI-01')),
  customer_reference: text(40, 'C-12345'),
  created_at: timestamp('2026-04-01T00:30:00.000Z'),
});
const directDebitMovement = z.object({
  id: uuid('7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910'),
  status: z.literal('completed'),
  agreement_id: uuid('3e2d1c0b-9a8f-4e7d-b6c5-a4b3c2d1e0f9'),
  amount: instructedYen().meta(ex(4_321)),
  currency: z.literal('JPY'),
  balance_after: yen(1_230_246),
  created_at: timestamp('2026-04-01T00:30:00.000Z'),
});
const problemSchema = z
  .object({
    type: z.enum(PROBLEM_CODES.map(problemType) as [string, ...string[]]).meta(ex(problemType('insufficient-scope'))),
    title: text(100, 'Forbidden'),
    status: z.number().int().min(400).max(599).meta({ format: 'int32', ...ex(403) }),
    detail: text(1000, 'This call needs one of: balances.'),
    // 401 link-not-active: which state the link is in (Art. 4, 5.1, 5.2).
    link_status: z.enum(['expired', 'suspended', 'revoked', 'terminated']).optional(),
    // 400 invalid-request: one entry per invalid field.
    errors: z
      .array(z.object({ pointer: z.string().max(200).regex(/^\/.*$/), detail: z.string().max(500) }))
      .max(MAX_PROBLEM_ERRORS)
      .optional(),
    // 503 maintenance (Art. 6.1): when the window ends (Retry-After gives the seconds).
    maintenance_ends_at: z.iso.datetime().max(32).optional(),
    // 429 rate-limited: which limit was reached (provider or link).
    limit: z.enum(['provider', 'link']).optional(),
    // 500 internal-error: quote it to the bank; the same reference is in the bank's log.
    reference: z.string().max(64).regex(/^[A-Za-z0-9-]+$/).optional(),
  })
  .passthrough();

function schema(s: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s) as Record<string, unknown>;
  return rest;
}

const INT32_MAX = 2_147_483_647;
const MAX_CURSOR_LENGTH = 128;
const retryAfter = (description: string) => ({ description, schema: { type: 'integer', format: 'int32', minimum: 1, maximum: INT32_MAX } });
const problem = (description: string, headers: Record<string, unknown> = rateLimited) => ({
  description,
  headers,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const challenge = (errors: string) => ({ 'WWW-Authenticate': header(`DPoP error=${errors} (RFC 9449)`, 500, '^DPoP [ -~]+$') });
const problemResponses = {
  '401': problem('DPoP proof or access token invalid, or the link is not active (expired, suspended, revoked, terminated)', { ...challenge('"invalid_token" or "invalid_dpop_proof"'), ...rateLimited }),
  '403': problem('insufficient_scope: the item is not granted', { ...challenge('"insufficient_scope"'), ...rateLimited }),
  '503': problem('Maintenance (Art. 6.1): the service is unavailable until the window ends; checked before anything else', {
    'Retry-After': retryAfter('seconds until the maintenance window ends'),
  }),
  '429': problem('Traffic limit (Art. 6): over the per-provider (50/s) or per-link (10/s) limit; `limit` says which', {
    'Retry-After': retryAfter('seconds until the next window'),
    ...rateLimited,
  }),
  '4XX': problem('Any other refusal, with its reason in `detail` (the catalogue of `type` values is in the Problem schema)'),
  '500': problem('An unexpected failure at the bank; the body carries a `reference` for the bank’s support. An instruction that failed this way was not carried out and may be sent again with the same Idempotency-Key', {}),
};
const accountParam = [
  { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid', maxLength: 36, examples: ['6b0f1c9e-2a47-4d3b-9e85-1f2c3a4b5d6e'] }, description: 'an account id from GET /accounts' },
];
const ok = (description: string, content: Record<string, unknown>, headers: Record<string, unknown> = {}) => ({ description, headers: { ...headers, ...rateLimited }, content });
const json = (ref: string, example?: Record<string, unknown>) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` }, ...(example ? { example } : {}) } });
const list = (name: string, ref: string, maxItems: number, extra: Record<string, unknown> = {}) => ({
  'application/json': {
    schema: { type: 'object', properties: { [name]: { type: 'array', maxItems, items: { $ref: `#/components/schemas/${ref}` } }, ...extra }, required: [name, ...Object.keys(extra)], additionalProperties: false },
  },
});
const idempotencyKey = { name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' }, description: 'a new unique value per instruction (e.g. a UUID); a retry sends the same key and body' };
const replayed = { 'Idempotent-Replayed': { description: '`true` when this is the stored response of an earlier request with the same key', schema: { type: 'string', const: 'true' } } };
const instructionRefusals = (notFound: string, unprocessable: string) => ({
  '400': problem('Invalid JSON or request, or no Idempotency-Key'),
  '404': problem(notFound),
  '409': problem('The same Idempotency-Key is in flight: retry after Retry-After seconds with the same key and body (a request the bank lost midway frees its key after 15 s)', {
    'Retry-After': retryAfter('seconds to wait before sending the same key and body again'),
    ...rateLimited,
  }),
  '413': problem('Body too large'),
  '422': problem(unprocessable),
});

export function openApiDocument(origin: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Renkei provider API (口座連携サービス)',
      version: '1.0.0',
      description:
        'Every call needs `Authorization: DPoP <access token>` and a `DPoP` proof (RFC 9449). Each call is checked against the live consent: the item must be granted and the account in the consent. Errors are RFC 9457 problem+json.',
      contact: { name: 'Renkei provider support', url: `${origin}/docs/providers` },
    },
    // For registered providers' back ends on the internet (not internal), never for browsers.
    servers: [{ url: `${origin}/api/v1`, 'x-internal': false }],
    security: [{ dpop: [] }],
    components: {
      securitySchemes: {
        dpop: {
          type: 'oauth2',
          description: 'FAPI 2.0: PAR + PKCE S256 + private_key_jwt; DPoP-bound access tokens. Every JWT (client assertions, DPoP proofs, access tokens) follows the JWT best current practices of RFC8725: an explicit list of algorithms (PS256, ES256, EdDSA; never none), typed DPoP proofs, audience and lifetime checked.',
          flows: {
            authorizationCode: {
              authorizationUrl: `${origin}/oauth/authorize`,
              tokenUrl: `${origin}/oauth/token`,
              refreshUrl: `${origin}/oauth/token`,
              scopes: Object.fromEntries(PERMISSION_ITEM_IDS.map((id) => [id, id])),
            },
          },
        },
        providerToken: providerTokenScheme(origin),
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
        ...MANAGEMENT_SCHEMAS,
      },
    },
    tags: [
      { name: 'Accounts', description: 'Information items (Art. 3.1): the accounts in the consent, balances and statements' },
      { name: 'Payees', description: 'Registered payees (Art. 3.1(3))' },
      { name: 'Instructions', description: 'Transaction items (Art. 3.2): transfers and direct debits, each with an Idempotency-Key' },
      { name: 'Grants', description: 'FAPI Grant Management: the provider queries or revokes its grant (the link), with its own token; under the authorization server' },
      { name: 'Signals', description: 'OpenID Shared Signals 1.0 transmitter: the provider’s event stream (push or poll), with its own token; under the authorization server' },
    ],
    paths: {
      '/accounts': {
        get: {
          operationId: 'listAccounts',
          tags: ['Accounts'],
          summary: 'Accounts in the consent',
          description: 'Any one of these items lets a provider list the accounts the customer put in the consent (a transfers-only provider needs the id of the account to debit).',
          security: [{ dpop: ['balances'] }, { dpop: ['statements'] }, { dpop: ['transfers'] }, { dpop: ['direct_debit_applications'] }, { dpop: ['direct_debit_transfers'] }],
          responses: { '200': ok('OK', list('accounts', 'Account', MAX_LIST_ITEMS)), ...problemResponses },
        },
      },
      '/accounts/{id}/balance': {
        get: {
          operationId: 'getBalance',
          tags: ['Accounts'],
          summary: 'Balance (Art. 3.1(1))',
          description: 'The balance of one account in the consent, as of now.',
          security: [{ dpop: ['balances'] }],
          parameters: accountParam,
          responses: { '200': ok('OK', json('Balance')), '404': problem('No such account in the consent (the same body as an account that does not exist)'), ...problemResponses },
        },
      },
      '/accounts/{id}/transactions': {
        get: {
          operationId: 'listTransactions',
          tags: ['Accounts'],
          summary: 'Statements (Art. 3.1(2)), newest first',
          description: 'Statement lines of one account in the consent, newest first, 50 to a page; `next_cursor` leads to the next page.',
          security: [{ dpop: ['statements'] }],
          parameters: [
            ...accountParam,
            { name: 'from', in: 'query', schema: { type: 'string', format: 'date', maxLength: 10, examples: ['2026-03-01'] }, description: 'first day (Asia/Tokyo), inclusive' },
            { name: 'to', in: 'query', schema: { type: 'string', format: 'date', maxLength: 10, examples: ['2026-04-01'] }, description: 'last day (Asia/Tokyo), exclusive' },
            { name: 'cursor', in: 'query', schema: { type: 'string', maxLength: MAX_CURSOR_LENGTH, pattern: '^[A-Za-z0-9_-]+$' }, description: 'next_cursor of the previous page' },
          ],
          responses: {
            '200': ok(
              'OK (at most 50 per page)',
              list('transactions', 'Transaction', 50, {
                next_cursor: { type: ['string', 'null'], maxLength: MAX_CURSOR_LENGTH, pattern: '^[A-Za-z0-9_-]+$', description: 'pass as `cursor` for the next page; null on the last page' },
              }),
            ),
            '400': problem('Bad parameters'),
            '404': problem('No such account in the consent (the same body as an account that does not exist)'),
            ...problemResponses,
          },
        },
      },
      '/payees': {
        get: {
          operationId: 'listPayees',
          tags: ['Payees'],
          summary: 'Registered payees (Art. 3.1(3))',
          description: 'The customer’s registered payees, oldest first, account numbers masked.',
          security: [{ dpop: ['payees'] }],
          responses: { '200': ok('OK', list('payees', 'Payee', MAX_LIST_ITEMS)), ...problemResponses },
        },
      },
      '/direct-debit/applications': {
        post: {
          operationId: 'createDirectDebitApplication',
          tags: ['Instructions'],
          summary: 'Direct debit application (Art. 3.2(2))',
          description: 'Applies for a direct-debit agreement on an ordinary account in the consent, for a biller the customer named to the provider.',
          security: [{ dpop: ['direct_debit_applications'] }],
          parameters: [idempotencyKey],
          requestBody: {
            required: true,
            content: json('DirectDebitApplicationRequest', { account_id: '6b0f1c9e-2a47-4d3b-9e85-1f2c3a4b5d6e', biller_name: 'れんけい電力', biller_code: 'DENKI-01', customer_reference: 'C-12345' }),
          },
          responses: {
            '201': ok('The agreement, active', json('DirectDebitAgreement'), replayed),
            ...instructionRefusals('No such account in the consent', 'Idempotency-Key reused with another body; account not eligible'),
            ...problemResponses,
          },
        },
      },
      '/direct-debit/transfers': {
        post: {
          operationId: 'createDirectDebitTransfer',
          tags: ['Instructions'],
          summary: 'Fund movement under a direct-debit agreement applied for through this link (Art. 3.2(3))',
          description: 'Moves funds under an active agreement that was applied for through this same link.',
          security: [{ dpop: ['direct_debit_transfers'] }],
          parameters: [idempotencyKey],
          requestBody: { required: true, content: json('DirectDebitTransferRequest', { agreement_id: '3e2d1c0b-9a8f-4e7d-b6c5-a4b3c2d1e0f9', amount: 4_321 }) },
          responses: {
            '201': ok('Completed', json('DirectDebitTransfer'), replayed),
            ...instructionRefusals('The agreement’s account is not in the consent', 'Idempotency-Key reused; unknown agreement, or one applied for through another link; insufficient funds'),
            ...problemResponses,
          },
        },
      },
      '/transfers': {
        post: {
          operationId: 'createTransfer',
          tags: ['Instructions'],
          summary: 'Transfer instruction (Art. 3.2(1))',
          description: 'Transfers from an ordinary account in the consent to one of the customer’s registered payees.',
          security: [{ dpop: ['transfers'] }],
          parameters: [idempotencyKey],
          requestBody: {
            required: true,
            content: json('TransferRequest', { from_account_id: '6b0f1c9e-2a47-4d3b-9e85-1f2c3a4b5d6e', payee_id: '5d2a9e47-8b13-4f60-a7c2-1e9b3d4f6a81', amount: 12_345, memo: '4月分 家賃' }),
          },
          responses: {
            '201': ok('Completed', json('Transfer'), replayed),
            ...instructionRefusals('No such account in the consent', 'Idempotency-Key reused with another body; unknown payee; account not eligible; insufficient funds'),
            ...problemResponses,
          },
        },
      },
      ...managementPaths(origin),
    },
  };
}

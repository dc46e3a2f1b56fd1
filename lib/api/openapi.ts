import { z } from 'zod';
import { PERMISSION_ITEM_IDS } from '@/lib/domain/permission-items';
import { directDebitApplicationSchema, directDebitTransferSchema } from './direct-debits';
import { transferRequestSchema } from './transfers';

// The OpenAPI 3.1 document of the provider API, built from the zod schemas the routes validate
// with (requests) and describe (responses).
const account = z.object({
  id: z.string().uuid(),
  type: z.enum(['ordinary', 'time', 'card_loan']),
  branchCode: z.string(),
  branchName: z.string(),
  masked_number: z.string(),
  currency: z.literal('JPY'),
});
const balance = z.object({ account_id: z.string().uuid(), type: z.enum(['ordinary', 'time', 'card_loan']), balance: z.number().int(), currency: z.literal('JPY'), as_of: z.string() });
const transaction = z.object({ id: z.string().uuid(), booked_at: z.string(), amount: z.number().int(), balance_after: z.number().int(), description: z.string(), currency: z.literal('JPY') });
const payee = z.object({ id: z.string().uuid(), bank_name: z.string(), branch_name: z.string(), account_type: z.string(), masked_number: z.string(), holder_name_kana: z.string() });
const transfer = z.object({
  id: z.string().uuid(),
  status: z.literal('completed'),
  from_account_id: z.string().uuid(),
  payee_id: z.string().uuid(),
  amount: z.number().int().positive(),
  currency: z.literal('JPY'),
  balance_after: z.number().int(),
  created_at: z.string(),
});
const problemSchema = z.object({ type: z.string(), title: z.string(), status: z.number().int(), detail: z.string() }).passthrough();

function schema(s: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s) as Record<string, unknown>;
  return rest;
}

const problemResponses = {
  '401': { description: 'DPoP proof or access token invalid, or the link is not active (expired, suspended, revoked, terminated)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
  '403': { description: 'insufficient_scope: the item is not granted', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
};
const accountParam = [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }];
const json = (ref: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } });

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
        Problem: schema(problemSchema),
      },
    },
    paths: {
      '/accounts': {
        get: { summary: 'Accounts in the consent', security: [{ dpop: ['balances'] }, { dpop: ['statements'] }], responses: { '200': { description: 'OK', content: { 'application/json': { schema: { type: 'object', properties: { accounts: { type: 'array', items: { $ref: '#/components/schemas/Account' } } } } } } }, ...problemResponses } },
      },
      '/accounts/{id}/balance': {
        get: { summary: 'Balance (Art. 3.1(1))', security: [{ dpop: ['balances'] }], parameters: accountParam, responses: { '200': { description: 'OK', content: json('Balance') }, '404': { description: 'No such account in the consent' }, ...problemResponses } },
      },
      '/accounts/{id}/transactions': {
        get: {
          summary: 'Statements (Art. 3.1(2)), newest first',
          security: [{ dpop: ['statements'] }],
          parameters: [
            ...accountParam,
            { name: 'from', in: 'query', schema: { type: 'string', format: 'date' }, description: 'first day (Asia/Tokyo), inclusive' },
            { name: 'to', in: 'query', schema: { type: 'string', format: 'date' }, description: 'last day (Asia/Tokyo), exclusive' },
            { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'next_cursor of the previous page' },
          ],
          responses: {
            '200': { description: 'OK', content: { 'application/json': { schema: { type: 'object', properties: { transactions: { type: 'array', items: { $ref: '#/components/schemas/Transaction' } }, next_cursor: { type: ['string', 'null'] } } } } } },
            '400': { description: 'Bad parameters' },
            '404': { description: 'No such account in the consent' },
            ...problemResponses,
          },
        },
      },
      '/payees': {
        get: { summary: 'Registered payees (Art. 3.1(3))', security: [{ dpop: ['payees'] }], responses: { '200': { description: 'OK', content: { 'application/json': { schema: { type: 'object', properties: { payees: { type: 'array', items: { $ref: '#/components/schemas/Payee' } } } } } } }, ...problemResponses } },
      },
      '/direct-debit/applications': {
        post: {
          summary: 'Direct debit application (Art. 3.2(2))',
          security: [{ dpop: ['direct_debit_applications'] }],
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string', maxLength: 255 } }],
          requestBody: { required: true, content: json('DirectDebitApplicationRequest') },
          responses: { '201': { description: 'The agreement, active' }, '400': { description: 'Invalid JSON or request' }, '409': { description: 'In flight' }, '422': { description: 'Key reused with another body; account not eligible' }, ...problemResponses },
        },
      },
      '/direct-debit/transfers': {
        post: {
          summary: 'Fund movement under a direct-debit agreement (Art. 3.2(3))',
          security: [{ dpop: ['direct_debit_transfers'] }],
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string', maxLength: 255 } }],
          requestBody: { required: true, content: json('DirectDebitTransferRequest') },
          responses: { '201': { description: 'Completed' }, '400': { description: 'Invalid JSON or request' }, '409': { description: 'In flight' }, '422': { description: 'Key reused; unknown agreement; insufficient funds' }, ...problemResponses },
        },
      },
      '/transfers': {
        post: {
          summary: 'Transfer instruction (Art. 3.2(1))',
          security: [{ dpop: ['transfers'] }],
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string', maxLength: 255 } }],
          requestBody: { required: true, content: json('TransferRequest') },
          responses: {
            '201': { description: 'Completed', content: json('Transfer') },
            '400': { description: 'Invalid JSON or request' },
            '409': { description: 'The same Idempotency-Key is in flight' },
            '413': { description: 'Body too large' },
            '422': { description: 'Idempotency-Key reused with another body; unknown payee; account not eligible; insufficient funds' },
            ...problemResponses,
          },
        },
      },
    },
  };
}

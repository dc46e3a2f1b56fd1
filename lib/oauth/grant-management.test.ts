import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerPrincipal } from '@/lib/auth/types';
import { getConsentContext, recordConsent } from '@/lib/consent/consent';
import type { Database } from '@/lib/db/connect';
import { accounts, customers, linkHistory, links } from '@/lib/db/schema';
import { onServer, openTestDatabase } from '@/test/db';
import { checkGrantRequest, grantLink, GrantRequestError, parseGrantRequest, queryGrant, revokeGrant } from './grant-management';

describe('the grant management parameters (draft 02 § Authorization Error Response)', () => {
  it('defaults to create, and takes update (or its draft-01 name merge) and replace with a grant_id', () => {
    expect(parseGrantRequest({})).toEqual({ action: 'create', grantId: null });
    expect(parseGrantRequest({ grant_management_action: 'create' })).toEqual({ action: 'create', grantId: null });
    expect(parseGrantRequest({ grant_management_action: 'update', grant_id: 'g1' })).toEqual({ action: 'update', grantId: 'g1' });
    expect(parseGrantRequest({ grant_management_action: 'merge', grant_id: 'g1' })).toEqual({ action: 'update', grantId: 'g1' });
    expect(parseGrantRequest({ grant_management_action: 'replace', grant_id: 'g1' })).toEqual({ action: 'replace', grantId: 'g1' });
  });

  it.each([
    [{ grant_id: 'g1' }, /needs grant_management_action/],
    [{ grant_management_action: 'create', grant_id: 'g1' }, /must not be sent with grant_management_action=create/],
    [{ grant_management_action: 'update' }, /needs a grant_id/],
    [{ grant_management_action: 'replace', grant_id: '' }, /needs a grant_id/],
    [{ grant_management_action: 'query', grant_id: 'g1' }, /is not supported/],
    [{ grant_management_action: ['update'] }, /must be a string/],
  ])('refuses %j as invalid_request', (params, message) => {
    let caught: unknown;
    try {
      parseGrantRequest(params);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GrantRequestError);
    expect((caught as GrantRequestError).error).toBe('invalid_request');
    expect((caught as GrantRequestError).message).toMatch(message);
  });
});

describe(`a provider's grant is its link (${onServer ? 'PostgreSQL server' : 'PGlite'})`, () => {
  let database: Database;
  let demo4: CustomerPrincipal;
  let demo2: CustomerPrincipal;
  const api = 'http://bank.test/api/v1';
  const client = 'demo-provider-b';

  async function principal(logonId: string): Promise<CustomerPrincipal> {
    const [row] = await database.db.select({ id: customers.id }).from(customers).where(eq(customers.logonId, logonId));
    return { kind: 'customer', customerId: row!.id, sessionId: 'test' };
  }
  const accountsOf = async (p: CustomerPrincipal) => (await database.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.customerId, p.customerId)).orderBy(asc(accounts.type))).map((a) => a.id);

  beforeAll(async () => {
    database = await openTestDatabase();
    demo4 = await principal('demo4');
    demo2 = await principal('demo2');
  });
  afterAll(async () => {
    await database?.close();
  });

  it('update adds to what the link grants, replace makes it exactly the new consent, under one grant id; query and revoke are the provider’s only', async () => {
    const [ordinary, second] = await accountsOf(demo4);
    const { linkId } = await recordConsent(database.db, demo4, { clientId: client, scope: 'balances', items: ['balances'], accountIds: [ordinary!], grantId: 'gm-grant-1' });
    expect(await grantLink(database.db, client, 'gm-grant-1')).toEqual({ id: linkId, customerId: demo4.customerId });
    expect(await grantLink(database.db, 'demo-provider', 'gm-grant-1')).toBeNull();
    expect(await grantLink(database.db, client, 'gm-grant-1', demo2.customerId)).toBeNull();

    // update: the screen offers only what is new, and the link keeps what it had
    const update = { action: 'update' as const, grantId: 'gm-grant-1' };
    const { context } = await getConsentContext(database.db, demo4, client, 'balances statements payees', new Date(), update);
    expect(context?.offeredItems).toEqual(['statements', 'payees']);
    expect(context?.grantChange).toMatchObject({ action: 'update', currentItems: ['balances'], currentAccountIds: [ordinary] });
    await recordConsent(database.db, demo4, { clientId: client, scope: 'balances statements payees', items: ['statements'], accountIds: [ordinary!, second!], grantId: 'gm-grant-1', grant: update });
    let grant = await queryGrant(database.db, client, 'gm-grant-1', api);
    expect(grant).toMatchObject({ grant_id: 'gm-grant-1', status: 'active', scopes: [{ scope: 'balances statements', resource: [api] }] });
    expect(grant?.accounts).toHaveLength(2);

    // replace: exactly what was approved now
    const replace = { action: 'replace' as const, grantId: 'gm-grant-1' };
    await recordConsent(database.db, demo4, { clientId: client, scope: 'payees', items: ['payees'], accountIds: [ordinary!], grantId: 'gm-grant-1', grant: replace });
    grant = await queryGrant(database.db, client, 'gm-grant-1', api);
    expect(grant?.scopes).toEqual([{ scope: 'payees', resource: [api] }]);
    expect(grant?.accounts).toEqual([{ account_id: ordinary }]);

    const history = await database.db.select({ event: linkHistory.event, detail: linkHistory.detail }).from(linkHistory).where(eq(linkHistory.linkId, linkId)).orderBy(asc(linkHistory.id));
    expect(history.map((h) => h.event)).toEqual(['consent_given', 'consent_updated', 'consent_updated']);
    expect(history[1]?.detail).toMatchObject({ grantAction: 'update', added: ['statements'], removed: [] });
    expect(history[2]?.detail).toMatchObject({ grantAction: 'replace', added: ['payees'], removed: ['balances', 'statements'] });

    // Another customer cannot update this grant, nor another provider see or revoke it.
    expect((await getConsentContext(database.db, demo2, client, 'balances', new Date(), update)).blocker).toBe('grant_not_found');
    await expect(checkGrantRequest(database.db, 'demo-provider', { grant_management_action: 'update', grant_id: 'gm-grant-1' })).rejects.toMatchObject({ error: 'invalid_grant_id' });
    expect(await queryGrant(database.db, 'demo-provider', 'gm-grant-1', api)).toBeNull();
    expect(await revokeGrant(database.db, 'demo-provider', 'gm-grant-1')).toBe(false);

    // revoke stops the link as the provider's token revocation does; the grant is gone after it
    expect(await revokeGrant(database.db, client, 'gm-grant-1')).toBe(true);
    const [link] = await database.db.select({ status: links.status, grantId: links.grantId }).from(links).where(eq(links.id, linkId));
    expect(link).toEqual({ status: 'revoked', grantId: null });
    expect(await queryGrant(database.db, client, 'gm-grant-1', api)).toBeNull();
    expect(await revokeGrant(database.db, client, 'gm-grant-1')).toBe(false);
    await expect(checkGrantRequest(database.db, client, { grant_management_action: 'replace', grant_id: 'gm-grant-1' })).rejects.toMatchObject({ error: 'invalid_grant_id' });
    const last = await database.db.select({ event: linkHistory.event, actorType: linkHistory.actorType }).from(linkHistory).where(eq(linkHistory.linkId, linkId)).orderBy(asc(linkHistory.id));
    expect(last.at(-1)).toEqual({ event: 'link_revoked', actorType: 'provider' });
  });
});

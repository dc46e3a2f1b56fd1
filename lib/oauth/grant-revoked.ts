import { getDb } from '@/lib/db';
import { changeLink, lockLinkByGrant } from '@/lib/links/lifecycle';

/**
 * The provider revoked a token at /revoke (RFC 7009), or the authorization server revoked the
 * grant (e.g. a reused authorization code): the link stops (Art. 5.1) and says so in its history.
 */
export async function onGrantRevoked(grantId: string, clientId: string | null): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const link = await lockLinkByGrant(tx, grantId);
    if (!link) return;
    await changeLink(tx, link, { kind: 'stop', via: 'provider' }, { type: 'provider', id: clientId }, new Date());
  });
}

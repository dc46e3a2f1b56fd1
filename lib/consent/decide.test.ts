import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerPrincipal } from '@/lib/auth/types';
import type { Database } from '@/lib/db/connect';
import { accounts, customers } from '@/lib/db/schema';
import type { LoadedInteraction } from '@/lib/oauth/interaction';
import { onServer, openTestDatabase } from '@/test/db';
import { approveConsent, denyConsent } from './decide';

let database: Database;
let demo2: CustomerPrincipal;
let accountIds: string[];

beforeAll(async () => {
  database = await openTestDatabase();
  const [row] = await database.db.select({ id: customers.id }).from(customers).where(eq(customers.logonId, 'demo2'));
  demo2 = { kind: 'customer', customerId: row!.id, sessionId: 'test' };
  accountIds = (await database.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.customerId, demo2.customerId))).map((a) => a.id);
});
afterAll(async () => database?.close());

/** An oidc-provider interaction stand-in whose result takes a while to save, as a real one can. */
function slowInteraction(uid: string) {
  const state = { saved: false, finishes: 0, grants: 0 };
  class Grant {
    addResourceScope() {}
    rejectResourceScope() {}
    async save() {
      state.grants++;
      return `grant-${uid}-${state.grants}`;
    }
    async destroy() {}
  }
  const returnTo = `https://bank.example/oauth/authorize/${uid}`;
  const interaction = {
    uid,
    clientId: 'demo-provider',
    scope: 'balances',
    grant: { action: 'create', grantId: null },
    returnTo,
    provider: { Grant },
    finish: async () => {
      state.finishes++;
      await new Promise((resolve) => setTimeout(resolve, 300));
      state.saved = true;
      return returnTo;
    },
  } as unknown as LoadedInteraction;
  return { interaction, state };
}

// Issue 16, defect 9: three submits of one approval at once all answered "done", but the two that
// lost the claim answered before the winner had saved the interaction's result, so the browser
// could reach the authorization server first and be asked to consent again.
describe(`one decision per consent, however often it is submitted (${onServer ? 'PostgreSQL server' : 'PGlite'})`, () => {
  for (let round = 1; round <= 3; round++) {
    it(`round ${round}: every concurrent approval answers only after the one result is saved, and exactly one grant is made`, async () => {
      const { interaction, state } = slowInteraction(`uid-approve-${round}`);
      const answers = await Promise.all(
        Array.from({ length: 3 }, () => approveConsent(database.db, demo2, interaction, { items: ['balances'], accountIds: accountIds.slice(0, 1) }).then((url) => ({ url, saved: state.saved }))),
      );
      expect(answers.map((a) => a.saved)).toEqual([true, true, true]);
      expect(new Set(answers.map((a) => a.url))).toEqual(new Set([interaction.returnTo]));
      expect(state.finishes).toBe(1);
      expect(state.grants).toBe(1);
    });
  }

  it('a denial submitted twice at once is one denial, and both answers wait for it', async () => {
    const { interaction, state } = slowInteraction('uid-deny');
    const answers = await Promise.all([denyConsent(database.db, interaction), denyConsent(database.db, interaction)].map((p) => p.then(() => state.saved)));
    expect(answers).toEqual([true, true]);
    expect(state.finishes).toBe(1);
  });
});

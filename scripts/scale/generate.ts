import { sql } from 'drizzle-orm';
import type { Db, Executor } from '@/lib/db/connect';
import { rowsOf } from '@/lib/db/connect';

/**
 * Bank-sized data, set-based (issue 13): customers with an ordinary account, three links each over
 * `PROVIDERS` providers with their items and accounts, and `historyPerLink` history rows per link —
 * every row made by `INSERT … SELECT` over `generate_series`, a batch of customers per
 * transaction, so a batch is all there or not at all and a run that stopped resumes at the first
 * batch missing (customer numbers `S000000001`…). Fixture data, like the sandbox seed: it writes
 * its made-up past directly, outside lib/ and app/ (docs/architecture.md).
 */
export const SCALE_PROVIDERS = 20;
const FAMILY = [
  ['佐藤', 'サトウ', 'Sato'],
  ['鈴木', 'スズキ', 'Suzuki'],
  ['高橋', 'タカハシ', 'Takahashi'],
  ['田中', 'タナカ', 'Tanaka'],
  ['伊藤', 'イトウ', 'Ito'],
  ['渡辺', 'ワタナベ', 'Watanabe'],
  ['山本', 'ヤマモト', 'Yamamoto'],
  ['中村', 'ナカムラ', 'Nakamura'],
  ['小林', 'コバヤシ', 'Kobayashi'],
  ['加藤', 'カトウ', 'Kato'],
  ['吉田', 'ヨシダ', 'Yoshida'],
  ['山田', 'ヤマダ', 'Yamada'],
  ['佐々木', 'ササキ', 'Sasaki'],
  ['松本', 'マツモト', 'Matsumoto'],
  ['井上', 'イノウエ', 'Inoue'],
  ['木村', 'キムラ', 'Kimura'],
  ['林', 'ハヤシ', 'Hayashi'],
] as const;
const GIVEN = [
  ['翔太', 'ショウタ', 'Shota'],
  ['陽菜', 'ヒナ', 'Hina'],
  ['蓮', 'レン', 'Ren'],
  ['結衣', 'ユイ', 'Yui'],
  ['大翔', 'ヒロト', 'Hiroto'],
  ['葵', 'アオイ', 'Aoi'],
  ['湊', 'ミナト', 'Minato'],
  ['凛', 'リン', 'Rin'],
  ['樹', 'イツキ', 'Itsuki'],
  ['美咲', 'ミサキ', 'Misaki'],
  ['健一', 'ケンイチ', 'Kenichi'],
  ['直子', 'ナオコ', 'Naoko'],
  ['誠', 'マコト', 'Makoto'],
] as const;

const col = (rows: readonly (readonly string[])[], i: number) => `array[${rows.map((r) => `'${r[i]}'`).join(',')}]`;

/** Customer number of the n-th generated customer. */
export const scaleCustomerNumber = (n: number) => `S${String(n).padStart(9, '0')}`;

/** The scale providers (`scale-provider-01`…), active, registered for the information items. */
export async function ensureScaleProviders(db: Executor): Promise<void> {
  await db.execute(sql`
    insert into providers (client_id, name_ja, name_en, legal_name_ja, legal_name_en, registration_number, permitted_items, inactivity_days, status)
    select 'scale-provider-' || lpad(p::text, 2, '0'), '規模試験サービス' || p, 'Scale service ' || p, '規模試験株式会社' || p, 'Scale Co. ' || p,
           '関東財務局長（電代）第' || (900 + p) || '号', array['balances', 'statements', 'payees']::permission_item[], 90, 'active'
    from generate_series(1, ${SCALE_PROVIDERS}) p
    on conflict (client_id) do nothing`);
}

/** How many generated customers are there (the batches done). */
export async function scaleCustomersPresent(db: Executor): Promise<number> {
  const result = await db.execute(sql`select count(*)::int as n from customers where customer_number like 'S%' and customer_number ~ '^S[0-9]{9}$'`);
  return rowsOf<{ n: number }>(result)[0]?.n ?? 0;
}

/**
 * Customers `from` … `to - 1`, with everything that hangs off them, in one transaction.
 * Links: customer n links providers (7n + 3k) mod P + 1 for k = 0, 1, 2 (distinct); one in ten is
 * revoked, one in ten expired, one in fifty active and already due for the Art. 4 sweep.
 */
export async function generateCustomers(db: Db, from: number, to: number, historyPerLink: number): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      insert into customers (customer_number, logon_id, name_ja, name_kana, name_en, direct_banking_registered)
      select 'S' || lpad(n::text, 9, '0'), 'scale' || n,
             (${sql.raw(col(FAMILY, 0))})[n % ${FAMILY.length} + 1] || ' ' || (${sql.raw(col(GIVEN, 0))})[(n / ${FAMILY.length}) % ${GIVEN.length} + 1],
             (${sql.raw(col(FAMILY, 1))})[n % ${FAMILY.length} + 1] || ' ' || (${sql.raw(col(GIVEN, 1))})[(n / ${FAMILY.length}) % ${GIVEN.length} + 1],
             (${sql.raw(col(GIVEN, 2))})[(n / ${FAMILY.length}) % ${GIVEN.length} + 1] || ' ' || (${sql.raw(col(FAMILY, 2))})[n % ${FAMILY.length} + 1],
             true
      from generate_series(${from}::int, ${to - 1}::int) n`);
    await tx.execute(sql`
      insert into accounts (customer_id, type, branch_code, branch_name, account_number, balance, opened_at)
      select c.id, 'ordinary', '101', '本店営業部', lpad(substr(c.customer_number, 2)::text, 9, '0'), 100000 + (substr(c.customer_number, 2)::int % 900000), now() - interval '1500 days'
      from customers c where c.customer_number between ${scaleCustomerNumber(from)} and ${scaleCustomerNumber(to - 1)}`);
    await tx.execute(sql`
      with c as (
        select id, substr(customer_number, 2)::int as n from customers where customer_number between ${scaleCustomerNumber(from)} and ${scaleCustomerNumber(to - 1)}
      ), l as (
        select c.id as customer_id, c.n, k, ((7 * c.n + 3 * k) % ${SCALE_PROVIDERS}) + 1 as p, (c.n + k) % 10 as kind, (c.n * 13 + k) % 400 as age
        from c cross join generate_series(0, 2) k
      )
      insert into links (customer_id, provider_id, status, terms_version_id, consented_at, last_used_at, expires_at, status_changed_at, grant_id)
      select l.customer_id, pr.id,
             (case when l.kind = 0 then 'revoked' when l.kind = 1 then 'expired' else 'active' end)::link_status,
             '2020-08-21', now() - (l.age + 1) * interval '1 day', now() - (l.age % 60) * interval '1 day',
             case when l.kind = 1 then now() - interval '5 days'
                  when (l.n + l.k) % 50 = 2 then now() - interval '1 hour'
                  else now() + (30 + (l.age % 60)) * interval '1 day' end,
             now() - (l.age / 2) * interval '1 day', 'scale-grant-' || l.n || '-' || l.k
      from l join providers pr on pr.client_id = 'scale-provider-' || lpad(l.p::text, 2, '0')`);
    const scaleLinks = sql`select li.id, li.customer_id, li.consented_at from links li join customers c on c.id = li.customer_id
      where c.customer_number between ${scaleCustomerNumber(from)} and ${scaleCustomerNumber(to - 1)}`;
    await tx.execute(sql`
      insert into link_items (link_id, item, granted, granted_at, last_used_at)
      select s.id, i::permission_item, true, s.consented_at, now() - interval '1 day'
      from (${scaleLinks}) s cross join unnest(array['balances', 'statements']) i`);
    await tx.execute(sql`
      insert into link_accounts (link_id, account_id)
      select s.id, a.id from (${scaleLinks}) s join accounts a on a.customer_id = s.customer_id`);
    await tx.execute(sql`
      insert into link_history (link_id, at, actor_type, actor_id, event, item, detail)
      select s.id, s.consented_at + h * interval '1 day',
             (case when h = 0 then 'customer' else 'provider' end)::actor_type,
             case when h = 0 then s.customer_id::text end,
             case when h = 0 then 'consent_given' else 'transfer_instructed' end,
             (case when h = 0 then null else 'transfers' end)::permission_item,
             case when h = 0 then '{"items":["balances","statements"]}'::jsonb else jsonb_build_object('payee', 'ヤマダ ハナコ', 'amount', 1000 * h) end
      from (${scaleLinks}) s cross join generate_series(0, ${historyPerLink - 1}::int) h`);
  });
}

/** Secondary indexes of the history, built after a large load rather than row by row during it (as in migrations 0000 and 0015). */
export const DEFERRED_INDEXES = [
  { name: 'link_history_link_idx', create: 'create index if not exists "link_history_link_idx" on "link_history" using btree ("link_id", "id")' },
  { name: 'link_history_link_at_idx', create: 'create index if not exists "link_history_link_at_idx" on "link_history" using btree ("link_id", "at" desc nulls last, "id" desc nulls last)' },
  { name: 'customers_search_grams_idx', create: 'create index if not exists "customers_search_grams_idx" on "customers" using gin ("search_grams")' },
] as const;

/**
 * The sandbox's `demo` gets 20 links in all (its own six and scale providers for the rest), so a
 * demo sign-in on a bank-sized database sees a full dashboard. Idempotent.
 */
export async function ensureDemoLinks(db: Db, total = 20): Promise<number> {
  return db.transaction(async (tx) => {
  const result = await tx.execute(sql`
    with demo as (select id from customers where logon_id = 'demo'),
    have as (select count(*)::int as n from links where customer_id = (select id from demo)),
    wanted as (
      select pr.id as provider_id from providers pr
      where pr.client_id like 'scale-provider-%' and not exists (select 1 from links l where l.customer_id = (select id from demo) and l.provider_id = pr.id)
      order by pr.client_id limit greatest(0, ${total} - (select n from have))
    )
    insert into links (customer_id, provider_id, status, terms_version_id, consented_at, last_used_at, expires_at, grant_id)
    select (select id from demo), w.provider_id, 'active', '2020-08-21', now() - interval '30 days', now() - interval '1 day', now() + interval '89 days', null
    from wanted w where exists (select 1 from demo)
    returning id, consented_at`);
  const created = rowsOf<{ id: string; consented_at: string }>(result);
  if (created.length === 0) return 0;
  const ids = sql`array[${sql.join(
    created.map((r) => sql`${r.id}`),
    sql`, `,
  )}]::uuid[]`;
  await tx.execute(sql`
    insert into link_items (link_id, item, granted, granted_at) select id, i::permission_item, true, consented_at
    from links cross join unnest(array['balances', 'statements']) i where links.id = any(${ids})`);
  await tx.execute(sql`
    insert into link_accounts (link_id, account_id) select l.id, a.id from links l join accounts a on a.customer_id = l.customer_id and a.type = 'ordinary'
    where l.id = any(${ids})`);
  await tx.execute(sql`
    insert into link_history (link_id, at, actor_type, actor_id, event, detail) select id, consented_at, 'customer', customer_id::text, 'consent_given', '{"items":["balances","statements"]}'::jsonb
    from links where id = any(${ids})`);
  return created.length;
  });
}

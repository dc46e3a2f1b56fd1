-- The consent check's statement also returns the asked-for account's type and balance, read in
-- the same snapshot as the checks, when that account is in the consent and the link's customer's:
-- a balance read is then one round trip (docs/decisions.md 23, 25). Used only once every check
-- has passed (lib/api/authorize.ts); nothing else changes. The return type changes, so the
-- function is dropped and created again.
DROP FUNCTION renkei_api_call_state(timestamptz, text, timestamptz, text, text);
--> statement-breakpoint
CREATE FUNCTION renkei_api_call_state(
  p_now timestamptz,
  p_proof_id text,
  p_replay_expires_at timestamptz,
  p_access_token text,
  p_account_id text
)
RETURNS TABLE (
  maintenance_ends_at timestamptz,
  proof_fresh boolean,
  token_payload jsonb,
  token_consumed_at timestamptz,
  link_id uuid,
  customer_id uuid,
  link_status text,
  link_expires_at timestamptz,
  link_last_used_at timestamptz,
  inactivity_days integer,
  provider_status text,
  granted json,
  account_in_consent boolean,
  account_type text,
  account_balance bigint
)
LANGUAGE plpgsql VOLATILE
SET plan_cache_mode = force_generic_plan
AS $fn$
BEGIN
  RETURN QUERY
    WITH maintenance AS (
      SELECT w.ends_at FROM maintenance_windows w
      WHERE w.cancelled_at IS NULL AND w.starts_at <= p_now AND w.ends_at > p_now
      ORDER BY w.ends_at DESC LIMIT 1
    ),
    replay AS (
      INSERT INTO oauth_records AS r (model, id, payload, expires_at)
      SELECT 'DPoPProof', p_proof_id, '{}'::jsonb, p_replay_expires_at
      WHERE NOT EXISTS (SELECT 1 FROM maintenance)
      ON CONFLICT DO NOTHING
      RETURNING r.id
    ),
    token AS (
      SELECT o.payload, o.consumed_at FROM oauth_records o
      WHERE o.model = 'AccessToken' AND o.id = p_access_token AND (o.expires_at IS NULL OR o.expires_at > p_now)
    ),
    link AS (
      SELECT l.id, l.customer_id, l.status, l.expires_at, l.last_used_at, p.inactivity_days, p.status AS provider_status
      FROM token t
      JOIN links l ON l.grant_id = t.payload ->> 'grantId' AND l.customer_id::text = t.payload ->> 'accountId'
      JOIN providers p ON p.id = l.provider_id
    )
    SELECT
      m.ends_at,
      EXISTS (SELECT 1 FROM replay),
      t.payload,
      t.consumed_at,
      l.id,
      l.customer_id,
      l.status::text,
      l.expires_at,
      l.last_used_at,
      l.inactivity_days,
      l.provider_status::text,
      (SELECT json_agg(json_build_object('item', i.item, 'last_used_at', i.last_used_at))
         FROM link_items i WHERE i.link_id = l.id AND i.granted),
      EXISTS (SELECT 1 FROM link_accounts a WHERE a.link_id = l.id AND a.account_id::text = p_account_id),
      acc.type::text,
      acc.balance
    FROM (SELECT 1) AS one
    LEFT JOIN maintenance m ON true
    LEFT JOIN token t ON true
    LEFT JOIN link l ON true
    LEFT JOIN LATERAL (
      SELECT ac.type, ac.balance FROM link_accounts la
      JOIN accounts ac ON ac.id = la.account_id AND ac.customer_id = l.customer_id
      WHERE la.link_id = l.id AND la.account_id::text = p_account_id
    ) acc ON true;
END
$fn$;

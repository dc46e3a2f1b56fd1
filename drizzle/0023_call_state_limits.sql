-- The traffic limits in the consent check's one statement (issue 13 §5; docs/decisions.md 51).
-- A provider API call on PostgreSQL counted its two one-second windows (per provider, per link)
-- in two upserts of their own after the check: three round trips a call. This overload of
-- renkei_api_call_state runs the five-argument check (0008, 0009: unchanged, still the one that
-- reads) and then, only for a call that would otherwise go on — outside maintenance, a fresh
-- proof, a live token bound to the proof's key (p_jkt), a link behind it — adds one point to
-- each window in rate_limits, exactly as rate-limiter-flexible's store does (keys
-- "provider:<client id>" and "link:<link id>", the window restarted once it has expired, timed by
-- the database's clock that every instance shares). The caller compares the points with its
-- limits. p_window_ms = 0 counts nothing (the counters live in memory or Redis instead).
CREATE FUNCTION renkei_api_call_state(
  p_now timestamptz,
  p_proof_id text,
  p_replay_expires_at timestamptz,
  p_access_token text,
  p_account_id text,
  p_jkt text,
  p_window_ms integer
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
  account_balance bigint,
  provider_points integer,
  provider_expire timestamptz,
  link_points integer,
  link_expire timestamptz
)
LANGUAGE plpgsql VOLATILE
SET plan_cache_mode = force_generic_plan
AS $fn$
DECLARE
  s record;
  v_provider_points integer;
  v_provider_expire timestamptz;
  v_link_points integer;
  v_link_expire timestamptz;
BEGIN
  SELECT * INTO s FROM renkei_api_call_state(p_now, p_proof_id, p_replay_expires_at, p_access_token, p_account_id) c;
  IF p_window_ms > 0
     AND s.maintenance_ends_at IS NULL
     AND s.proof_fresh
     AND s.token_payload IS NOT NULL
     AND s.token_payload ->> 'jkt' = p_jkt
     AND (s.token_payload ->> 'exp') IS NOT NULL
     AND (s.token_payload ->> 'exp')::bigint > extract(epoch FROM p_now)
     AND s.link_id IS NOT NULL
  THEN
    INSERT INTO rate_limits AS r (key, points, expire)
    VALUES ('provider:' || coalesce(s.token_payload ->> 'clientId', 'unknown'), 1, now() + p_window_ms * interval '1 millisecond')
    ON CONFLICT (key) DO UPDATE SET
      points = CASE WHEN r.expire <= now() THEN excluded.points ELSE r.points + excluded.points END,
      expire = CASE WHEN r.expire <= now() THEN excluded.expire ELSE r.expire END
    RETURNING r.points, r.expire INTO v_provider_points, v_provider_expire;
    INSERT INTO rate_limits AS r (key, points, expire)
    VALUES ('link:' || s.link_id::text, 1, now() + p_window_ms * interval '1 millisecond')
    ON CONFLICT (key) DO UPDATE SET
      points = CASE WHEN r.expire <= now() THEN excluded.points ELSE r.points + excluded.points END,
      expire = CASE WHEN r.expire <= now() THEN excluded.expire ELSE r.expire END
    RETURNING r.points, r.expire INTO v_link_points, v_link_expire;
  END IF;
  RETURN QUERY SELECT
    s.maintenance_ends_at, s.proof_fresh, s.token_payload, s.token_consumed_at, s.link_id, s.customer_id,
    s.link_status, s.link_expires_at, s.link_last_used_at, s.inactivity_days, s.provider_status, s.granted,
    s.account_in_consent, s.account_type, s.account_balance,
    v_provider_points, v_provider_expire, v_link_points, v_link_expire;
END
$fn$;

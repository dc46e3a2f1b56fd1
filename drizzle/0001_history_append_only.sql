-- The link history is append-only: refuse UPDATE, DELETE and TRUNCATE at the database.
CREATE OR REPLACE FUNCTION renkei_refuse_history_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'link_history is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER link_history_append_only
  BEFORE UPDATE OR DELETE ON link_history
  FOR EACH ROW EXECUTE FUNCTION renkei_refuse_history_change();
--> statement-breakpoint
CREATE TRIGGER link_history_no_truncate
  BEFORE TRUNCATE ON link_history
  FOR EACH STATEMENT EXECUTE FUNCTION renkei_refuse_history_change();

-- Staff search by the start of a name (issue 13). The part of a name after its first space,
-- normalised as renkei_search_norm does (NFKC first, so an ideographic space is a space too);
-- NULL for a name of one word (its whole name is indexed already). The call inside is qualified:
-- PostgreSQL 17 builds and rebuilds indexes with search_path = pg_catalog, pg_temp.
CREATE OR REPLACE FUNCTION renkei_search_tail(t text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT CASE WHEN s ~ '\S\s+\S' THEN public.renkei_search_norm(regexp_replace(s, '^\s*\S+\s+', '')) END FROM (SELECT normalize(t, NFKC) AS s) AS n $$;
--> statement-breakpoint
CREATE INDEX "customers_name_ja_prefix_idx" ON "customers" USING btree (renkei_search_norm("name_ja") collate "C");--> statement-breakpoint
CREATE INDEX "customers_name_kana_prefix_idx" ON "customers" USING btree (renkei_search_norm("name_kana") collate "C");--> statement-breakpoint
CREATE INDEX "customers_name_en_prefix_idx" ON "customers" USING btree (renkei_search_norm("name_en") collate "C");--> statement-breakpoint
CREATE INDEX "customers_name_ja_tail_prefix_idx" ON "customers" USING btree (renkei_search_tail("name_ja") collate "C");--> statement-breakpoint
CREATE INDEX "customers_name_kana_tail_prefix_idx" ON "customers" USING btree (renkei_search_tail("name_kana") collate "C");--> statement-breakpoint
CREATE INDEX "customers_name_en_tail_prefix_idx" ON "customers" USING btree (renkei_search_tail("name_en") collate "C");
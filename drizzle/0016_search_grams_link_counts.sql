-- Staff search by part of a name (issue 13). One normalisation, used for the stored grams and for
-- the query alike: NFKC (full-width Latin and half-width kana fold), lower case, no white space
-- (NFKC makes the ideographic space a plain one), hiragana as katakana.
CREATE OR REPLACE FUNCTION renkei_search_norm(t text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT translate(lower(regexp_replace(normalize(t, NFKC), '\s+', '', 'g')), 'ぁあぃいぅうぇえぉおかがきぎくぐけげこごさざしじすずせぜそぞただちぢっつづてでとどなにぬねのはばぱひびぴふぶぷへべぺほぼぽまみむめもゃやゅゆょよらりるれろゎわゐゑをんゔゕゖ', 'ァアィイゥウェエォオカガキギクグケゲコゴサザシジスズセゼソゾタダチヂッツヅテデトドナニヌネノハバパヒビピフブプヘベペホボポマミムメモャヤュユョヨラリルレロヮワヰヱヲンヴヵヶ') $$;
--> statement-breakpoint
-- Every character and every pair of adjacent characters of each name (not across names).
CREATE OR REPLACE FUNCTION renkei_search_grams(a text, b text, c text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT coalesce(array_agg(DISTINCT g ORDER BY g), '{}'::text[])
    FROM (SELECT renkei_search_norm(coalesce(x, '')) AS s FROM unnest(ARRAY[a, b, c]) AS x) AS names
    CROSS JOIN LATERAL (
      SELECT substr(names.s, i, 1) FROM generate_series(1, length(names.s)) AS i
      UNION ALL
      SELECT substr(names.s, i, 2) FROM generate_series(1, length(names.s) - 1) AS i
    ) AS grams(g)
  $$;
--> statement-breakpoint
-- What a query must find among a customer's grams: its one character, or each of its pairs.
CREATE OR REPLACE FUNCTION renkei_search_query_grams(q text) RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$
    SELECT CASE WHEN length(s) = 1 THEN ARRAY[s]
                ELSE coalesce((SELECT array_agg(DISTINCT substr(s, i, 2)) FROM generate_series(1, length(s) - 1) AS i), '{}'::text[]) END
    FROM (SELECT renkei_search_norm(q) AS s) AS query
  $$;
--> statement-breakpoint
CREATE TABLE "provider_link_count_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"provider_id" uuid NOT NULL,
	"status" "link_status" NOT NULL,
	"n" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provider_link_counts" (
	"provider_id" uuid NOT NULL,
	"status" "link_status" NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "provider_link_counts_provider_id_status_pk" PRIMARY KEY("provider_id","status")
);
--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "search_grams" text[] GENERATED ALWAYS AS (renkei_search_grams(name_ja, name_kana, name_en)) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "provider_link_counts" ADD CONSTRAINT "provider_link_counts_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customers_search_grams_idx" ON "customers" USING gin ("search_grams");--> statement-breakpoint
CREATE INDEX "customers_number_c_idx" ON "customers" USING btree ("customer_number" collate "C");
--> statement-breakpoint
-- Link counts per provider and status: one appended row per provider and status for each statement
-- that inserts, deletes or changes the status of links; housekeeping folds them into the totals.
CREATE OR REPLACE FUNCTION renkei_count_links() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO provider_link_count_changes (provider_id, status, n)
        SELECT provider_id, status, count(*) FROM new_links GROUP BY 1, 2;
    ELSIF TG_OP = 'DELETE' THEN
      INSERT INTO provider_link_count_changes (provider_id, status, n)
        SELECT provider_id, status, -count(*) FROM old_links GROUP BY 1, 2;
    ELSE
      INSERT INTO provider_link_count_changes (provider_id, status, n)
        SELECT provider_id, status, sum(d) FROM (
          SELECT o.provider_id, o.status, -1 AS d FROM old_links o JOIN new_links n ON n.id = o.id
            WHERE o.status IS DISTINCT FROM n.status OR o.provider_id IS DISTINCT FROM n.provider_id
          UNION ALL
          SELECT n.provider_id, n.status, 1 FROM old_links o JOIN new_links n ON n.id = o.id
            WHERE o.status IS DISTINCT FROM n.status OR o.provider_id IS DISTINCT FROM n.provider_id
        ) AS moves GROUP BY 1, 2 HAVING sum(d) <> 0;
    END IF;
    RETURN NULL;
  END;
  $$;
--> statement-breakpoint
CREATE TRIGGER links_count_insert AFTER INSERT ON links REFERENCING NEW TABLE AS new_links
  FOR EACH STATEMENT EXECUTE FUNCTION renkei_count_links();
--> statement-breakpoint
CREATE TRIGGER links_count_update AFTER UPDATE ON links REFERENCING OLD TABLE AS old_links NEW TABLE AS new_links
  FOR EACH STATEMENT EXECUTE FUNCTION renkei_count_links();
--> statement-breakpoint
CREATE TRIGGER links_count_delete AFTER DELETE ON links REFERENCING OLD TABLE AS old_links
  FOR EACH STATEMENT EXECUTE FUNCTION renkei_count_links();
--> statement-breakpoint
-- The links there already, counted once.
INSERT INTO provider_link_counts (provider_id, status, n) SELECT provider_id, status, count(*) FROM links GROUP BY 1, 2;

CREATE TABLE "receipts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"customer_id" uuid NOT NULL,
	"link_id" uuid NOT NULL,
	"history_id" bigint NOT NULL,
	"event" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_type" "actor_type" NOT NULL,
	"snapshot" jsonb NOT NULL,
	CONSTRAINT "receipts_seq_unique" UNIQUE("seq")
);
--> statement-breakpoint
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_link_id_links_id_fk" FOREIGN KEY ("link_id") REFERENCES "public"."links"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "receipts_customer_idx" ON "receipts" USING btree ("customer_id","seq" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "receipts_link_idx" ON "receipts" USING btree ("link_id","seq" DESC NULLS LAST);--> statement-breakpoint
-- Receipts are append-only, like the history they acknowledge: refuse UPDATE, DELETE and TRUNCATE.
CREATE TRIGGER receipts_append_only
  BEFORE UPDATE OR DELETE ON receipts
  FOR EACH ROW EXECUTE FUNCTION renkei_refuse_history_change();
--> statement-breakpoint
CREATE TRIGGER receipts_no_truncate
  BEFORE TRUNCATE ON receipts
  FOR EACH STATEMENT EXECUTE FUNCTION renkei_refuse_history_change();
--> statement-breakpoint
-- One refusal for every append-only table, naming the table.
CREATE OR REPLACE FUNCTION renkei_refuse_history_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TABLE "job_leases" (
	"name" text PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"until" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "link_history_link_at_idx" ON "link_history" USING btree ("link_id","at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "links_active_expiry_idx" ON "links" USING btree ("expires_at") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "provider_events_created_idx" ON "provider_events" USING btree ("created_at");
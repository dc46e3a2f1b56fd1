ALTER TABLE "links" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "links" ADD COLUMN "record_from" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "links_expired_record_idx" ON "links" USING btree ("expires_at") WHERE status = 'expired' and archived_at is null;--> statement-breakpoint
CREATE INDEX "links_ended_record_idx" ON "links" USING btree ("status_changed_at") WHERE status in ('revoked', 'terminated') and archived_at is null;
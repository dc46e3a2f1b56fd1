DROP INDEX "provider_events_provider_idx";--> statement-breakpoint
DROP INDEX "provider_events_created_idx";--> statement-breakpoint
CREATE INDEX "provider_events_provider_newest_idx" ON "provider_events" USING btree ("provider_id","created_at","jti");--> statement-breakpoint
CREATE INDEX "provider_events_newest_idx" ON "provider_events" USING btree ("created_at","jti");
CREATE TABLE "ssf_streams" (
	"provider_id" uuid PRIMARY KEY NOT NULL,
	"stream_id" text NOT NULL,
	"delivery_method" text NOT NULL,
	"endpoint_url" text,
	"authorization_header" text,
	"events_requested" jsonb,
	"description" text,
	"status" text DEFAULT 'enabled' NOT NULL,
	"reason" text,
	"last_verification_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ssf_streams_stream_id_unique" UNIQUE("stream_id")
);
--> statement-breakpoint
ALTER TABLE "ssf_streams" ADD CONSTRAINT "ssf_streams_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "provider_events_provider_state_idx" ON "provider_events" USING btree ("provider_id","state","created_at");
CREATE TYPE "public"."staff_role" AS ENUM('staff', 'operator');--> statement-breakpoint
CREATE TABLE "disclosures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"customer_id" uuid NOT NULL,
	"provider_id" uuid NOT NULL,
	"information" text NOT NULL,
	"reason" integer NOT NULL,
	"disclosed_at" timestamp with time zone NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "maintenance_windows" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"note_ja" text NOT NULL,
	"note_en" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "operations_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provider_events" (
	"jti" text PRIMARY KEY NOT NULL,
	"provider_id" uuid NOT NULL,
	"link_id" uuid,
	"event_type" text NOT NULL,
	"claims" jsonb NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"last_attempt_at" timestamp with time zone,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "staff_access_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"staff_user_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"link_id" uuid,
	"view" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "staff_credentials" (
	"staff_user_id" uuid PRIMARY KEY NOT NULL,
	"password_hash" text NOT NULL,
	"totp_secret" text NOT NULL,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"last_totp_step" bigint DEFAULT 0 NOT NULL,
	"password_changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "staff_users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"logon_id" text NOT NULL,
	"name" text NOT NULL,
	"role" "staff_role" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_users_logon_id_unique" UNIQUE("logon_id")
);
--> statement-breakpoint
ALTER TABLE "login_challenges" ALTER COLUMN "customer_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ALTER COLUMN "customer_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "login_challenges" ADD COLUMN "staff_user_id" uuid;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "staff_user_id" uuid;--> statement-breakpoint
ALTER TABLE "chained_connections" ADD COLUMN "bank_stop_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "chained_connections" ADD COLUMN "bank_stop_request_note" text;--> statement-breakpoint
ALTER TABLE "providers" ADD COLUMN "suspension_reason" integer;--> statement-breakpoint
ALTER TABLE "providers" ADD COLUMN "status_changed_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "links" ADD COLUMN "suspension_note" text;--> statement-breakpoint
ALTER TABLE "links" ADD COLUMN "suspended_via" text;--> statement-breakpoint
ALTER TABLE "disclosures" ADD CONSTRAINT "disclosures_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosures" ADD CONSTRAINT "disclosures_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_events" ADD CONSTRAINT "provider_events_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_access_log" ADD CONSTRAINT "staff_access_log_staff_user_id_staff_users_id_fk" FOREIGN KEY ("staff_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_access_log" ADD CONSTRAINT "staff_access_log_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_access_log" ADD CONSTRAINT "staff_access_log_link_id_links_id_fk" FOREIGN KEY ("link_id") REFERENCES "public"."links"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_credentials" ADD CONSTRAINT "staff_credentials_staff_user_id_staff_users_id_fk" FOREIGN KEY ("staff_user_id") REFERENCES "public"."staff_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "disclosures_customer_idx" ON "disclosures" USING btree ("customer_id","disclosed_at");--> statement-breakpoint
CREATE INDEX "maintenance_windows_ends_idx" ON "maintenance_windows" USING btree ("ends_at");--> statement-breakpoint
CREATE INDEX "operations_log_target_idx" ON "operations_log" USING btree ("target_type","target_id","id");--> statement-breakpoint
CREATE INDEX "provider_events_due_idx" ON "provider_events" USING btree ("state","next_attempt_at");--> statement-breakpoint
CREATE INDEX "provider_events_provider_idx" ON "provider_events" USING btree ("provider_id","created_at");--> statement-breakpoint
CREATE INDEX "staff_access_log_customer_idx" ON "staff_access_log" USING btree ("customer_id","at");--> statement-breakpoint
ALTER TABLE "login_challenges" ADD CONSTRAINT "login_challenges_staff_user_id_staff_users_id_fk" FOREIGN KEY ("staff_user_id") REFERENCES "public"."staff_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_staff_user_id_staff_users_id_fk" FOREIGN KEY ("staff_user_id") REFERENCES "public"."staff_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "login_challenges" ADD CONSTRAINT "login_challenges_one_subject" CHECK (num_nonnulls("login_challenges"."customer_id", "login_challenges"."staff_user_id") = 1);--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_one_subject" CHECK (num_nonnulls("sessions"."customer_id", "sessions"."staff_user_id") = 1);--> statement-breakpoint
-- Staff look-ups and operator actions are append-only, like the link history.
CREATE OR REPLACE FUNCTION renkei_refuse_history_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER staff_access_log_append_only
  BEFORE UPDATE OR DELETE ON staff_access_log
  FOR EACH ROW EXECUTE FUNCTION renkei_refuse_history_change();
--> statement-breakpoint
CREATE TRIGGER staff_access_log_no_truncate
  BEFORE TRUNCATE ON staff_access_log
  FOR EACH STATEMENT EXECUTE FUNCTION renkei_refuse_history_change();
--> statement-breakpoint
CREATE TRIGGER operations_log_append_only
  BEFORE UPDATE OR DELETE ON operations_log
  FOR EACH ROW EXECUTE FUNCTION renkei_refuse_history_change();
--> statement-breakpoint
CREATE TRIGGER operations_log_no_truncate
  BEFORE TRUNCATE ON operations_log
  FOR EACH STATEMENT EXECUTE FUNCTION renkei_refuse_history_change();

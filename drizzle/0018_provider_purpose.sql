ALTER TABLE "providers" ADD COLUMN "purpose_ja" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "providers" ADD COLUMN "purpose_en" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "providers" ADD COLUMN "initiate_login_uri" text;
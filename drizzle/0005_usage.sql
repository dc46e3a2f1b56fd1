CREATE TABLE "link_usage_daily" (
	"link_id" uuid NOT NULL,
	"item" "permission_item" NOT NULL,
	"day" text NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "link_usage_daily_link_id_item_day_pk" PRIMARY KEY("link_id","item","day")
);
--> statement-breakpoint
ALTER TABLE "link_usage_daily" ADD CONSTRAINT "link_usage_daily_link_id_links_id_fk" FOREIGN KEY ("link_id") REFERENCES "public"."links"("id") ON DELETE cascade ON UPDATE no action;
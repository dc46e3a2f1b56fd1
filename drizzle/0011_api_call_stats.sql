CREATE TABLE "api_call_stats" (
	"minute" timestamp with time zone NOT NULL,
	"client_id" text NOT NULL,
	"outcome" text NOT NULL,
	"calls" integer NOT NULL,
	"total_ms" bigint NOT NULL,
	"within_1000" integer NOT NULL,
	"within_1500" integer NOT NULL,
	CONSTRAINT "api_call_stats_minute_client_id_outcome_pk" PRIMARY KEY("minute","client_id","outcome")
);

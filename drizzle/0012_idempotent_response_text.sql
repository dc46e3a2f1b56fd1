-- A replay returns the stored response byte for byte (issue 12): text, not jsonb (which reorders keys).
ALTER TABLE "idempotency_keys" ALTER COLUMN "response_body" SET DATA TYPE text USING "response_body"::text;

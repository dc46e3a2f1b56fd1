-- The bigram index without a pending list (issue 13): with fastupdate on, new entries wait in an
-- unordered list of up to 4 MB that every search reads whole (10 ms a search at 10 000 customers
-- after their load). Turned off in place, and what is waiting is moved into the index now.
ALTER INDEX "customers_search_grams_idx" SET (fastupdate = false);--> statement-breakpoint
SELECT gin_clean_pending_list('customers_search_grams_idx'::regclass);

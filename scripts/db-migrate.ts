// `npm run db:migrate`: applies the migrations in drizzle/ to the configured database.
// (The server also migrates at start-up; this is for operators and CI.)
import { openConfiguredDatabase } from '@/lib/db/open';

async function main() {
  const database = await openConfiguredDatabase();
  await database.close();
  console.log(`Migrations applied (${database.kind}).`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

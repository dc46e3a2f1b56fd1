// Start-up (lib/start-up-node.ts): migrations and the seed, once, then the timers and the shutdown
// steps. `next build` never runs this, so the build never touches a database.
//
// Anything that fails there ends the process (exit status 1, one fatal line): Next.js never runs a
// failed hook again, so the server would otherwise stay up answering 500 to every request.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { startNode } = await import('./lib/start-up-node');
    await startNode();
  }
}

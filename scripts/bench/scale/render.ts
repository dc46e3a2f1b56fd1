// The pages' server render over HTTP on a bank-sized database (`npm run bench -- --scale --render`):
// the production server (`next start`, scripts/start.sh) on the size's database, the sandbox
// customers signed in through the real two-step form in Chromium, then each page fetched with
// their session cookie — Next's render, the session check, every query and the HTML, which the
// data-layer figures of main.ts leave out.
import { chromium, type Page } from '@playwright/test';
import { submitSignIn } from '../../../e2e/support/sign-in';
import { DEMO, DEMO2, DEMO50 } from '../../../e2e/support/users';
import { chromiumExecutable } from '../link';
import { startServer, stopServer, waitReady, type Server } from '../server';

type Who = 'demo' | 'demo2' | 'demo50';
export type Renderer = { server: Server; get: (who: Who, pathname: string) => Promise<void>; close: () => Promise<void> };

export async function openRenderer(databaseUrl: string, profileDir?: string): Promise<Renderer> {
  const server = await startServer('postgres', databaseUrl, profileDir);
  try {
    await waitReady(server);
    const browser = await chromium.launch({
      executablePath: chromiumExecutable(),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const cookies: Record<string, string> = {};
    try {
      for (const [who, user] of [['demo', DEMO], ['demo2', DEMO2], ['demo50', DEMO50]] as const) {
        const context = await browser.newContext({ baseURL: server.origin, locale: 'ja-JP' });
        const page = await context.newPage();
        page.setDefaultTimeout(60_000);
        await signIn(page, user);
        if (!new URL(page.url()).pathname.match(/^\/$/)) throw new Error(`${who} did not reach the dashboard: ${page.url()}`);
        cookies[who] = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
        await context.close();
      }
    } finally {
      await browser.close();
    }
    const get = async (who: Who, pathname: string) => {
      const response = await fetch(`${server.origin}${pathname}`, { headers: { Cookie: cookies[who]! }, redirect: 'manual' });
      const html = await response.text();
      // A redirect to the sign-in page or an error page would time the wrong thing.
      if (response.status !== 200 || !html.includes('</html>')) throw new Error(`${pathname} as ${who}: ${response.status}`);
    };
    return { server, get, close: () => stopServer(server) };
  } catch (error) {
    await stopServer(server);
    throw error;
  }
}

/** The real two-step form, the e2e suite's own steps (without its test runner), landing on the dashboard. */
export async function signIn(page: Page, user: { logonId: string; password: string; totpSecret: string }): Promise<void> {
  await submitSignIn(page, user);
  await page.waitForURL((url) => url.pathname === '/');
}

/** One customer signed in through the form in Chromium: the Cookie header of that session. */
export async function portalCookie(origin: string, user: { logonId: string; password: string; totpSecret: string }): Promise<string> {
  const browser = await chromium.launch({
    executablePath: chromiumExecutable(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const context = await browser.newContext({ baseURL: origin, locale: 'ja-JP' });
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    await signIn(page, user);
    return (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  } finally {
    await browser.close();
  }
}

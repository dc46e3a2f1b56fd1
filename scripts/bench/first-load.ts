// `npm run bench -- --first-load`: the JavaScript a first visit to the dashboard and to the consent
// screen downloads (issue 13 §5: ≤ 120 kB and ≤ 90 kB gzipped).
//
//   npm run bench -- --first-load [--no-build]
//
// The production build on a fresh PostgreSQL database (as the main bench prepares it); in Chromium
// demo signs in and opens the dashboard, and demo2 follows a provider's authorization request
// (PAR) through sign-in to the consent screen. On each page, every script the page loaded (the
// resource timing entries of type script, and the page's own <script src>) is fetched again
// without a cache and gzipped as a server would send it (zlib level 6, Node's and nginx's usual);
// the sum is the page's first-load JS. Also the uncompressed size and the number of files.
// Writes bench/first-load-results.json.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, type Page } from '@playwright/test';
import { freshOtp } from '../../e2e/support/otp';
import { startLinking } from '../../e2e/support/oauth-client';
import { DEMO, DEMO2 } from '../../e2e/support/users';
import { SETTINGS } from './args';
import { postgresServer, prepareDatabase } from './databases';
import { chromiumExecutable } from './link';
import { signIn } from './scale/render';
import { build, startServer, stopServer, waitReady } from './server';
import { log } from './util';

const ROOT = path.resolve(import.meta.dirname, '../..');
const GOALS_KB = { dashboard: 120, consent: 90 };

type PageJs = { path: string; files: number; rawKb: number; gzipKb: number; goalKb: number; met: boolean; largest: { file: string; gzipKb: number }[] };

async function scriptsOf(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const fromTiming = performance.getEntriesByType('resource').filter((e) => (e as PerformanceResourceTiming).initiatorType === 'script' || e.name.endsWith('.js')).map((e) => e.name);
    const fromTags = [...document.querySelectorAll('script[src]')].map((s) => (s as HTMLScriptElement).src);
    return [...new Set([...fromTiming, ...fromTags])].filter((u) => new URL(u).origin === location.origin);
  });
}

async function measurePage(page: Page, goalKb: number): Promise<PageJs> {
  await page.waitForLoadState('networkidle');
  const urls = await scriptsOf(page);
  let raw = 0;
  let gzip = 0;
  const sizes: { file: string; gzipKb: number }[] = [];
  for (const url of urls) {
    const body = Buffer.from(await (await fetch(url)).arrayBuffer());
    const gz = zlib.gzipSync(body, { level: 6 }).length;
    raw += body.length;
    gzip += gz;
    sizes.push({ file: new URL(url).pathname, gzipKb: Math.round(gz / 102.4) / 10 });
  }
  const gzipKb = Math.round(gzip / 102.4) / 10;
  return {
    path: new URL(page.url()).pathname,
    files: urls.length,
    rawKb: Math.round(raw / 102.4) / 10,
    gzipKb,
    goalKb,
    met: gzipKb <= goalKb,
    largest: sizes.sort((a, b) => b.gzipKb - a.gzipKb).slice(0, 5),
  };
}

export async function firstLoadBench(): Promise<void> {
  if (SETTINGS.build) build();
  const pg = await postgresServer();
  if ('unreachable' in pg) throw new Error(`PostgreSQL: ${pg.unreachable}`);
  await prepareDatabase('postgres', pg.url);
  const server = await startServer('postgres', pg.url, undefined);
  const browser = await chromium.launch({
    executablePath: chromiumExecutable(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    await waitReady(server);
    const results: Record<string, PageJs> = {};

    const portal = await browser.newContext({ baseURL: server.origin, locale: 'ja-JP' });
    const dashboard = await portal.newPage();
    dashboard.setDefaultTimeout(60_000);
    await signIn(dashboard, DEMO);
    // A first visit of the dashboard itself: a new page on the signed-in session, nothing cached.
    const fresh = await portal.newPage();
    await fresh.goto('/');
    results.dashboard = await measurePage(fresh, GOALS_KB.dashboard);
    // The floor: the not-found page, Next's App Router runtime and React with next to nothing of ours.
    const floor = await portal.newPage();
    await floor.goto('/no-such-page-first-load');
    results.notFound = await measurePage(floor, Number.POSITIVE_INFINITY);
    await portal.close();

    const consentContext = await browser.newContext({ baseURL: server.origin, locale: 'ja-JP' });
    const consent = await consentContext.newPage();
    consent.setDefaultTimeout(60_000);
    const linking = await startLinking(server.origin, 'balances');
    await consent.goto(linking.authorizationUrl);
    await consent.waitForURL(/\/login\?next=%2Fconsent%2F/);
    await consent.getByLabel('ログオンID').fill(DEMO2.logonId);
    await consent.getByLabel('ログオンパスワード').fill(DEMO2.password);
    await consent.getByRole('button', { name: '次へ' }).click();
    await consent.getByLabel('ワンタイムパスワード').fill(await freshOtp(DEMO2.totpSecret));
    await consent.getByRole('button', { name: 'ログオンする' }).click();
    await consent.waitForURL(/\/consent\//);
    // The consent screen as its own first visit (a provider's redirect lands the customer there).
    const consentUrl = consent.url();
    const again = await consentContext.newPage();
    await again.goto(consentUrl);
    results.consent = await measurePage(again, GOALS_KB.consent);
    await consentContext.close();

    const file = path.join(ROOT, 'bench', 'first-load-results.json');
    fs.writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), gzip: 'zlib level 6', results }, (_k, v: unknown) => (v === Number.POSITIVE_INFINITY ? null : v), 2)}\n`);
    for (const [name, r] of Object.entries(results)) {
      const goal = Number.isFinite(r.goalKb) ? ` (goal ≤ ${r.goalKb} kB: ${r.met ? 'met' : 'MISSED'})` : ' (the floor: no goal)';
      log(`${name} (${r.path}): ${r.files} scripts, ${r.rawKb} kB, ${r.gzipKb} kB gzipped${goal}; largest ${r.largest.map((l) => `${l.file.split('/').pop()} ${l.gzipKb}`).join(', ')}`);
    }
    log(`wrote ${path.relative(ROOT, file)}`);
  } finally {
    await browser.close();
    await stopServer(server);
    await pg.drop();
  }
}

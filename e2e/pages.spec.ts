import { expect, test, type Browser, type Page } from '@playwright/test';
import { STORAGE } from './support/users';

// Every page, as each kind of reader sees it: in-page links that land somewhere, ids that are
// unique, and a layout that does not jump when the web font arrives (issue 12, defects 8 and 9).

type Reader = 'public' | 'customer' | 'staff' | 'operator';
const storage: Record<Reader, string | undefined> = { public: undefined, customer: STORAGE.demo, staff: STORAGE.staff, operator: STORAGE.operator };

// Pages with an id in their path are found from a list page first.
const PAGES: { reader: Reader; path: string | ((page: Page) => Promise<string>); name?: string }[] = [
  { reader: 'public', path: '/login' },
  { reader: 'public', path: '/staff/login' },
  { reader: 'public', path: '/docs/providers' },
  { reader: 'customer', path: '/' },
  { reader: 'customer', path: '/terms' },
  { reader: 'customer', path: '/help' },
  { reader: 'customer', name: 'a link page', path: firstHref('/', 'a[href^="/links/"]') },
  { reader: 'staff', path: '/staff' },
  { reader: 'staff', path: '/staff/providers' },
  { reader: 'staff', path: '/staff/events' },
  { reader: 'staff', name: 'a provider page', path: firstHref('/staff/providers', 'a[href^="/staff/providers/"]') },
  { reader: 'staff', name: 'a customer page', path: firstHref('/staff?q=demo', 'a[href^="/staff/customers/"]') },
  { reader: 'operator', path: '/staff/operations' },
  { reader: 'operator', path: '/staff/service' },
];

function firstHref(listPath: string, selector: string) {
  return async (page: Page) => {
    await page.goto(listPath);
    const href = await page.locator(selector).first().getAttribute('href');
    if (!href) throw new Error(`no ${selector} on ${listPath}`);
    return href;
  };
}

async function open(browser: Browser, reader: Reader, width: number) {
  const context = await browser.newContext({ storageState: storage[reader], viewport: { width, height: 900 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  // Every layout shift of the page's life, as Lighthouse counts them (not those right after input).
  await context.addInitScript(() => {
    const w = window as unknown as { __cls: number; __shifts: { value: number; sources: string[] }[] };
    w.__cls = 0;
    w.__shifts = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean; sources?: { node?: Node }[] }[]) {
        if (entry.hadRecentInput) continue;
        w.__cls += entry.value;
        w.__shifts.push({ value: entry.value, sources: (entry.sources ?? []).map((s) => (s.node instanceof Element ? s.node.outerHTML.slice(0, 80) : String(s.node?.nodeName))) });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  // The web font arrives late, as on a phone network: a layout that depends on its metrics shifts.
  await context.route(/\.woff2?$/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    await route.continue();
  });
  return context;
}

for (const { reader, path, name } of PAGES) {
  const label = typeof path === 'string' ? path : name;
  test(`${label} (${reader}): every in-page link has a target, ids are unique, no layout shift at 320, 412 px and desktop`, async ({ browser }) => {
    for (const width of [320, 412, 1280]) {
      const context = await open(browser, reader, width);
      const page = await context.newPage();
      const target = typeof path === 'string' ? path : await path(page);
      const response = await page.goto(target, { waitUntil: 'load' });
      expect(response?.status(), target).toBeLessThan(400);
      // Until every font the page asked for has arrived and been laid out (the shift, if any, is then recorded).
      await page.waitForTimeout(100);
      await page.waitForFunction(() => document.fonts.status === 'loaded');
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

      const report = await page.evaluate(() => {
        const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
        const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
        const anchors = [...document.querySelectorAll<HTMLAnchorElement>('a[href^="#"]')].map((a) => a.getAttribute('href')!).filter((h) => h !== '#');
        const missing = anchors.filter((href) => !document.getElementById(decodeURIComponent(href.slice(1))));
        const w = window as unknown as { __cls: number; __shifts: unknown[] };
        return { anchors: anchors.length, missing, duplicates: [...new Set(duplicates)], cls: w.__cls, shifts: w.__shifts };
      });
      expect(report.missing, `${target} at ${width}px: in-page links without a target`).toEqual([]);
      expect(report.duplicates, `${target} at ${width}px: duplicate ids`).toEqual([]);
      expect(report.cls, `${target} at ${width}px: cumulative layout shift ${JSON.stringify(report.shifts)}`).toBeLessThan(0.1);
      // The header must not depend on the width of its text: with every glyph wider (another font,
      // a fallback before the web font arrives) it keeps its height, so nothing below it moves.
      const header = page.locator('body > header, header').first();
      if (await header.count()) {
        const before = (await header.boundingBox())!.height;
        // Through the CSSOM (the page's CSP refuses an injected style sheet, rightly).
        const spacing = (value: string) =>
          page.evaluate((v) => document.querySelectorAll<HTMLElement>('header, header *').forEach((e) => e.style.setProperty('letter-spacing', v, 'important')), value);
        await spacing('0.12em');
        const after = (await header.boundingBox())!.height;
        expect(after, `${target} at ${width}px: the header's height with wider text`).toBe(before);
        await spacing('normal');
      }
      // Following an in-page link that is on screen (not the skip link, hidden until focused) scrolls to its target.
      if (width === 1280 && report.anchors > 0) {
        const link = page.locator('a[href^="#"]:not(.sr-only):visible').last();
        if (await link.count()) {
          const href = (await link.getAttribute('href'))!;
          await link.click();
          await expect(page.locator(`[id="${decodeURIComponent(href.slice(1))}"]`)).toBeInViewport();
        }
      }
      await context.close();
    }
  });
}

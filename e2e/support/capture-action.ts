import { expect, type BrowserContext, type Page, type Route } from '@playwright/test';

/** A Server Action request as the browser sent it, held back from the server. */
export type Captured = { name: string; url: string; headers: Record<string, string>; body: Buffer };

/** Runs `trigger` and captures (and aborts) the first Server Action request it sends. */
export async function captureAction(page: Page, name: string, trigger: () => Promise<void>): Promise<Captured> {
  let captured: Captured | undefined;
  const handler = async (route: Route) => {
    const request = route.request();
    if (request.method() === 'POST' && request.headers()['next-action'] && !captured) {
      captured = { name, url: request.url(), headers: await request.allHeaders(), body: request.postDataBuffer() ?? Buffer.alloc(0) };
      await route.abort();
      return;
    }
    await route.continue();
  };
  await page.route('**/*', handler);
  await trigger();
  await expect.poll(() => captured !== undefined, { message: `${name} sent no Server Action` }).toBe(true);
  await page.unroute('**/*', handler);
  return captured!;
}

/** The captured request's headers without those the replaying context sets itself (and `drop`). */
export function replayHeaders(action: Captured, drop: string[] = []): Record<string, string> {
  return Object.fromEntries(Object.entries(action.headers).filter(([k]) => !k.startsWith(':') && !['cookie', 'content-length', 'host', ...drop].includes(k)));
}

/** Sends a captured Server Action again from another context (its cookies), body as given. */
export async function replay(context: BrowserContext, action: Captured, options: { headers?: Record<string, string>; body?: Buffer } = {}) {
  return context.request.fetch(action.url, { method: 'POST', headers: options.headers ?? replayHeaders(action), data: options.body ?? action.body, maxRedirects: 0, failOnStatusCode: false });
}

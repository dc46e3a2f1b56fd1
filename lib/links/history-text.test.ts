import { createTranslator } from 'next-intl';
import { describe, expect, it } from 'vitest';
import { LINK_EVENTS } from '@/lib/domain/link-events';
import { loadMessages } from '@/messages';
import { historyText } from './history-text';

// Issue 12, defect 1: `link_hold_lifted` was shown as the raw key, because the history component
// kept its own list of events. Every event must read as a sentence in ja and en.
describe.each(['ja', 'en'] as const)('history sentences (%s)', (locale) => {
  it.each(LINK_EVENTS.map((e) => [e]))('%s reads as a sentence, not as its key', async (event) => {
    const messages = await loadMessages(locale);
    const t = createTranslator({ locale, messages });
    const text = historyText(t as unknown as Parameters<typeof historyText>[0], {
      event,
      item: 'balances',
      detail: { name: 'ペイ太郎', amount: 12_000, note: 'n' },
    });
    expect(text).not.toContain(event);
    expect(text).not.toMatch(/[{}]/);
    expect(text.trim().length).toBeGreaterThan(3);
  });

  it('gives an unknown event words, not its key', async () => {
    const t = createTranslator({ locale, messages: await loadMessages(locale) });
    const text = historyText(t as unknown as Parameters<typeof historyText>[0], { event: 'something_new', item: null, detail: {} });
    expect(text).not.toContain('something_new');
  });
});

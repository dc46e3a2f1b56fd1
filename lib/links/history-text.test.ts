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

  it('names what a provider’s update or replace added and stopped', async () => {
    const t = createTranslator({ locale, messages: await loadMessages(locale) });
    const text = historyText(t as unknown as Parameters<typeof historyText>[0], { event: 'consent_updated', item: null, detail: { added: ['payees'], removed: ['balances', 'statements', 'not-an-item'] } });
    expect(text).toBe(
      locale === 'ja'
        ? '事業者の求めにより、連携の内容を変更しました（追加：登録済の振込先、提供停止：口座残高・お取引明細）'
        : 'At the provider’s request, you changed what the link allows (added: Registered payees; stopped: Balances, Statements)',
    );
    const plain = historyText(t as unknown as Parameters<typeof historyText>[0], { event: 'consent_updated', item: null, detail: {} });
    expect(plain).not.toMatch(/[（(]/);
  });

  it('gives an unknown event words, not its key', async () => {
    const t = createTranslator({ locale, messages: await loadMessages(locale) });
    const text = historyText(t as unknown as Parameters<typeof historyText>[0], { event: 'something_new', item: null, detail: {} });
    expect(text).not.toContain('something_new');
  });
});

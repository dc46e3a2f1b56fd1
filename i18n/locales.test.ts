import { describe, expect, it } from 'vitest';
import { localeFromAcceptLanguage } from './locales';

describe('localeFromAcceptLanguage', () => {
  it('defaults to Japanese', () => {
    expect(localeFromAcceptLanguage(null)).toBe('ja');
    expect(localeFromAcceptLanguage('fr-FR,de;q=0.8')).toBe('ja');
  });
  it('picks the highest-quality supported language', () => {
    expect(localeFromAcceptLanguage('en-US,en;q=0.9')).toBe('en');
    expect(localeFromAcceptLanguage('fr;q=1, en;q=0.5, ja;q=0.8')).toBe('ja');
    expect(localeFromAcceptLanguage('ja;q=0, en;q=0.1')).toBe('en');
  });
});

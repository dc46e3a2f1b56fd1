import type { Locale } from '@/i18n/locales';

// One catalogue per area and locale, merged at the top level (each area owns its namespaces).
type Catalogue = Record<string, unknown>;

const loaders: Record<Locale, () => Promise<Catalogue[]>> = {
  ja: () =>
    Promise.all([import('./ja/portal.json'), import('./ja/staff.json'), import('./ja/api-docs.json'), import('./ja/operations.json')]).then((m) =>
      m.map((x) => x.default as Catalogue),
    ),
  en: () =>
    Promise.all([import('./en/portal.json'), import('./en/staff.json'), import('./en/api-docs.json'), import('./en/operations.json')]).then((m) =>
      m.map((x) => x.default as Catalogue),
    ),
};

export async function loadMessages(locale: Locale): Promise<Catalogue> {
  const parts = await loaders[locale]();
  const merged: Catalogue = {};
  for (const part of parts) {
    for (const [namespace, value] of Object.entries(part)) {
      if (namespace in merged) throw new Error(`Message namespace "${namespace}" is defined in two catalogues`);
      merged[namespace] = value;
    }
  }
  return merged;
}

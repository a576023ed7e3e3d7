import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { nl, nlServerMessages, nlServerPatterns } from './nl';

export const LOCALES = ['nl', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'nl';

const STORAGE_KEY = 'quire.locale';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof nl };
  }
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

function storedLocale(): Locale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return isLocale(stored) ? stored : DEFAULT_LOCALE;
  } catch {
    // Storage can be blocked (private mode, strict settings); Dutch is the default then.
    return DEFAULT_LOCALE;
  }
}

/** Switches the interface language and remembers it on this device. */
export async function applyLocale(locale: Locale): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembered on this device; the switch itself still works.
  }
  if (i18n.language !== locale) await i18n.changeLanguage(locale);
}

/** The current interface language. */
export function currentLocale(): Locale {
  return isLocale(i18n.language) ? i18n.language : DEFAULT_LOCALE;
}

/** A field message from the api in the interface language, or as sent (English) when unknown. */
export function serverMessage(message: string): { text: string; lang?: Locale } {
  if (currentLocale() === 'en') return { text: message };
  const translated = nlServerMessages[message];
  if (translated) return { text: translated };
  for (const [pattern, dutch] of nlServerPatterns) {
    const match = pattern.exec(message);
    if (match) return { text: dutch(...match.slice(1)) };
  }
  return { text: message, lang: 'en' };
}

i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
});

void i18n.use(initReactI18next).init({
  resources: { nl: { translation: nl }, en: { translation: en } },
  lng: storedLocale(),
  supportedLngs: LOCALES,
  // Both languages have every key (en.ts is type-checked against nl.ts); never mix them.
  fallbackLng: false,
  interpolation: { escapeValue: false }, // React escapes
  initAsync: false,
});

export { i18n };

// The console's texts: locales/<vi|en>/console.json (the same files convention as the rest of the
// hotline; tests/unit/locales.test.ts checks that both languages have every key). Vietnamese first.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from '../../locales/en/console.json';
import vi from '../../locales/vi/console.json';

export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'hotline-console-language';

function savedLanguage(): Language {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'vi' || saved === 'en') return saved;
  } catch {
    // Storage may be off (private mode); the default will do.
  }
  return 'vi';
}

void i18next.use(initReactI18next).init({
  resources: { vi: { console: vi }, en: { console: en } },
  lng: savedLanguage(),
  fallbackLng: 'vi',
  ns: ['console'],
  defaultNS: 'console',
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});
document.documentElement.lang = i18next.language;

export function setLanguage(lang: Language): void {
  void i18next.changeLanguage(lang);
  document.documentElement.lang = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered; this page still switches.
  }
}

export const currentLanguage = (): Language => (i18next.language === 'en' ? 'en' : 'vi');

export default i18next;

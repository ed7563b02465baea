// Every text the hotline says comes from locales/<language>/<namespace>.json (vi first, en second).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import i18next, { type TFunction } from 'i18next';
import { inProject } from './project-root';

export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const LOCALES_DIR = inProject('locales');

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export function readNamespace(locale: Locale, ns: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(LOCALES_DIR, locale, `${ns}.json`), 'utf8')) as Record<string, unknown>;
}

export interface Translator {
  /** Translate `key` ("ns:key" or a key of the default namespace "bot") into `locale`. */
  t(locale: Locale, key: string, vars?: Record<string, unknown>): string;
}

export async function createTranslator(): Promise<Translator> {
  const resources: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const locale of LOCALES) {
    resources[locale] = {};
    for (const file of readdirSync(path.join(LOCALES_DIR, locale))) {
      if (file.endsWith('.json')) resources[locale][file.slice(0, -5)] = readNamespace(locale, file.slice(0, -5));
    }
  }
  const instance = i18next.createInstance();
  await instance.init({
    resources,
    lng: 'vi',
    fallbackLng: 'vi',
    defaultNS: 'bot',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const fixed = new Map<Locale, TFunction>(LOCALES.map((l) => [l, instance.getFixedT(l)]));
  return { t: (locale, key, vars) => fixed.get(locale)!(key, vars ?? {}) as string };
}

/** Agencies have a Vietnamese and an English name. */
export function agencyName(agency: { name: string; nameEn: string }, locale: Locale): string {
  return locale === 'en' && agency.nameEn ? agency.nameEn : agency.name;
}

// What a message names, for routing and for the flows that would otherwise have to ask:
// tracking codes, phone numbers, street addresses, wards/communes, and the language it is in.
import type { Entities } from './types';
import { findPhones, findTrackingCodes, hasVietnameseDiacriticsNfc, isAbbreviation } from './normalize';

/** A keyword in either case of its first letter, accented or not: "[Hh](?:ẻm|em)". */
const keyword = (accented: string, plain: string): string =>
  `[${accented[0]?.toLowerCase()}${accented[0]?.toUpperCase()}](?:${accented.slice(1)}|${plain.slice(1)})`;

/** Capitalised words that follow numbers without being street names: units, and months in dates. */
const NOT_A_NAME = `(?:Phường|Phuong|Quận|Quan|Huyện|Huyen|Xã|Xa|Thành phố|Thanh pho|Tỉnh|Tinh|Tp|TP|P|Q|Tháng|Thang)(?!\\p{L})`;
/** A capitalised syllable that can be part of a name ("Lê", "Lợi", not "Quận"). */
const NAME_WORD = `(?!${NOT_A_NAME})\\p{Lu}\\p{Ll}*`;
const NAME = `${NAME_WORD}(?: ${NAME_WORD}){0,4}`;
/** Lower-case names have no visible end: take the two syllables most names have ("le loi"). */
const LOWER_NAME = `\\p{Ll}+ \\p{Ll}+`;

const ALLEY = [keyword('hẻm', 'hem'), keyword('ngõ', 'ngo'), keyword('ngách', 'ngach'), keyword('kiệt', 'kiet')].join('|');
const HOUSE_NUMBER = `\\d{1,4}[A-Za-z]?(?:\\/\\d{1,4}[A-Za-z]?)*`;
const STREET = `(?:(?:${keyword('đường', 'duong')}|Đ\\.|đ\\.) ?)?`;
const NOT_ADMIN_NUMBER = `(?<!(?:${NOT_A_NAME}|phường|phuong|quận|quan|tuyến|tuyen|p|q)[.\\s]*)`;

/** "số 12 Lê Lợi", "12 Le Loi", "12/3A đường Nguyễn Huệ", "hẻm 45 Nguyễn Trãi", "số 12 le loi". */
const ADDRESS = new RegExp(
  [
    `(?:(?:${ALLEY}) )${HOUSE_NUMBER} ${STREET}(?:${NAME}|${LOWER_NAME})`,
    `(?<=${keyword('số', 'so')} )${HOUSE_NUMBER} ${STREET}(?:${NAME}|${LOWER_NAME})`,
    `${NOT_ADMIN_NUMBER}(?<![\\p{L}\\d/])${HOUSE_NUMBER} ${STREET}${NAME}`,
  ].join('|'),
  'gu',
);

/** "phường Bến Thành", "p. Ben Thanh", "P.Tân Định", "phường 12", "xã Bình Chánh". */
const WARD = new RegExp(
  `(?<![\\p{L}])(?:${keyword('phường', 'phuong')} ?|[Pp]\\. ?|[Xx]ã )(${NAME}|\\d{1,2}(?!\\d)|${LOWER_NAME})`,
  'gu',
);

const unique = (items: string[]): string[] => [...new Set(items)];

// Cheap tests that rule most messages out before the long patterns run.
const MAY_HOLD_ADDRESS = /\d[A-Za-z]? /;
const MAY_HOLD_WARD = /ph|p\.|xã/i;

export function findAddresses(text: string): string[] {
  const nfc = text.normalize('NFC');
  return MAY_HOLD_ADDRESS.test(nfc) ? unique(Array.from(nfc.matchAll(ADDRESS), (m) => m[0])) : [];
}

export function findWards(text: string): string[] {
  const nfc = text.normalize('NFC');
  return MAY_HOLD_WARD.test(nfc) ? unique(Array.from(nfc.matchAll(WARD), (m) => m[1] as string)) : [];
}

// English function words that are not also common diacritic-free Vietnamese ("on", "to", "me", "do"…).
const ENGLISH_WORDS = new Set(
  ('i the is are was were been my your our you we she it they this that there what where when why how who which ' +
    'can could would should will please help hello thanks thank of at for from with about and or not does did ' +
    'have has had near street road water power need want get any').split(' '),
);

/** Onset + vowels + coda as Vietnamese syllables allow; English words mostly do not fit. */
const VIETNAMESE_SYLLABLE = /^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?$/;

/**
 * vi or en by weight of evidence: a word with Vietnamese diacritics, or one shaped like a Vietnamese
 * syllable, counts 1 for vi; an English function word counts 1.5 for en (English sentences are full
 * of short words shaped like Vietnamese syllables: "do", "to", "in"), and a word no Vietnamese syllable
 * looks like 0.5. A foreigner's English naming "Phường Bến Thành" stays English. Ties go to vi.
 */
export function detectLanguage(text: string): 'vi' | 'en' {
  let english = 0;
  let vietnamese = 0;
  // Tone placement does not matter here, so plain NFC will do (canonicalize would cost more).
  const words = text.normalize('NFC').toLowerCase().match(/\p{L}+/gu) ?? [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (hasVietnameseDiacriticsNfc(word)) vietnamese += 1;
    else if (ENGLISH_WORDS.has(word)) english += 1.5;
    else if (VIETNAMESE_SYLLABLE.test(word) || isAbbreviation(word)) vietnamese += 1;
    else english += 0.5;
    if (vietnamese > english + 1.5 * (words.length - i - 1)) return 'vi'; // the rest cannot change it
  }
  return english >= 1 && english > vietnamese ? 'en' : 'vi';
}

export function extractEntities(text: string): Entities {
  return {
    trackingCodes: findTrackingCodes(text),
    phones: findPhones(text),
    addresses: findAddresses(text),
    wards: findWards(text),
    language: detectLanguage(text),
  };
}

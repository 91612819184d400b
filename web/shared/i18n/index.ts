import { useEffect, useState } from 'preact/hooks';

/** Vietnamese first: the default for anyone who has not chosen. */
export type Lang = 'vi' | 'en';
export const LANGS: readonly Lang[] = ['vi', 'en'];
const STORAGE_KEY = 'phananh.lang';

type Entry = string | ((...args: never[]) => string);
export type Entries = Record<string, Entry>;

/** A feature's words: the Vietnamese entries define the keys and the English ones must match them. */
export interface Dictionary<T extends Entries> {
  vi: T;
  en: { [K in keyof T]: T[K] };
}

export function defineText<T extends Entries>(vi: T, en: { [K in keyof T]: T[K] }): Dictionary<T> {
  return { vi, en };
}

function storedLang(): Lang {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    return saved === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
}

let current: Lang = storedLang();
const listeners = new Set<(lang: Lang) => void>();

function applyToDocument(lang: Lang): void {
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}
applyToDocument(current);

export function getLang(): Lang {
  return current;
}

/** Switch the language everywhere, remember it, and tell assistive tech via `<html lang>`. */
export function setLang(lang: Lang): void {
  current = lang;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode: the choice lasts until the tab closes.
  }
  applyToDocument(lang);
  for (const listener of listeners) listener(lang);
}

export function useLang(): Lang {
  const [lang, setState] = useState(current);
  useEffect(() => {
    listeners.add(setState);
    setState(current);
    return () => {
      listeners.delete(setState);
    };
  }, []);
  return lang;
}

/** The current language's entries of a dictionary; the component re-renders when the language changes. */
export function useText<T extends Entries>(dictionary: Dictionary<T>): T {
  return dictionary[useLang()] as T;
}

/** A bilingual value from the API (`{vi, en}`) in the given language. */
export function pick(text: { vi: string; en: string } | null | undefined, lang: Lang): string {
  if (!text) return '';
  return text[lang] || text.vi;
}

const dateTimeFormats = new Map<Lang, Intl.DateTimeFormat>();

/** Dates and times written the way each language expects, in Vietnam time (formatters are costly: made once). */
export function formatDateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let format = dateTimeFormats.get(lang);
  if (!format) {
    format = new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Asia/Ho_Chi_Minh',
    });
    dateTimeFormats.set(lang, format);
  }
  return format.format(date);
}

// The Vietnamese alphabet (with the letters only borrowed words use); each letter is one code unit above
// every digit, space and punctuation mark, so that "An Bình" comes before "Anh".
const LETTERS = 'aăâbcdđeêfghijklmnoôơpqrstuưvwxyz';
const LETTER_BASE = 0x100;
// Marks that make another letter of a vowel (ă, â, ê, ô, ơ, ư), and the tones in dictionary order.
const LETTER_MARKS: Record<string, Record<string, string>> = {
  '\u0306': { a: 'ă' },
  '\u0302': { a: 'â', e: 'ê', o: 'ô' },
  '\u031b': { o: 'ơ', u: 'ư' },
};
const TONES = ['\u0300', '\u0309', '\u0303', '\u0301', '\u0323'];

/**
 * A key whose code-unit order is Vietnamese alphabetical order: letters first (a < ă < â, d < đ),
 * then the tones (ngang, huyền, hỏi, ngã, sắc, nặng) where the letters tie. Intl.Collator knows
 * this too, but its first use loads ICU's collation data: ~40 ms, four times that on a cheap phone.
 */
export function sortKey(text: string): string {
  const chars = [...text.toLowerCase().normalize('NFD')];
  let letters = '';
  let tones = '';
  for (let i = 0; i < chars.length; i++) {
    let char = chars[i] ?? '';
    let tone = 0;
    for (let mark = chars[i + 1]; mark !== undefined && /[\u0300-\u036f]/.test(mark); mark = chars[++i + 1]) {
      const toneIndex = TONES.indexOf(mark);
      if (toneIndex >= 0) tone = toneIndex + 1;
      else char = LETTER_MARKS[mark]?.[char] ?? char;
    }
    const rank = LETTERS.indexOf(char);
    letters += rank >= 0 ? String.fromCharCode(LETTER_BASE + rank) : char;
    tones += String(tone);
  }
  return `${letters}\u0000${tones}`;
}

/** Names in alphabetical order, each key computed once. */
export function sortByName<T>(items: T[], name: (item: T) => string): T[] {
  return items
    .map((item) => ({ item, key: sortKey(name(item)) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ item }) => item);
}

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

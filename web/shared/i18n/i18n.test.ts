import { describe, expect, it } from 'vitest';
import { defineText, getLang, pick, setLang } from './index';

describe('i18n', () => {
  it('is Vietnamese until told otherwise, then remembers English and sets <html lang>', () => {
    expect(getLang()).toBe('vi');
    expect(document.documentElement.lang).toBe('vi');
    setLang('en');
    expect(getLang()).toBe('en');
    expect(localStorage.getItem('phananh.lang')).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    setLang('vi');
  });

  it('picks the language of an API text, falling back to Vietnamese', () => {
    expect(pick({ vi: 'Đã tiếp nhận', en: 'Acknowledged' }, 'en')).toBe('Acknowledged');
    expect(pick({ vi: 'Đã tiếp nhận', en: '' }, 'en')).toBe('Đã tiếp nhận');
  });

  it('keeps both languages of a dictionary in step', () => {
    const text = defineText({ count: (n: number) => `${n} phản ánh` }, { count: (n: number) => `${n} reports` });
    expect(text.en.count(3)).toBe('3 reports');
  });
});

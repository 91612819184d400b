import { describe, expect, it } from 'vitest';
import { defineText, getLang, pick, setLang, sortByName } from './index';

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

describe('Vietnamese alphabetical order', () => {
  it('puts each letter of the alphabet after its base letter, and tones after letters', () => {
    const names = ['Đông Hưng', 'Dương', 'Ấp Bắc', 'Ăn Cơm', 'An Bình', 'Anh', 'bạ', 'bá', 'bã', 'bả', 'bà', 'ba', 'Ô Môn', 'Ơn', 'Ong'];
    expect(sortByName(names, (name) => name)).toEqual([
      'An Bình', 'Anh', 'Ăn Cơm', 'Ấp Bắc', 'ba', 'bà', 'bả', 'bã', 'bá', 'bạ', 'Dương', 'Đông Hưng', 'Ong', 'Ô Môn', 'Ơn',
    ]);
  });

  it('agrees with the Vietnamese collator on the ward names of Cần Thơ', () => {
    const wards = ['Tân An', 'Ninh Kiều', 'Cái Khế', 'An Bình', 'Bình Thủy', 'Long Tuyền', 'Thới An Đông', 'Hưng Phú', 'Cái Răng', 'Ô Môn', 'Phước Thới', 'Thốt Nốt', 'Vị Thanh', 'Vị Tân', 'Đại Thành', 'Ngã Bảy'];
    const collator = new Intl.Collator('vi-VN');
    expect(sortByName(wards, (name) => name)).toEqual([...wards].sort(collator.compare));
  });
});

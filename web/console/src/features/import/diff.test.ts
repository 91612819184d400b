import { describe, expect, it } from 'vitest';
import { fieldChanges, showValue, totals } from './diff';

describe('fieldChanges', () => {
  it('keeps only the fields that change, names shown in both languages', () => {
    const change = {
      id: 'so_xay_dung',
      before: { unit_id: 'so_xay_dung', name: { vi: 'Sở Xây dựng', en: 'Department of Construction' }, phone: '+84900000003' },
      after: { unit_id: 'so_xay_dung', name: { vi: 'Sở Xây dựng', en: 'Construction Department' }, phone: '+84900000003', active: false },
    };
    expect(fieldChanges(change)).toEqual([
      { field: 'name', before: 'Sở Xây dựng / Department of Construction', after: 'Sở Xây dựng / Construction Department' },
      { field: 'active', before: '—', after: 'false' },
    ]);
  });
});

describe('showValue', () => {
  it('shows absent values as a dash', () => {
    expect([showValue(null), showValue(undefined), showValue(''), showValue(0)]).toEqual(['—', '—', '—', '0']);
  });
});

describe('totals', () => {
  it('adds the kinds up', () => {
    const part = (added: number, changed: number, unchanged: number) => ({
      added: Array.from({ length: added }, () => ({})),
      changed: Array.from({ length: changed }, (_, index) => ({ id: String(index), before: {}, after: {} })),
      unchanged,
    });
    expect(totals({ units: part(1, 2, 3), officers: part(0, 0, 40), rules: part(5, 0, 0) })).toEqual({ added: 6, changed: 2, unchanged: 43 });
  });
});

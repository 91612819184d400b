import { describe, expect, it } from 'vitest';
import { ANY_WARD, buildMatrix, legend, moveFocus, OWNER_COLOURS, ownersByWard, refusalProblems, unitColours, withFieldRules, type Rule } from './matrix';

const wards = [
  { code: '31321', name: 'Vị Thanh', nameEn: 'Vi Thanh' },
  { code: '31333', name: 'Vị Tân', nameEn: 'Vi Tan' },
];
const rule = (category_code: string, ward_code: string, unit_id: string): Rule => ({ category_code, ward_code, unit_id });

describe('buildMatrix', () => {
  const rules = new Map<string, Rule[]>([
    ['roads', [rule('roads', ANY_WARD, 'so_xay_dung')]],
    ['lighting', [rule('lighting', ANY_WARD, 'so_xay_dung'), rule('lighting', '31321', 'ubnd_31321')]],
    ['noise', [rule('noise', '31333', 'ubnd_31333')]],
  ]);
  const matrix = buildMatrix(wards, ['roads', 'lighting', 'noise'], rules);

  it('puts the field-wide row first, then one row per ward in the given order', () => {
    expect(matrix.map((row) => row.ward)).toEqual([ANY_WARD, '31321', '31333']);
  });

  it('tells a ward rule from an inherited field-wide owner and from a gap', () => {
    const [fieldWide, viThanh, viTan] = matrix;
    expect(fieldWide!.cells.map((cell) => [cell.owner, cell.source])).toEqual([
      ['so_xay_dung', 'field_rule'], ['so_xay_dung', 'field_rule'], [null, 'gap'],
    ]);
    expect(viThanh!.cells.map((cell) => [cell.explicit, cell.owner, cell.source])).toEqual([
      [null, 'so_xay_dung', 'field_rule'], ['ubnd_31321', 'ubnd_31321', 'ward_rule'], [null, null, 'gap'],
    ]);
    expect(viTan!.cells[2]).toMatchObject({ explicit: 'ubnd_31333', owner: 'ubnd_31333', source: 'ward_rule' });
  });

  it('follows the new rules of a field after a change', () => {
    const changed = withFieldRules(rules, 'roads', [rule('roads', ANY_WARD, 'so_xay_dung'), rule('roads', '31333', 'ubnd_31333')]);
    const owners = ownersByWard(buildMatrix(wards, ['roads'], changed), 'roads');
    expect([...owners]).toEqual([['31321', 'so_xay_dung'], ['31333', 'ubnd_31333']]);
    expect(rules.get('roads')).toHaveLength(1);
  });
});

describe('legend', () => {
  it('groups the wards by owner, most wards first, uncovered wards last and uncoloured', () => {
    const owners = new Map<string, string | null>([['4', null], ['1', 'a'], ['2', 'b'], ['3', 'b']]);
    const entries = legend(owners);
    expect(entries.map((entry) => [entry.unitId, entry.colour, entry.wards])).toEqual([
      ['b', 0, ['2', '3']], ['a', 1, ['1']], [null, null, ['4']],
    ]);
  });

  it('gives each unit one colour, the same for the same order', () => {
    expect(unitColours(['a', 'b', 'a'])).toEqual(unitColours(['a', 'b']));
    expect(unitColours(['a', 'b']).get('a')).not.toBe(unitColours(['a', 'b']).get('b'));
    const many = unitColours(Array.from({ length: OWNER_COLOURS + 1 }, (_, index) => `u${index}`));
    expect(many.get(`u${OWNER_COLOURS}`)).toBe(0);
  });
});

describe('moveFocus', () => {
  const size = { rows: 29, cols: 26 };
  it('moves one cell with the arrows and stops at the edges', () => {
    expect(moveFocus({ row: 0, col: 0 }, 'ArrowUp', size)).toEqual({ row: 0, col: 0 });
    expect(moveFocus({ row: 0, col: 0 }, 'ArrowDown', size)).toEqual({ row: 1, col: 0 });
    expect(moveFocus({ row: 3, col: 25 }, 'ArrowRight', size)).toEqual({ row: 3, col: 25 });
    expect(moveFocus({ row: 3, col: 5 }, 'ArrowLeft', size)).toEqual({ row: 3, col: 4 });
  });
  it('jumps with Home/End (Ctrl: the corners) and by ten rows with PageUp/PageDown', () => {
    expect(moveFocus({ row: 4, col: 7 }, 'Home', size)).toEqual({ row: 4, col: 0 });
    expect(moveFocus({ row: 4, col: 7 }, 'End', size, true)).toEqual({ row: 28, col: 25 });
    expect(moveFocus({ row: 25, col: 7 }, 'PageDown', size)).toEqual({ row: 28, col: 7 });
    expect(moveFocus({ row: 4, col: 7 }, 'PageUp', size)).toEqual({ row: 0, col: 7 });
  });
});

describe('refusalProblems', () => {
  it('reads the problems of a 409 rules_problem body', () => {
    const gap = { kind: 'gap', text: { vi: 'lĩnh vực roads, Vị Thanh (31321): không có quy tắc nào', en: 'field roads, Vi Thanh (31321): no rule covers it' } };
    expect(refusalProblems({ code: 'rules_problem', message: { vi: 'x', en: 'y' }, current: { problems: [gap, { kind: 1 }] } })).toEqual([gap]);
  });
  it('finds nothing in other bodies', () => {
    expect(refusalProblems({ code: 'forbidden' })).toEqual([]);
    expect(refusalProblems(null)).toEqual([]);
    expect(refusalProblems({ current: { problems: 'no' } })).toEqual([]);
  });
});

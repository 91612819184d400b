import { describe, expect, it } from 'vitest';
import { formField, isEmailAddress, validateOfficer, validateUnit, type UnitForm } from './validation';

const known = { unitIds: new Set(['ubnd_thanh_pho', 'so_xay_dung']), wardCodes: new Set(['31321']) };
const goodUnit: UnitForm = {
  unit_id: 'so_giao_thong', name_vi: 'Sở Giao thông', name_en: 'Department of Transport', kind: 'department',
  ward_code: '', parent_unit_id: 'ubnd_thanh_pho', email: 'gt@example.vn', phone: '+84900001234',
};

describe('validateUnit', () => {
  it('accepts a complete unit', () => {
    expect(validateUnit(goodUnit, known)).toEqual({});
  });

  it('names every bad field at once, as the API would one by one', () => {
    const errors = validateUnit(
      { unit_id: 'Sở GT', name_vi: ' ', name_en: 'x'.repeat(201), kind: 'ministry', ward_code: '99999',
        parent_unit_id: 'nobody', email: 'gt@', phone: '0900001234' },
      known,
    );
    expect(Object.keys(errors).sort()).toEqual(['email', 'kind', 'name_en', 'name_vi', 'parent_unit_id', 'phone', 'unit_id', 'ward_code']);
    expect(errors.phone!.vi).toContain('+84');
  });

  it('refuses a unit as its own parent', () => {
    expect(validateUnit({ ...goodUnit, unit_id: 'so_xay_dung', parent_unit_id: 'so_xay_dung' }, known)).toHaveProperty('parent_unit_id');
  });
});

describe('validateOfficer', () => {
  it('needs a known unit and a role', () => {
    const errors = validateOfficer(
      { officer_id: 'so_xay_dung.new', unit_id: 'so_moi', full_name: 'Lê Thu Hà', email: 'ha@example.vn', phone: '+84900011234', role: 'boss' },
      known,
    );
    expect(Object.keys(errors).sort()).toEqual(['role', 'unit_id']);
  });
});

describe('isEmailAddress', () => {
  it("matches the API's plain-address rule", () => {
    expect(isEmailAddress('a.b@so-xd.example.vn')).toBe(true);
    expect(isEmailAddress('An <a@b.vn>')).toBe(false);
    expect(isEmailAddress('a@b.vn,c@d.vn')).toBe(false);
    expect(isEmailAddress(`${'a'.repeat(65)}@b.vn`)).toBe(false);
  });
});

describe('formField', () => {
  it("maps the API's field names onto the form's", () => {
    expect(formField('name.vi')).toBe('name_vi');
    expect(formField('email')).toBe('email');
    expect(formField(undefined)).toBeNull();
  });
});

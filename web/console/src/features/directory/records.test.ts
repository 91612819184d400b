import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../shared/api';
import { reasons, serverErrors, unitBody, unitForm } from './records';

const unit = {
  unit_id: 'so_xay_dung', name: { vi: 'Sở Xây dựng', en: 'Department of Construction' }, kind: 'department' as const,
  ward_code: null, parent_unit_id: 'ubnd_thanh_pho', email: 'so_xay_dung@example.vn', phone: '+84900000003',
  topic_arn: 'arn:aws:sns:ap-southeast-1:000000000000:unit-so_xay_dung', active: true,
};

describe('unitForm and unitBody', () => {
  it('round-trip a unit, disabling it when asked', () => {
    expect(unitBody(unitForm(unit), false)).toEqual({
      name: unit.name, kind: 'department', ward_code: null, parent_unit_id: 'ubnd_thanh_pho',
      email: 'so_xay_dung@example.vn', phone: '+84900000003', active: false,
    });
  });

  it('trims what was typed and sends empty choices as null', () => {
    const form = { ...unitForm(null), unit_id: 'so_moi', name_vi: ' Sở Mới ', name_en: 'New ', kind: 'department', email: ' a@b.vn ', phone: '+84900000009' };
    expect(unitBody(form, true)).toMatchObject({ name: { vi: 'Sở Mới', en: 'New' }, ward_code: null, parent_unit_id: null, email: 'a@b.vn' });
  });
});

describe('serverErrors', () => {
  it('puts a 400 on the field it names', () => {
    const error = new ApiError(400, { code: 'invalid_format', message: { vi: "'phone' sai định dạng.", en: "'phone' has the wrong format." }, field: 'phone' });
    expect(serverErrors(error)).toEqual({ fields: { phone: error.text }, general: [] });
    const name = new ApiError(400, { code: 'missing_field', message: { vi: 'Thiếu', en: 'Missing' }, field: 'name.vi' });
    expect(Object.keys(serverErrors(name).fields)).toEqual(['name_vi']);
  });

  it('puts a refusal at the top, with the rule problems it lists', () => {
    const gap = { kind: 'gap', text: { vi: 'lĩnh vực roads, Vị Thanh (31321): không có quy tắc nào', en: 'field roads, Vi Thanh (31321): no rule covers it' } };
    const error = new ApiError(409, { code: 'rules_problem', message: { vi: 'Lỗi quy tắc', en: 'Rules broken' }, current: { problems: [gap] } as never });
    expect(serverErrors(error)).toEqual({ fields: {}, general: [error.text, gap.text] });
    expect(reasons(new Error('boom'))[0]!.en).toContain('boom');
  });
});

/**
 * The unit and officer forms' checks, the same the API makes (processing/administration.py), run
 * before sending so every problem is shown at once: the API stops at the first bad field.
 */

export interface Bilingual {
  vi: string;
  en: string;
}

export type FieldErrors = Record<string, Bilingual>;

export const UNIT_KINDS = ['city_committee', 'ward_committee', 'department', 'coordinators', 'police', 'utility'] as const;
export const ROLES = ['officer', 'unit_head', 'coordinator'] as const;

const ID = /^[a-z0-9_.]{2,64}$/;
const WARD_CODE = /^[0-9]{1,16}$/;
const PHONE = /^\+84[0-9]{9,10}$/;
const EMAIL_LOCAL = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*";
const EMAIL_DOMAIN = "(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}";
const EMAIL = new RegExp(`^${EMAIL_LOCAL}@${EMAIL_DOMAIN}$`);
const NAME_MAX = 200;

export interface UnitForm {
  unit_id: string;
  name_vi: string;
  name_en: string;
  kind: string;
  ward_code: string;
  parent_unit_id: string;
  email: string;
  phone: string;
}

export interface OfficerForm {
  officer_id: string;
  unit_id: string;
  full_name: string;
  email: string;
  phone: string;
  role: string;
}

export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value) && value.slice(0, value.lastIndexOf('@')).length <= 64;
}

function checkId(errors: FieldErrors, field: string, value: string): void {
  if (!ID.test(value)) {
    errors[field] = {
      vi: 'Mã gồm 2–64 ký tự: chữ thường không dấu, chữ số, dấu chấm hoặc gạch dưới.',
      en: 'An id has 2–64 characters: lower-case letters without accents, digits, dots or underscores.',
    };
  }
}

function checkName(errors: FieldErrors, field: string, value: string): void {
  const text = value.trim();
  if (text === '') errors[field] = { vi: 'Vui lòng nhập tên.', en: 'Enter a name.' };
  else if (text.length > NAME_MAX) errors[field] = { vi: `Tên dài tối đa ${NAME_MAX} ký tự.`, en: `A name has at most ${NAME_MAX} characters.` };
}

function checkContacts(errors: FieldErrors, form: { email: string; phone: string }): void {
  if (!isEmailAddress(form.email.trim())) {
    errors.email = { vi: 'Nhập địa chỉ email, ví dụ ten@donvi.gov.vn.', en: 'Enter an e-mail address, like name@unit.gov.vn.' };
  }
  if (!PHONE.test(form.phone.trim())) {
    errors.phone = { vi: 'Nhập số điện thoại dạng +84 và 9–10 chữ số, ví dụ +84901234567.', en: 'Enter the phone as +84 and 9–10 digits, like +84901234567.' };
  }
}

export function validateUnit(form: UnitForm, known: { unitIds: ReadonlySet<string>; wardCodes: ReadonlySet<string> }): FieldErrors {
  const errors: FieldErrors = {};
  checkId(errors, 'unit_id', form.unit_id);
  checkName(errors, 'name_vi', form.name_vi);
  checkName(errors, 'name_en', form.name_en);
  if (!(UNIT_KINDS as readonly string[]).includes(form.kind)) errors.kind = { vi: 'Chọn loại đơn vị.', en: 'Choose the kind of unit.' };
  const ward = form.ward_code.trim();
  if (ward !== '' && !(WARD_CODE.test(ward) && known.wardCodes.has(ward))) {
    errors.ward_code = { vi: 'Chọn một xã, phường trong địa bàn.', en: 'Choose a ward of the service area.' };
  }
  const parent = form.parent_unit_id;
  if (parent !== '' && (parent === form.unit_id || !known.unitIds.has(parent))) {
    errors.parent_unit_id = { vi: 'Chọn một đơn vị cấp trên khác đơn vị này.', en: 'Choose a parent unit other than this one.' };
  }
  checkContacts(errors, form);
  return errors;
}

export function validateOfficer(form: OfficerForm, known: { unitIds: ReadonlySet<string> }): FieldErrors {
  const errors: FieldErrors = {};
  checkId(errors, 'officer_id', form.officer_id);
  if (!known.unitIds.has(form.unit_id)) errors.unit_id = { vi: 'Chọn đơn vị.', en: 'Choose the unit.' };
  checkName(errors, 'full_name', form.full_name);
  if (!(ROLES as readonly string[]).includes(form.role)) errors.role = { vi: 'Chọn vai trò.', en: 'Choose the role.' };
  checkContacts(errors, form);
  return errors;
}

/** The API's field name for a form field ("name.vi" ↔ "name_vi"), so a 400 lands on its input. */
export function formField(apiField: string | undefined): string | null {
  if (!apiField) return null;
  return apiField.replace('.', '_');
}

/** Between the API's directory records and the forms: bodies to send, forms to fill, errors to show. */
import { ApiError, type components } from '../../../../shared/api';
import { formField, type Bilingual, type FieldErrors, type UnitForm } from './validation';

type Unit = components['schemas']['DirectoryUnit'];

/** A refused change's reasons: the rule problems of a 409 (disabling would leave a gap), else its message. */
export function reasons(error: unknown): Bilingual[] {
  if (!(error instanceof ApiError)) return [{ vi: String(error), en: String(error) }];
  const problems = (error.current as { problems?: { text?: Bilingual }[] } | undefined)?.problems;
  const texts = Array.isArray(problems) ? problems.map((problem) => problem.text).filter((text): text is Bilingual => Boolean(text)) : [];
  return [error.text, ...texts.slice(0, 5)];
}

/** A 400 that names its field lands on that field; anything else goes to the top of the form. */
export function serverErrors(error: unknown): { fields: FieldErrors; general: Bilingual[] } {
  const field = error instanceof ApiError && error.status === 400 ? formField(error.field) : null;
  if (field && error instanceof ApiError) return { fields: { [field]: error.text }, general: [] };
  return { fields: {}, general: reasons(error) };
}

/** The PUT body of a unit: the form's fields, trimmed, empty choices as null, and whether it is active. */
export function unitBody(form: UnitForm, active: boolean) {
  return {
    name: { vi: form.name_vi.trim(), en: form.name_en.trim() },
    kind: form.kind,
    ward_code: form.ward_code || null,
    parent_unit_id: form.parent_unit_id || null,
    email: form.email.trim(),
    phone: form.phone.trim(),
    active,
  };
}

/** A unit as the form edits it (a new unit: everything empty). */
export function unitForm(unit: Unit | null): UnitForm {
  return {
    unit_id: unit?.unit_id ?? '',
    name_vi: unit?.name.vi ?? '',
    name_en: unit?.name.en ?? '',
    kind: unit?.kind ?? '',
    ward_code: unit?.ward_code ?? '',
    parent_unit_id: unit?.parent_unit_id ?? '',
    email: unit?.email ?? '',
    phone: unit?.phone ?? '',
  };
}

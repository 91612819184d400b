import './directory.css';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { unwrap, type components } from '../../../../shared/api';
import { pick, sortByName, useLang, useText, type Lang } from '../../../../shared/i18n';
import { loadWards } from '../../../../shared/map';
import { announce, Button, Dialog } from '../../../../shared/ui';
import { useConsole } from '../../app/context';
import { ErrorSummary, FormField } from './forms';
import { reasons, serverErrors, unitBody, unitForm } from './records';
import { directoryText, kindNames, roleNames } from './text';
import {
  ROLES,
  UNIT_KINDS,
  validateOfficer,
  validateUnit,
  type Bilingual,
  type FieldErrors,
  type OfficerForm,
  type UnitForm,
} from './validation';

type Unit = components['schemas']['DirectoryUnitWithOfficers'];
type Officer = components['schemas']['DirectoryOfficer'];
type Words = typeof directoryText.vi;

interface Ward {
  code: string;
  name: string;
  nameEn: string;
}

/** The end of both dialogs: the contact a unit or an officer is alerted at, then save or cancel. */
function ContactAndSave({ formId, email, phone, errors, busy, onEmail, onPhone, onClose }: {
  formId: string;
  email: string;
  phone: string;
  errors: FieldErrors;
  busy: boolean;
  onEmail: (event: Event) => void;
  onPhone: (event: Event) => void;
  onClose: () => void;
}) {
  const lang = useLang();
  const words = useText(directoryText);
  return (
    <>
      <FormField formId={formId} field="email" label={words.email} error={errors.email} lang={lang}>
        {(control) => <input class="input" type="email" autoComplete="off" {...control} value={email} onInput={onEmail} />}
      </FormField>
      <FormField formId={formId} field="phone" label={words.phone} hint={words.phoneHint} error={errors.phone} lang={lang}>
        {(control) => <input class="input" type="tel" autoComplete="off" {...control} value={phone} onInput={onPhone} />}
      </FormField>
      <div class="directory-form__actions">
        <Button type="submit" busy={busy}>{words.save}</Button>
        <Button variant="secondary" onClick={onClose}>{words.cancel}</Button>
      </div>
    </>
  );
}

function UnitDialog({ unit, units, wards, onClose, onSaved }: {
  unit: Unit | null;
  units: Unit[];
  wards: Ward[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { api } = useConsole();
  const lang = useLang();
  const words = useText(directoryText);
  const [form, setForm] = useState(() => unitForm(unit));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<Bilingual[]>([]);
  const [busy, setBusy] = useState(false);
  const formId = 'unit-form';
  const set = (field: keyof UnitForm) => (event: Event) =>
    setForm({ ...form, [field]: (event.currentTarget as HTMLInputElement | HTMLSelectElement).value });
  const labels: [string, string][] = [
    ['unit_id', words.unitId], ['name_vi', words.nameVi], ['name_en', words.nameEn], ['kind', words.kind],
    ['ward_code', words.wardOptional], ['parent_unit_id', words.parent], ['email', words.email], ['phone', words.phone],
  ];

  const submit = async (event: Event) => {
    event.preventDefault();
    const known = { unitIds: new Set(units.map((candidate) => candidate.unit_id)), wardCodes: new Set(wards.map((ward) => ward.code)) };
    const found = validateUnit(form, known);
    if (!unit && known.unitIds.has(form.unit_id)) {
      found.unit_id = { vi: 'Mã này đã là của một đơn vị khác.', en: 'Another unit already has this id.' };
    }
    setErrors(found);
    setGeneral([]);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      unwrap(await api.PUT('/coordinator/units/{unit_id}', {
        params: { path: { unit_id: form.unit_id } }, body: unitBody(form, unit?.active ?? true),
      }));
      announce(words.unitSaved(form.name_vi));
      onSaved();
    } catch (error) {
      const { fields, general: top } = serverErrors(error);
      setErrors(fields);
      setGeneral(top);
      setBusy(false);
    }
  };

  return (
    <Dialog open title={unit ? words.editUnitTitle(pick(unit.name, lang)) : words.newUnitTitle} onClose={onClose} closeLabel={words.close}>
      <form id={formId} noValidate onSubmit={submit} class="directory-form">
        <ErrorSummary title={words.errorSummary} errors={errors} labels={labels} formId={formId} lang={lang} general={general} />
        <FormField formId={formId} field="unit_id" label={words.unitId} hint={words.unitIdHint} error={errors.unit_id} lang={lang}>
          {(control) => <input class="input" {...control} value={form.unit_id} readOnly={Boolean(unit)} autoComplete="off" onInput={set('unit_id')} />}
        </FormField>
        <FormField formId={formId} field="name_vi" label={words.nameVi} error={errors.name_vi} lang={lang}>
          {(control) => <input class="input" lang="vi" {...control} value={form.name_vi} onInput={set('name_vi')} />}
        </FormField>
        <FormField formId={formId} field="name_en" label={words.nameEn} error={errors.name_en} lang={lang}>
          {(control) => <input class="input" lang="en" {...control} value={form.name_en} onInput={set('name_en')} />}
        </FormField>
        <FormField formId={formId} field="kind" label={words.kind} error={errors.kind} lang={lang}>
          {(control) => (
            <select class="input" {...control} value={form.kind} onChange={set('kind')}>
              <option value="">{words.choose}</option>
              {UNIT_KINDS.map((kind) => <option key={kind} value={kind}>{pick(kindNames[kind], lang)}</option>)}
            </select>
          )}
        </FormField>
        <FormField formId={formId} field="ward_code" label={words.wardOptional} error={errors.ward_code} lang={lang}>
          {(control) => (
            <select class="input" {...control} value={form.ward_code} onChange={set('ward_code')}>
              <option value="">{words.none}</option>
              {wards.map((ward) => <option key={ward.code} value={ward.code}>{lang === 'vi' ? ward.name : ward.nameEn} ({ward.code})</option>)}
            </select>
          )}
        </FormField>
        <FormField formId={formId} field="parent_unit_id" label={words.parent} error={errors.parent_unit_id} lang={lang}>
          {(control) => (
            <select class="input" {...control} value={form.parent_unit_id} onChange={set('parent_unit_id')}>
              <option value="">{words.none}</option>
              {units.filter((candidate) => candidate.unit_id !== form.unit_id).map((candidate) => (
                <option key={candidate.unit_id} value={candidate.unit_id}>{pick(candidate.name, lang)}</option>
              ))}
            </select>
          )}
        </FormField>
        <ContactAndSave formId={formId} email={form.email} phone={form.phone} errors={errors} busy={busy}
          onEmail={set('email')} onPhone={set('phone')} onClose={onClose} />
      </form>
    </Dialog>
  );
}

function officerForm(officer: Officer | null, unitId: string): OfficerForm {
  return {
    officer_id: officer?.officer_id ?? '',
    unit_id: officer?.unit_id ?? unitId,
    full_name: officer?.full_name ?? '',
    email: officer?.email ?? '',
    phone: officer?.phone ?? '',
    role: officer?.role ?? 'officer',
  };
}

function OfficerDialog({ officer, unit, units, onClose, onSaved }: {
  officer: Officer | null;
  unit: Unit;
  units: Unit[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { api } = useConsole();
  const lang = useLang();
  const words = useText(directoryText);
  const [form, setForm] = useState(() => officerForm(officer, unit.unit_id));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<Bilingual[]>([]);
  const [busy, setBusy] = useState(false);
  const formId = 'officer-form';
  const set = (field: keyof OfficerForm) => (event: Event) =>
    setForm({ ...form, [field]: (event.currentTarget as HTMLInputElement | HTMLSelectElement).value });
  const labels: [string, string][] = [
    ['officer_id', words.officerId], ['full_name', words.fullName], ['unit_id', words.unit], ['role', words.role],
    ['email', words.email], ['phone', words.phone],
  ];
  const officerIds = useMemo(() => new Set(units.flatMap((candidate) => candidate.officers.map((one) => one.officer_id))), [units]);

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = validateOfficer(form, { unitIds: new Set(units.map((candidate) => candidate.unit_id)) });
    if (!officer && officerIds.has(form.officer_id)) {
      found.officer_id = { vi: 'Mã này đã là của một cán bộ khác.', en: 'Another officer already has this id.' };
    }
    setErrors(found);
    setGeneral([]);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      unwrap(await api.PUT('/coordinator/officers/{officer_id}', {
        params: { path: { officer_id: form.officer_id } },
        body: {
          unit_id: form.unit_id, full_name: form.full_name.trim(), email: form.email.trim(), phone: form.phone.trim(),
          role: form.role as Officer['role'],
        },
      }));
      announce(words.officerSaved(form.full_name));
      onSaved();
    } catch (error) {
      const { fields, general: top } = serverErrors(error);
      setErrors(fields);
      setGeneral(top);
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      title={officer ? words.editOfficerTitle(officer.full_name) : words.newOfficerTitle(pick(unit.name, lang))}
      onClose={onClose}
      closeLabel={words.close}
    >
      <form id={formId} noValidate onSubmit={submit} class="directory-form">
        <ErrorSummary title={words.errorSummary} errors={errors} labels={labels} formId={formId} lang={lang} general={general} />
        <FormField formId={formId} field="officer_id" label={words.officerId} hint={words.officerIdHint} error={errors.officer_id} lang={lang}>
          {(control) => <input class="input" {...control} value={form.officer_id} readOnly={Boolean(officer)} autoComplete="off" onInput={set('officer_id')} />}
        </FormField>
        <FormField formId={formId} field="full_name" label={words.fullName} error={errors.full_name} lang={lang}>
          {(control) => <input class="input" autoComplete="off" {...control} value={form.full_name} onInput={set('full_name')} />}
        </FormField>
        <FormField formId={formId} field="unit_id" label={words.unit} error={errors.unit_id} lang={lang}>
          {(control) => (
            <select class="input" {...control} value={form.unit_id} onChange={set('unit_id')}>
              {units.map((candidate) => <option key={candidate.unit_id} value={candidate.unit_id}>{pick(candidate.name, lang)}</option>)}
            </select>
          )}
        </FormField>
        <FormField formId={formId} field="role" label={words.role} error={errors.role} lang={lang}>
          {(control) => (
            <select class="input" {...control} value={form.role} onChange={set('role')}>
              {ROLES.map((role) => <option key={role} value={role}>{pick(roleNames[role], lang)}</option>)}
            </select>
          )}
        </FormField>
        <ContactAndSave formId={formId} email={form.email} phone={form.phone} errors={errors} busy={busy}
          onEmail={set('email')} onPhone={set('phone')} onClose={onClose} />
      </form>
    </Dialog>
  );
}

function RemoveOfficerDialog({ officer, onClose, onRemoved }: { officer: Officer; onClose: () => void; onRemoved: () => void }) {
  const { api } = useConsole();
  const lang = useLang();
  const words = useText(directoryText);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Bilingual[]>([]);
  const remove = async () => {
    setBusy(true);
    try {
      unwrap(await api.DELETE('/coordinator/officers/{officer_id}', { params: { path: { officer_id: officer.officer_id } } }));
      announce(words.officerRemoved(officer.full_name));
      onRemoved();
    } catch (error) {
      setProblem(reasons(error));
      setBusy(false);
    }
  };
  return (
    <Dialog open title={words.confirmRemoveTitle} onClose={onClose} closeLabel={words.close}>
      <p>{words.confirmRemove(`${officer.full_name} (${officer.officer_id})`)}</p>
      {problem.length > 0 && (
        <div class="notice notice--error" role="alert">
          {problem.map((text, index) => <p key={index}>{pick(text, lang)}</p>)}
        </div>
      )}
      <div class="directory-form__actions">
        <Button variant="danger" busy={busy} onClick={remove}>{words.confirm}</Button>
        <Button variant="secondary" onClick={onClose}>{words.cancel}</Button>
      </div>
    </Dialog>
  );
}

function OfficersPanel({ unit, lang, words, onEdit, onAdd, onRemove }: {
  unit: Unit;
  lang: Lang;
  words: Words;
  onEdit: (officer: Officer) => void;
  onAdd: () => void;
  onRemove: (officer: Officer) => void;
}) {
  const title = words.officersOf(pick(unit.name, lang));
  return (
    <section class="directory-officers" aria-labelledby="officers-title">
      <h2 id="officers-title" tabIndex={-1}>{title}</h2>
      <Button onClick={onAdd}>{words.addOfficer}</Button>
      {unit.officers.length === 0 ? (
        <p>{words.noOfficers}</p>
      ) : (
        <table class="directory-table">
          <caption class="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{words.fullName}</th>
              <th scope="col">{words.officerId}</th>
              <th scope="col">{words.role}</th>
              <th scope="col">{words.email}</th>
              <th scope="col">{words.phone}</th>
              <th scope="col">{words.actions}</th>
            </tr>
          </thead>
          <tbody>
            {unit.officers.map((officer) => (
              <tr key={officer.officer_id}>
                <th scope="row">{officer.full_name}</th>
                <td><code>{officer.officer_id}</code></td>
                <td>{pick(roleNames[officer.role], lang)}</td>
                <td>{officer.email}</td>
                <td>{officer.phone}</td>
                <td class="directory-table__actions">
                  <Button variant="secondary" aria-label={words.editOfficerOf(officer.full_name)} onClick={() => onEdit(officer)}>
                    {words.editOfficer}
                  </Button>
                  <Button variant="secondary" aria-label={words.removeOfficerOf(officer.full_name)} onClick={() => onRemove(officer)}>
                    {words.removeOfficer}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

type Editing =
  | { kind: 'unit'; unit: Unit | null }
  | { kind: 'officer'; unit: Unit; officer: Officer | null }
  | { kind: 'remove'; officer: Officer };

export default function DirectoryScreen() {
  const { api } = useConsole();
  const lang = useLang();
  const words = useText(directoryText);
  const [units, setUnits] = useState<Unit[] | null>(null);
  const [wards, setWards] = useState<Ward[]>([]);
  const [failed, setFailed] = useState(false);
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [problem, setProblem] = useState<Bilingual[]>([]);
  const [busyUnit, setBusyUnit] = useState<string | null>(null);

  const reload = async () => {
    try {
      setUnits(unwrap(await api.GET('/coordinator/units')).units);
    } catch {
      setFailed(true);
    }
  };
  useEffect(() => {
    void reload();
    loadWards().then((shapes) =>
      setWards(
        sortByName(
          (shapes?.features ?? []).map((feature) => feature.properties as Ward).filter((ward) => ward?.code),
          (ward) => ward.name,
        ),
      ),
    );
  }, [api]);

  const names = useMemo(() => new Map((units ?? []).map((unit) => [unit.unit_id, pick(unit.name, lang)])), [units, lang]);
  const wardNames = useMemo(() => new Map(wards.map((ward) => [ward.code, lang === 'vi' ? ward.name : ward.nameEn])), [wards, lang]);
  const shown = useMemo(() => {
    const needle = filter.trim().toLocaleLowerCase('vi');
    if (!units) return [];
    if (!needle) return units;
    return units.filter((unit) =>
      [unit.unit_id, unit.name.vi, unit.name.en].some((text) => text.toLocaleLowerCase('vi').includes(needle)),
    );
  }, [units, filter]);
  const selectedUnit = units?.find((unit) => unit.unit_id === selected) ?? null;

  const toggle = async (unit: Unit) => {
    setBusyUnit(unit.unit_id);
    setProblem([]);
    const name = pick(unit.name, lang);
    try {
      unwrap(await api.PUT('/coordinator/units/{unit_id}', {
        params: { path: { unit_id: unit.unit_id } },
        body: unitBody(unitForm(unit), !unit.active),
      }));
      announce(unit.active ? words.unitDisabled(name) : words.unitEnabled(name));
      await reload();
    } catch (error) {
      setProblem(reasons(error));
    }
    setBusyUnit(null);
  };

  const done = async () => {
    setEditing(null);
    await reload();
  };

  if (failed) return <p class="notice notice--error">{words.loadFailed}</p>;
  return (
    <div class="directory-screen">
      <h1>{words.title}</h1>
      <p>{words.intro}</p>
      {problem.length > 0 && (
        <div class="notice notice--error" role="alert">
          <p class="directory-problem__title">{words.refused}</p>
          <ul>{problem.map((text, index) => <li key={index}>{pick(text, lang)}</li>)}</ul>
        </div>
      )}
      {!units ? (
        <p aria-busy="true">{words.loading}</p>
      ) : (
        <>
          <div class="directory-tools">
            <div class="field">
              <label class="field__label" for="directory-filter">{words.filter}</label>
              <input id="directory-filter" class="input" type="search" value={filter} onInput={(event) => setFilter(event.currentTarget.value)} />
            </div>
            <Button onClick={() => setEditing({ kind: 'unit', unit: null })}>{words.addUnit}</Button>
          </div>
          <div class="directory-scroll">
            <table class="directory-table">
              <caption>{words.unitsCaption(shown.length, units.length)}</caption>
              <thead>
                <tr>
                  <th scope="col">{words.name}</th>
                  <th scope="col">{words.id}</th>
                  <th scope="col">{words.kind}</th>
                  <th scope="col">{words.ward}</th>
                  <th scope="col">{words.parent}</th>
                  <th scope="col">{words.status}</th>
                  <th scope="col">{words.actions}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((unit) => {
                  const name = pick(unit.name, lang);
                  return (
                    <tr key={unit.unit_id} class={unit.active ? undefined : 'directory-table__disabled'}>
                      <th scope="row">{name}</th>
                      <td><code>{unit.unit_id}</code></td>
                      <td>{pick(kindNames[unit.kind], lang)}</td>
                      <td>{unit.ward_code ? wardNames.get(unit.ward_code) ?? unit.ward_code : '—'}</td>
                      <td>{unit.parent_unit_id ? names.get(unit.parent_unit_id) ?? unit.parent_unit_id : '—'}</td>
                      <td>
                        <span class={unit.active ? 'badge badge--resolved' : 'badge badge--rejected'}>
                          {unit.active ? words.active : words.disabled}
                        </span>
                      </td>
                      <td class="directory-table__actions">
                        <Button
                          variant="secondary"
                          aria-label={words.showOfficersOf(name)}
                          aria-pressed={selected === unit.unit_id}
                          onClick={() => {
                            setSelected(unit.unit_id);
                            requestAnimationFrame(() => document.getElementById('officers-title')?.focus());
                          }}
                        >
                          {words.showOfficers(unit.officers.length)}
                        </Button>
                        <Button variant="secondary" aria-label={words.editUnitOf(name)} onClick={() => setEditing({ kind: 'unit', unit })}>
                          {words.editUnit}
                        </Button>
                        <Button
                          variant="secondary"
                          busy={busyUnit === unit.unit_id}
                          aria-label={unit.active ? words.disableUnit(name) : words.enableUnit(name)}
                          onClick={() => toggle(unit)}
                        >
                          {unit.active ? words.disable : words.enable}
                        </Button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {selectedUnit && (
            <OfficersPanel
              unit={selectedUnit}
              lang={lang}
              words={words}
              onAdd={() => setEditing({ kind: 'officer', unit: selectedUnit, officer: null })}
              onEdit={(officer) => setEditing({ kind: 'officer', unit: selectedUnit, officer })}
              onRemove={(officer) => setEditing({ kind: 'remove', officer })}
            />
          )}
        </>
      )}
      {editing?.kind === 'unit' && units && (
        <UnitDialog unit={editing.unit} units={units} wards={wards} onClose={() => setEditing(null)} onSaved={done} />
      )}
      {editing?.kind === 'officer' && units && (
        <OfficerDialog officer={editing.officer} unit={editing.unit} units={units} onClose={() => setEditing(null)} onSaved={done} />
      )}
      {editing?.kind === 'remove' && (
        <RemoveOfficerDialog officer={editing.officer} onClose={() => setEditing(null)} onRemoved={done} />
      )}
    </div>
  );
}

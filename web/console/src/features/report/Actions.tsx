import { useEffect, useState } from 'preact/hooks';
import { ApiError, unwrap } from '../../../../shared/api';
import { pick, useLang, useText } from '../../../../shared/i18n';
import { announce, Button, Field, TextAreaField } from '../../../../shared/ui';
import { useConsole } from '../../app/context';
import { statusLabel, statusText } from '../../app/status';
import { ACTIONS, changesBetween, templatesOf, type ActionKind, type Changes, type ReportDetail, type Template, type Unit } from './model';
import { actionLabel, actionText, reportText } from './text';
import { uploadPhoto } from './upload';

const MAX_AFTER_PHOTOS = 3;
/** How long to wait for the photo check to publish the after-photos before saying it is slow. */
const CHECK_WAIT_MS = 60_000;
const CHECK_POLL_MS = 1_500;

interface Draft {
  note: string;
  reason: string;
  toUnit: string;
  notOurs: boolean;
  files: File[];
}

const EMPTY: Draft = { note: '', reason: '', toUnit: '', notOurs: false, files: [] };

interface ActionsProps {
  report: ReportDetail;
  /** The report as it is after a change (or after a 409, as it is now). */
  onReport: (report: ReportDetail) => void;
  /** A transfer moved the report out of the officer's reach: the answer holds only where it went. */
  onHandedOver: (unitName: string | null) => void;
  reload: () => Promise<ReportDetail | null>;
}

function useTemplates(category: string): Array<Record<string, unknown>> {
  const { api } = useConsole();
  const [templates, setTemplates] = useState<Array<Record<string, unknown>>>([]);
  useEffect(() => {
    api
      .GET('/officer/templates', { params: { query: { category } } })
      .then((result) => setTemplates(unwrap(result).templates))
      .catch(() => setTemplates([]));
  }, [category]);
  return templates;
}

function useUnits(wanted: boolean): Unit[] {
  const { api, me } = useConsole();
  const [units, setUnits] = useState<Unit[]>([]);
  useEffect(() => {
    if (!wanted || units.length) return;
    api
      .GET('/officer/units')
      .then((result) => setUnits(unwrap(result).units.filter((unit) => unit.unit_id !== me.unit?.unit_id)))
      .catch(() => setUnits([]));
  }, [wanted]);
  return units;
}

interface Progress {
  name: string;
  fraction: number;
}

/** The actions the API allows on the report now, each with its templates; a 409 shows what changed and offers a retry. */
export function Actions({ report, onReport, onHandedOver, reload }: ActionsProps) {
  const words = useText(reportText);
  const states = useText(statusText);
  const actionWords = useText(actionText);
  const lang = useLang();
  const { api } = useConsole();
  const offered = ACTIONS.filter((action) => report.allowed_actions.includes(action));
  const [kind, setKind] = useState<ActionKind | null>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<keyof Draft, string>>>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Changes | null>(null);
  const [uploads, setUploads] = useState<Progress[]>([]);
  const [checkNote, setCheckNote] = useState<string | null>(null);
  const templates = useTemplates(report.category.code);
  const units = useUnits(kind === 'transfer');

  const validate = (action: ActionKind): boolean => {
    const found: typeof errors = {};
    if ((action === 'progress' || action === 'resolve') && !draft.note.trim()) found.note = words.required;
    if (action === 'transfer') {
      if (!draft.reason.trim()) found.reason = words.required;
      if (!draft.notOurs && !draft.toUnit) found.toUnit = words.chooseUnit;
    }
    if (action === 'resolve') {
      if (report.after_photo_required && draft.files.length === 0) found.files = words.needAfterPhoto;
      else if (draft.files.length > MAX_AFTER_PHOTOS) found.files = words.tooManyPhotos;
      else if (draft.files.some((file) => !file.type.startsWith('image/'))) found.files = words.notImage;
    }
    setErrors(found);
    return Object.keys(found).length === 0;
  };

  const send = async (action: ActionKind, version: number): Promise<ReportDetail> => {
    const path = { params: { path: { report_id: report.report_id } } };
    const note = draft.note.trim();
    if (action === 'acknowledge') {
      return unwrap(await api.POST('/officer/reports/{report_id}/acknowledge', { ...path, body: { version, ...(note ? { note } : {}) } })) as ReportDetail;
    }
    if (action === 'progress') {
      return unwrap(await api.POST('/officer/reports/{report_id}/progress', { ...path, body: { version, note } })) as ReportDetail;
    }
    if (action === 'transfer') {
      const target = draft.notOurs ? { not_ours: true } : { to_unit_id: draft.toUnit };
      return unwrap(await api.POST('/officer/reports/{report_id}/transfer', { ...path, body: { version, reason: draft.reason.trim(), ...target } })) as ReportDetail;
    }
    const resolved = unwrap(await api.POST('/officer/reports/{report_id}/resolve', { ...path, body: { version, note, photo_count: draft.files.length } }));
    await uploadAll(resolved.uploads);
    return resolved.report as ReportDetail;
  };

  const uploadAll = async (forms: Array<Parameters<typeof uploadPhoto>[0]>) => {
    const files = draft.files.slice(0, forms.length);
    setUploads(files.map((file) => ({ name: file.name, fraction: 0 })));
    await Promise.all(
      files.map((file, index) =>
        uploadPhoto(forms[index] as Parameters<typeof uploadPhoto>[0], file, (fraction) =>
          setUploads((before) => before.map((entry, at) => (at === index ? { ...entry, fraction } : entry))),
        ).catch(() => {
          throw new Error(words.uploadFailed(file.name));
        }),
      ),
    );
  };

  /** After-photos appear on the report once the photo check has passed them: poll until they do. */
  const waitForCheckedPhotos = async (count: number) => {
    setCheckNote(words.waitingCheck);
    announce(words.waitingCheck);
    const until = Date.now() + CHECK_WAIT_MS;
    while (Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, CHECK_POLL_MS));
      const fresh = await reload();
      if (fresh && (fresh.result?.photos.length ?? 0) >= count) {
        setCheckNote(words.checked);
        announce(words.checked);
        return;
      }
    }
    setCheckNote(words.checkSlow);
  };

  const run = async (action: ActionKind, version: number) => {
    if (busy || !validate(action)) return;
    setBusy(true);
    setFailure(null);
    setConflict(null);
    setCheckNote(null);
    const photoCount = action === 'resolve' ? draft.files.length : 0;
    let changed: ReportDetail;
    try {
      changed = await send(action, version);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        const fresh = await reload();
        if (fresh) setConflict(changesBetween(report, fresh));
        announce(words.conflict, 'assertive');
      } else {
        const message = error instanceof ApiError ? pick(error.text, lang) : error instanceof Error ? error.message : words.failed;
        setFailure(message);
        announce(message, 'assertive');
      }
      setBusy(false);
      return;
    }
    // Done: the officer may go on at once; reading the report again (or waiting for the photo
    // check) happens behind, without holding the buttons.
    setBusy(false);
    setUploads([]);
    announce(words[`done_${action}`]);
    if (!Array.isArray(changed.timeline)) {
      onHandedOver(changed.owner_unit ? pick(changed.owner_unit.name, lang) : null);
      return;
    }
    onReport(changed);
    setKind(null);
    setDraft(EMPTY);
    if (photoCount > 0) await waitForCheckedPhotos(photoCount);
    else await reload();
  };

  const kindTemplates: Template[] = kind ? templatesOf(templates, kind) : [];

  return (
    <section aria-labelledby="actions-title" class="panel">
      <h2 id="actions-title">{words.actions}</h2>
      {checkNote && <p class="notice notice--ok" data-testid="photo-check">{checkNote}</p>}
      {conflict && (
        <div class="notice notice--error" data-testid="conflict">
          <p>{words.conflict}</p>
          <ul>
            {conflict.status && <li>{words.conflictStatus(statusLabel(states, conflict.status.before), statusLabel(states, conflict.status.after))}</li>}
            <li>{words.conflictVersion(conflict.versionBefore, conflict.versionAfter)}</li>
          </ul>
          {conflict.newEntries.length > 0 && (
            <>
              <p>{words.conflictEntries}</p>
              <ul>
                {conflict.newEntries.map((entry) => (
                  <li key={`${entry.at}-${entry.action}`}>
                    {entry.actor}: {actionLabel(actionWords, entry.action)} → {statusLabel(states, entry.to_status)}
                    {entry.reason ? ` (${entry.reason})` : ''}
                  </li>
                ))}
              </ul>
            </>
          )}
          {kind && report.allowed_actions.includes(kind) ? (
            <Button onClick={() => void run(kind, report.version)}>{words.retry}</Button>
          ) : (
            <p>{words.retryGone}</p>
          )}{' '}
          <Button variant="secondary" onClick={() => setConflict(null)}>
            {words.dismiss}
          </Button>
        </div>
      )}
      {offered.length === 0 ? (
        <p>{words.noActions}</p>
      ) : (
        <div class="action-buttons" role="group" aria-label={words.actions}>
          {offered.map((action) => (
            <Button key={action} variant={kind === action ? 'primary' : 'secondary'} aria-expanded={kind === action} aria-controls="action-form" data-action={action}
              onClick={() => {
                setKind(kind === action ? null : action);
                setErrors({});
                setFailure(null);
              }}
            >
              {words[action]}
            </Button>
          ))}
        </div>
      )}
      {kind && (
        <form id="action-form" class="action-form" noValidate onSubmit={(event) => {
          event.preventDefault();
          void run(kind, report.version);
        }}>
          <h3>{words[kind]}</h3>
          {failure && <p class="notice notice--error">{failure}</p>}
          {kindTemplates.length > 0 && (
            <Field label={words.template}>
              {(control) => (
                <select class="input" name="template" {...control} onChange={(event) => {
                  const chosen = kindTemplates.find((template) => template.id === (event.currentTarget as HTMLSelectElement).value);
                  if (!chosen) return;
                  const text = pick(chosen.text, lang);
                  setDraft(kind === 'transfer' ? { ...draft, reason: text } : { ...draft, note: text });
                }}>
                  <option value="">{words.noTemplate}</option>
                  {kindTemplates.map((template) => (
                    <option key={template.id} value={template.id}>
                      {pick(template.text, lang).slice(0, 80)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          {kind === 'transfer' ? (
            <>
              <Field label={words.toUnit} error={errors.toUnit ?? null}>
                {(control) => (
                  <select class="input" name="to_unit_id" {...control} value={draft.toUnit} disabled={draft.notOurs}
                    onChange={(event) => setDraft({ ...draft, toUnit: (event.currentTarget as HTMLSelectElement).value })}>
                    <option value="">—</option>
                    {units.map((unit) => (
                      <option key={unit.unit_id} value={unit.unit_id}>
                        {pick(unit.name, lang)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <label class="check">
                <input type="checkbox" name="not_ours" checked={draft.notOurs} onChange={(event) => setDraft({ ...draft, notOurs: (event.currentTarget as HTMLInputElement).checked })} />
                {words.notOurs}
              </label>
              <TextAreaField label={words.reason} name="reason" value={draft.reason} error={errors.reason ?? null} hint={words.notePublished}
                onInput={(event) => setDraft({ ...draft, reason: (event.currentTarget as HTMLTextAreaElement).value })} />
            </>
          ) : (
            <TextAreaField label={kind === 'acknowledge' ? words.noteOptional : words.note} name="note" value={draft.note} error={errors.note ?? null} hint={words.notePublished}
              onInput={(event) => setDraft({ ...draft, note: (event.currentTarget as HTMLTextAreaElement).value })} />
          )}
          {kind === 'resolve' && (
            <Field label={words.afterPhotos} hint={`${report.after_photo_required ? words.afterPhotoRequired : words.afterPhotoOptional} ${words.afterPhotosHint}`} error={errors.files ?? null}>
              {(control) => (
                <input type="file" name="after_photos" accept="image/jpeg,image/png,image/webp" multiple required={report.after_photo_required} {...control}
                  onChange={(event) => setDraft({ ...draft, files: Array.from((event.currentTarget as HTMLInputElement).files ?? []) })} />
              )}
            </Field>
          )}
          {uploads.map((upload) => (
            <div key={upload.name} class="upload">
              <label>
                {words.uploading(upload.name)}
                <progress class="progress" max={1} value={upload.fraction} />
              </label>
            </div>
          ))}
          <Button type="submit" busy={busy}>
            {busy ? words.working : words.submit}
          </Button>
        </form>
      )}
    </section>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { unwrap, type ApiError, type ResponseOf } from '../../../../shared/api';
import { pick, useLang, useText } from '../../../../shared/i18n';
import { Button, Field, TextAreaField, announce } from '../../../../shared/ui';
import { useConsole } from '../../app/context';
import { assigneeChange, assigneeName, byName, mayAssign, type TeamMember } from './assignee';
import { assignmentText } from './text';

type OfficerReport = ResponseOf<'/officer/reports/{report_id}', 'get'>;

interface AssignableReport {
  report_id: string;
  version: number;
  assignee?: { officer_id: string; name: string | null } | null;
  allowed_actions?: string[];
  owner_unit?: { unit_id: string } | null;
}

interface Props {
  report: AssignableReport;
  /** The report as the API returns it after the change. */
  onChanged: (report: OfficerReport) => void;
  /** A refusal (409 changed meanwhile, 403…): the report page shows it and reloads as it does for its own actions. */
  onFailed?: (error: ApiError) => void;
}

/** For a unit head of the owner unit (or a coordinator: the API says so in `allowed_actions`) the
 * choice of the officer who works the report. Mounted by the report page; nothing for anyone else. */
export function AssigneePicker({ report, onChanged, onFailed }: Props) {
  const { api } = useConsole();
  const words = useText(assignmentText);
  const lang = useLang();
  const allowed = mayAssign(report.allowed_actions);
  const unitId = report.owner_unit?.unit_id;
  const [team, setTeam] = useState<TeamMember[] | null>(null);
  const [choice, setChoice] = useState(report.assignee?.officer_id ?? '');
  const [note, setNote] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => setChoice(report.assignee?.officer_id ?? ''), [report.assignee?.officer_id]);

  useEffect(() => {
    if (!allowed) return;
    api
      .GET('/officer/team', { params: { query: unitId ? { unit_id: unitId } : {} } })
      .then((result) => setTeam(byName(unwrap(result).officers)))
      .catch((error: ApiError) => setFailure(pick(error.text, lang)));
  }, [allowed, unitId]);

  // Everyone else reads the assignee in the report's facts; only who may change it gets the form.
  if (!allowed) return null;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setFailure(null);
    try {
      const updated = unwrap(
        await api.POST('/officer/reports/{report_id}/assignee', {
          params: { path: { report_id: report.report_id } },
          body: assigneeChange(choice, report.version, note),
        }),
      );
      setNote('');
      announce(words.saved(team?.find((member) => member.officer_id === choice)?.name ?? (choice || null)));
      onChanged(updated);
    } catch (error) {
      const refused = error as ApiError;
      setFailure(pick(refused.text, lang));
      onFailed?.(refused);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="panel assignee-form" onSubmit={submit} aria-labelledby="assignee-title" data-testid="assignee-form">
      <h2 id="assignee-title">{words.title}</h2>
      <p data-testid="assignee">
        {words.assignee}: <strong>{assigneeName(report.assignee) ?? words.nobody}</strong>
      </p>
      <Field label={words.choose} hint={team ? words.chooseHint : words.loadingTeam} error={failure}>
        {(control) => (
          <select class="input" name="officer_id" {...control} value={choice} disabled={!team}
            onChange={(event) => setChoice(event.currentTarget.value)}>
            <option value="">{words.clear}</option>
            {(team ?? []).map((member) => (
              <option key={member.officer_id} value={member.officer_id}>
                {words.option(member.name, member.open, member.overdue)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <TextAreaField label={words.note} name="assignee_note" rows={2} maxLength={2000} value={note}
        onInput={(event) => setNote(event.currentTarget.value)} />
      <Button type="submit" busy={busy} disabled={!team}>{words.save}</Button>
    </form>
  );
}

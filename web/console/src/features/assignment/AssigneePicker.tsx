import { useEffect, useState } from "preact/hooks";
import { api, apiError, type ApiData } from "../../../../shared/api";
import { useI18n } from "../../../../shared/i18n";
import { assigneeChange, assigneeOptions, assigneeText, mayAssign, type TeamMember } from "./assignee";

type OfficerReport = ApiData<"/officer/reports/{report_id}", "get">;

interface Props {
  report: OfficerReport & { owner_unit?: { unit_id: string } | null };
  /** The report as it is after the change (the reply of the API). */
  onChanged: (report: OfficerReport) => void;
}

/** Who works the report, and for a unit head (or a coordinator) the choice of the officer of the
 * owner unit who does; the report page mounts it, the API decides who may (`assign_officer`). */
export function AssigneePicker({ report, onChanged }: Props) {
  const { say } = useI18n();
  const allowed = mayAssign(report.allowed_actions);
  const [team, setTeam] = useState<TeamMember[] | null>(null);
  const [choice, setChoice] = useState(report.assignee?.officer_id ?? "");
  const [note, setNote] = useState("");
  const [message, setMessage] = useState<{ text: string; failed: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const unitId = report.owner_unit?.unit_id;

  useEffect(() => {
    setChoice(report.assignee?.officer_id ?? "");
  }, [report.assignee?.officer_id]);

  useEffect(() => {
    if (!allowed) return;
    api.GET("/officer/team", { params: { query: unitId ? { unit_id: unitId } : {} } }).then(({ data, error }) => {
      if (data) setTeam(data.officers);
      else setMessage({ text: say(apiError(error)), failed: true });
    });
  }, [allowed, unitId]);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    const { data, error } = await api.POST("/officer/reports/{report_id}/assignee", {
      params: { path: { report_id: report.report_id } },
      body: assigneeChange(choice, report.version, note),
    });
    setBusy(false);
    if (data) {
      setNote("");
      setMessage({ text: say({ vi: "Đã lưu người xử lý.", en: "The assignee is saved." }), failed: false });
      onChanged(data);
    } else {
      setMessage({ text: say(apiError(error)), failed: true });
    }
  }

  const current = say(assigneeText(report.assignee));
  if (!allowed) {
    return (
      <p class="assignee" data-testid="assignee">
        {say({ vi: "Người xử lý", en: "Assignee" })}: <strong>{current}</strong>
      </p>
    );
  }
  return (
    <form class="assignee-form" onSubmit={submit} aria-labelledby="assignee-heading" data-testid="assignee-form">
      <h2 id="assignee-heading">{say({ vi: "Giao cho cán bộ", en: "Assign to an officer" })}</h2>
      <p data-testid="assignee">
        {say({ vi: "Hiện tại", en: "Now" })}: <strong>{current}</strong>
      </p>
      <label for="assignee-choice">{say({ vi: "Cán bộ của đơn vị", en: "Officer of the unit" })}</label>
      <select id="assignee-choice" name="officer_id" value={choice} disabled={!team}
        onChange={(event) => setChoice(event.currentTarget.value)}>
        <option value="">{say({ vi: "— Không giao cho ai —", en: "— Nobody —" })}</option>
        {(team ? assigneeOptions(team) : []).map((option) => (
          <option key={option.value} value={option.value}>{say(option.label)}</option>
        ))}
      </select>
      <label for="assignee-note">{say({ vi: "Ghi chú (không bắt buộc)", en: "Note (optional)" })}</label>
      <textarea id="assignee-note" name="note" rows={2} maxLength={2000} value={note}
        onInput={(event) => setNote(event.currentTarget.value)} />
      <button type="submit" disabled={busy || !team}>{say({ vi: "Lưu người xử lý", en: "Save assignee" })}</button>
      {message && <p role={message.failed ? "alert" : "status"}>{message.text}</p>}
    </form>
  );
}

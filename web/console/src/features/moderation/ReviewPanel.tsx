import { useEffect, useState } from "preact/hooks";
import { api, apiError } from "../../../../shared/api";
import { useI18n } from "../../../../shared/i18n";
import { proposeMerge } from "./compare";
import { REJECT_GROUNDS, rejectProblems } from "./grounds";
import { PUBLICATION_NAMES, hideableComment, type ReviewedReport } from "./reviewed";
import { SideBySide } from "./SideBySide";

type Say = (text: { vi: string; en: string }) => string;
type Outcome = { data?: unknown; error?: unknown };

async function loadReport(reportId: string): Promise<ReviewedReport> {
  const { data, error } = await api.GET("/officer/reports/{report_id}", { params: { path: { report_id: reportId } } });
  if (!data) throw error;
  // The spec describes the officer's view only in part; these are the fields officer_view returns.
  return data as unknown as ReviewedReport;
}

/** One report under review and what a coordinator may do with it: publish, unpublish, reject,
 * merge (after the side-by-side), hide the rating comment. `onDone` refreshes the queue. */
export function ReviewPanel({ reportId, onDone }: { reportId: string; onDone: () => void }) {
  const { say } = useI18n();
  const [report, setReport] = useState<ReviewedReport | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const reload = () =>
    loadReport(reportId).then(setReport, (error: unknown) => setFailure(say(apiError(error))));

  useEffect(() => {
    setReport(null);
    setFailure(null);
    setNotice(null);
    void reload();
  }, [reportId]);

  /** Every action ends the same way: say what happened, show the fresh report, refresh the list. */
  async function finish(outcome: Outcome, done: { vi: string; en: string }): Promise<boolean> {
    if (outcome.error || !outcome.data) {
      setNotice(null);
      setFailure(say(apiError(outcome.error)));
      await reload();
      return false;
    }
    setFailure(null);
    setNotice(say(done));
    await reload();
    onDone();
    return true;
  }

  if (!report) {
    return failure ? <p role="alert">{failure}</p> : <p aria-busy="true">{say({ vi: "Đang tải…", en: "Loading…" })}</p>;
  }
  const path = { params: { path: { report_id: report.report_id } } };
  const may = (action: string) => report.allowed_actions.includes(action);
  const comment = hideableComment(report);

  return (
    <article class="review-panel" aria-labelledby="review-heading" data-testid="review-panel">
      <h2 id="review-heading">
        {say({ vi: "Phản ánh", en: "Report" })} <a href={`/console/reports/${encodeURIComponent(report.report_id)}`}>{report.report_id}</a>
      </h2>
      <p>
        {say(PUBLICATION_NAMES[report.publication.state])}
        {" · "}
        {report.status_label ? say(report.status_label) : report.status}
      </p>
      <p class="report-text">{report.description}</p>
      {report.address && <p class="muted">{report.address}</p>}
      <div aria-live="polite">
        {notice && <p role="status" class="notice">{notice}</p>}
        {failure && <p role="alert" class="error">{failure}</p>}
      </div>

      {may("publish") && (
        <ReasonForm id="publish" say={say} optional
          title={{ vi: "Cho công khai", en: "Publish" }}
          field={{ vi: "Ghi chú cho nhật ký (không bắt buộc)", en: "Note for the audit trail (optional)" }}
          submit={{ vi: "Công khai", en: "Publish" }}
          send={async (text) => finish(
            await api.POST("/coordinator/reports/{report_id}/publish", { ...path, body: { version: report.version, ...(text ? { note: text } : {}) } }),
            { vi: "Đã công khai phản ánh.", en: "The report is public." },
          )} />
      )}
      {may("unpublish") && (
        <ReasonForm id="unpublish" say={say}
          title={{ vi: "Không công khai / gỡ khỏi công khai", en: "Keep off / take off the public views" }}
          field={{ vi: "Lý do", en: "Reason" }}
          submit={{ vi: "Không công khai", en: "Unpublish" }}
          send={async (text) => finish(
            await api.POST("/coordinator/reports/{report_id}/unpublish", { ...path, body: { version: report.version, reason: text } }),
            { vi: "Phản ánh không được công khai.", en: "The report is off the public views." },
          )} />
      )}
      {may("reject") && <RejectForm say={say} send={async (grounds, reason) => finish(
        await api.POST("/coordinator/reports/{report_id}/reject", {
          ...path, body: { version: report.version, grounds: grounds as "spam", reason },
        }),
        { vi: "Đã từ chối phản ánh.", en: "The report is rejected." },
      )} />}
      {may("merge") && <MergeSection say={say} report={report} finish={finish} />}
      {comment && (
        <ReasonForm id="hide-comment" say={say}
          title={{ vi: "Ẩn bình luận đánh giá", en: "Hide the rating comment" }}
          intro={`“${comment}”`}
          field={{ vi: "Lý do ẩn", en: "Reason for hiding" }}
          submit={{ vi: "Ẩn bình luận", en: "Hide the comment" }}
          send={async (text) => finish(
            await api.POST("/coordinator/reports/{report_id}/rating/hide", { ...path, body: { version: report.version, reason: text } }),
            { vi: "Bình luận đã được ẩn.", en: "The comment is hidden." },
          )} />
      )}
    </article>
  );
}

interface ReasonFormProps {
  id: string;
  say: Say;
  title: { vi: string; en: string };
  intro?: string;
  field: { vi: string; en: string };
  submit: { vi: string; en: string };
  optional?: boolean;
  send: (text: string) => Promise<boolean>;
}

/** A one-field action form: a reason (or note) and a button. */
function ReasonForm({ id, say, title, intro, field, submit, optional, send }: ReasonFormProps) {
  const [text, setText] = useState("");
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  return (
    <form class="action-form" aria-labelledby={`${id}-title`} onSubmit={async (event) => {
      event.preventDefault();
      if (!optional && !text.trim()) return setMissing(true);
      setMissing(false);
      setBusy(true);
      if (await send(text.trim())) setText("");
      setBusy(false);
    }}>
      <h3 id={`${id}-title`}>{say(title)}</h3>
      {intro && <blockquote>{intro}</blockquote>}
      <label for={`${id}-text`}>{say(field)}</label>
      <textarea id={`${id}-text`} name="reason" rows={2} value={text} aria-invalid={missing}
        aria-describedby={missing ? `${id}-missing` : undefined} onInput={(event) => setText(event.currentTarget.value)} />
      {missing && <p id={`${id}-missing`} class="error">{say({ vi: "Hãy ghi lý do.", en: "Write a reason." })}</p>}
      <button type="submit" disabled={busy}>{say(submit)}</button>
    </form>
  );
}

function RejectForm({ say, send }: { say: Say; send: (grounds: string, reason: string) => Promise<boolean> }) {
  const [grounds, setGrounds] = useState("");
  const [reason, setReason] = useState("");
  const [problems, setProblems] = useState<ReturnType<typeof rejectProblems>>({});
  const [busy, setBusy] = useState(false);
  return (
    <form class="action-form" aria-labelledby="reject-title" onSubmit={async (event) => {
      event.preventDefault();
      const found = rejectProblems({ grounds, reason });
      setProblems(found);
      if (Object.keys(found).length) return;
      setBusy(true);
      await send(grounds, reason.trim());
      setBusy(false);
    }}>
      <h3 id="reject-title">{say({ vi: "Từ chối phản ánh", en: "Reject the report" })}</h3>
      <fieldset aria-describedby={problems.grounds ? "reject-grounds-problem" : undefined}>
        <legend>{say({ vi: "Căn cứ từ chối", en: "Grounds" })}</legend>
        {REJECT_GROUNDS.map((ground) => (
          <label key={ground.code} class="choice">
            <input type="radio" name="grounds" value={ground.code} checked={grounds === ground.code}
              onChange={() => setGrounds(ground.code)} />
            {say(ground.label)}
          </label>
        ))}
        {problems.grounds && <p id="reject-grounds-problem" class="error">{say(problems.grounds)}</p>}
      </fieldset>
      <label for="reject-reason">{say({ vi: "Giải thích cho người phản ánh", en: "Explanation for the reporter" })}</label>
      <textarea id="reject-reason" name="reason" rows={2} value={reason} aria-invalid={Boolean(problems.reason)}
        aria-describedby={problems.reason ? "reject-reason-problem" : undefined}
        onInput={(event) => setReason(event.currentTarget.value)} />
      {problems.reason && <p id="reject-reason-problem" class="error">{say(problems.reason)}</p>}
      <button type="submit" disabled={busy}>{say({ vi: "Từ chối", en: "Reject" })}</button>
    </form>
  );
}

interface MergeProps {
  say: Say;
  report: ReviewedReport;
  finish: (outcome: Outcome, done: { vi: string; en: string }) => Promise<boolean>;
}

/** Pick the other report (a flagged possible duplicate, or any id), see both side by side, choose
 * which stays (the older open one is proposed), then merge. */
function MergeSection({ say, report, finish }: MergeProps) {
  const [otherId, setOtherId] = useState("");
  const [other, setOther] = useState<ReviewedReport | null>(null);
  const [swapped, setSwapped] = useState(false);
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function compareWith(id: string) {
    setProblem(null);
    setOther(null);
    setSwapped(false);
    if (!id.trim()) return setProblem(say({ vi: "Hãy nhập mã phản ánh.", en: "Enter a report id." }));
    try {
      setOther(await loadReport(id.trim()));
    } catch (error) {
      setProblem(say(apiError(error)));
    }
  }

  const proposed = other ? proposeMerge(report, other) : null;
  const pair = proposed && swapped ? { duplicate: proposed.master, master: proposed.duplicate } : proposed;

  return (
    <section class="action-form merge" aria-labelledby="merge-title">
      <h3 id="merge-title">{say({ vi: "Gộp phản ánh trùng", en: "Merge a duplicate" })}</h3>
      {report.possible_duplicates.length > 0 && (
        <>
          <p>{say({ vi: "Có thể trùng với:", en: "Possibly the same as:" })}</p>
          <ul class="candidates">
            {report.possible_duplicates.map((candidate) => (
              <li key={candidate.report_id}>
                <button type="button" onClick={() => { setOtherId(candidate.report_id); void compareWith(candidate.report_id); }}>
                  {say({ vi: `So sánh với ${candidate.report_id}`, en: `Compare with ${candidate.report_id}` })}
                </button>
                {candidate.distance_m != null && <span class="muted"> · {candidate.distance_m} m</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      <form onSubmit={(event) => { event.preventDefault(); void compareWith(otherId); }}>
        <label for="merge-other">{say({ vi: "Mã phản ánh kia", en: "The other report's id" })}</label>
        <input id="merge-other" name="other_report_id" value={otherId} autocomplete="off"
          onInput={(event) => setOtherId(event.currentTarget.value)} />
        <button type="submit">{say({ vi: "So sánh", en: "Compare" })}</button>
      </form>
      {problem && <p role="alert" class="error">{problem}</p>}
      {other && !pair && (
        <p role="alert" class="error">
          {say({
            vi: "Không thể gộp: cả hai phản ánh phải khác nhau và còn đang được xử lý.",
            en: "These cannot be merged: they must be two different reports, both still being handled.",
          })}
        </p>
      )}
      {pair && (
        <form onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          const merged = await finish(
            await api.POST("/coordinator/reports/{report_id}/merge", {
              params: { path: { report_id: pair.duplicate.report_id } },
              body: { master_id: pair.master.report_id, version: pair.duplicate.version, ...(reason.trim() ? { reason: reason.trim() } : {}) },
            }),
            { vi: `Đã gộp ${pair.duplicate.report_id} vào ${pair.master.report_id}.`, en: `${pair.duplicate.report_id} is merged into ${pair.master.report_id}.` },
          );
          setBusy(false);
          if (merged) setOther(null);
        }}>
          <SideBySide duplicate={pair.duplicate} master={pair.master} now={new Date()} />
          <button type="button" onClick={() => setSwapped(!swapped)}>
            {say({ vi: "Đổi vai: giữ phản ánh kia làm phản ánh chính", en: "Swap: keep the other one as the master" })}
          </button>
          <label for="merge-reason">{say({ vi: "Ghi chú (không bắt buộc)", en: "Note (optional)" })}</label>
          <textarea id="merge-reason" name="reason" rows={2} value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
          <button type="submit" disabled={busy} data-testid="merge-confirm">
            {say({ vi: `Gộp ${pair.duplicate.report_id} vào ${pair.master.report_id}`, en: `Merge ${pair.duplicate.report_id} into ${pair.master.report_id}` })}
          </button>
        </form>
      )}
    </section>
  );
}

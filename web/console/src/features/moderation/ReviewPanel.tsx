import { useEffect, useState } from 'preact/hooks';
import { unwrap, type ApiClient, type ApiError } from '../../../../shared/api';
import { pick, useLang, useText } from '../../../../shared/i18n';
import { Button, Field, TextAreaField, TextField, announce } from '../../../../shared/ui';
import { useConsole } from '../../app/context';
import { Link } from '../../app/router';
import { proposeMerge } from './compare';
import { REJECT_GROUNDS, isRejectGround, rejectProblems } from './grounds';
import { hideableComment, type ReviewedReport } from './reviewed';
import { PhotoStrip } from './PhotoStrip';
import { SideBySide } from './SideBySide';
import { moderationText } from './text';

type Words = (typeof moderationText)['vi'];
/** An action sends one request; the panel then says what happened and shows the fresh report. */
type Send = (request: () => Promise<unknown>, done: string) => Promise<boolean>;

async function loadReport(api: ApiClient, reportId: string): Promise<ReviewedReport> {
  const result = await api.GET('/officer/reports/{report_id}', { params: { path: { report_id: reportId } } });
  // The spec names only part of the officer's view; these are fields officer_view always returns.
  return unwrap(result) as unknown as ReviewedReport;
}

/** One report and what a coordinator may do with it (the API's `allowed_actions` decide): publish,
 * unpublish, reject with grounds, merge after the side-by-side, hide the rating comment. */
export function ReviewPanel({ reportId, onDone }: { reportId: string; onDone: () => void }) {
  const { api } = useConsole();
  const words = useText(moderationText);
  const lang = useLang();
  const [report, setReport] = useState<ReviewedReport | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const reload = () =>
    loadReport(api, reportId).then(setReport, (error: ApiError) => setFailure(pick(error.text, lang)));

  useEffect(() => {
    setReport(null);
    setFailure(null);
    setNotice(null);
    void reload();
  }, [reportId]);

  const send: Send = async (request, done) => {
    try {
      await request();
      setFailure(null);
      setNotice(done);
      announce(done);
      onDone();
      await reload();
      return true;
    } catch (error) {
      // A 409 (changed meanwhile) or a refusal: say why and show the report as it is now.
      const message = pick((error as ApiError).text, lang);
      setNotice(null);
      setFailure(message);
      announce(message, 'assertive');
      await reload();
      return false;
    }
  };

  if (!report) {
    return failure ? <p class="notice notice--error" role="alert">{failure}</p> : <p aria-busy="true">{words.loading}</p>;
  }
  const path = { params: { path: { report_id: report.report_id } } };
  const may = (action: string) => report.allowed_actions.includes(action);
  const comment = hideableComment(report);
  const publicationName = { published: words.published, held: words.held, unpublished: words.unpublished };

  return (
    <article class="review-panel" aria-labelledby="review-title" data-testid="review-panel">
      <h2 id="review-title">
        {words.report} <Link to={`/reports/${encodeURIComponent(report.report_id)}`}>{report.report_id}</Link>
      </h2>
      <p data-testid="publication">
        {publicationName[report.publication.state]} · {report.status_label ? pick(report.status_label, lang) : report.status}
      </p>
      <p class="report-text">{report.description}</p>
      {report.address && <p class="muted">{report.address}</p>}
      <PhotoStrip report={report} />
      {notice && <p class="notice notice--ok">{notice}</p>}
      {failure && <p class="notice notice--error">{failure}</p>}

      {may('publish') && (
        <ReasonForm id="publish" title={words.publishTitle} label={words.publishNote} submit={words.publish} optional words={words}
          onSend={(note) => send(() => api.POST('/coordinator/reports/{report_id}/publish', {
            ...path, body: { version: report.version, ...(note ? { note } : {}) },
          }).then(unwrap), words.publishedNow)} />
      )}
      {may('unpublish') && (
        <ReasonForm id="unpublish" title={words.unpublishTitle} label={words.unpublishReason} submit={words.unpublish} words={words}
          onSend={(reason) => send(() => api.POST('/coordinator/reports/{report_id}/unpublish', {
            ...path, body: { version: report.version, reason },
          }).then(unwrap), words.unpublishedNow)} />
      )}
      {may('reject') && (
        <RejectForm words={words} onSend={(grounds, reason) => send(() => api.POST('/coordinator/reports/{report_id}/reject', {
          ...path, body: { version: report.version, grounds, reason },
        }).then(unwrap), words.rejectedNow)} />
      )}
      {may('merge') && <MergeSection report={report} words={words} send={send} />}
      {comment && (
        <ReasonForm id="hide-comment" title={words.hideTitle} quote={comment} label={words.hideReason} submit={words.hide} words={words}
          onSend={(reason) => send(() => api.POST('/coordinator/reports/{report_id}/rating/hide', {
            ...path, body: { version: report.version, reason },
          }).then(unwrap), words.hiddenNow)} />
      )}
    </article>
  );
}

interface ReasonFormProps {
  id: string;
  title: string;
  label: string;
  submit: string;
  quote?: string;
  optional?: boolean;
  words: Words;
  onSend: (text: string) => Promise<boolean>;
}

/** An action with one text: a reason (required) or a note (optional), and its button. */
function ReasonForm({ id, title, label, submit, quote, optional, words, onSend }: ReasonFormProps) {
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const go = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    if (!optional && !text.trim()) return setMissing(true);
    setMissing(false);
    setBusy(true);
    if (await onSend(text.trim())) setText('');
    setBusy(false);
  };
  return (
    <form class="action-form" aria-labelledby={`${id}-title`} onSubmit={go} data-testid={`${id}-form`}>
      <h3 id={`${id}-title`}>{title}</h3>
      {quote && <blockquote class="report-text">{quote}</blockquote>}
      <TextAreaField label={label} name="reason" rows={2} value={text} error={missing ? words.reasonMissing : null}
        onInput={(event) => setText(event.currentTarget.value)} />
      <Button type="submit" variant={id === 'publish' ? 'primary' : 'secondary'} busy={busy}>{submit}</Button>
    </form>
  );
}

function RejectForm({ words, onSend }: { words: Words; onSend: (grounds: (typeof REJECT_GROUNDS)[number], reason: string) => Promise<boolean> }) {
  const [grounds, setGrounds] = useState('');
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const go = async (event: Event) => {
    event.preventDefault();
    const found = rejectProblems({ grounds, reason });
    setProblems(found);
    if (found.length || !isRejectGround(grounds) || busy) return;
    setBusy(true);
    await onSend(grounds, reason.trim());
    setBusy(false);
  };
  return (
    <form class="action-form" aria-labelledby="reject-title" onSubmit={go} data-testid="reject-form">
      <h3 id="reject-title">{words.rejectTitle}</h3>
      <fieldset aria-describedby={problems.includes('grounds') ? 'reject-grounds-error' : undefined}>
        <legend>{words.grounds}</legend>
        {problems.includes('grounds') && <p id="reject-grounds-error" class="field__error">{words.groundsMissing}</p>}
        {REJECT_GROUNDS.map((ground) => (
          <label key={ground} class="choice">
            <input type="radio" name="grounds" value={ground} checked={grounds === ground} onChange={() => setGrounds(ground)} /> {words[ground]}
          </label>
        ))}
      </fieldset>
      <TextAreaField label={words.rejectReason} name="reason" rows={2} value={reason}
        error={problems.includes('reason') ? words.reasonMissing : null} onInput={(event) => setReason(event.currentTarget.value)} />
      <Button type="submit" variant="danger" busy={busy}>{words.reject}</Button>
    </form>
  );
}

/** Pick the other report (a flagged possible duplicate, or any id), compare the two side by side,
 * choose which stays (the older one is proposed), then merge. */
function MergeSection({ report, words, send }: { report: ReviewedReport; words: Words; send: Send }) {
  const { api } = useConsole();
  const lang = useLang();
  const [otherId, setOtherId] = useState('');
  const [other, setOther] = useState<ReviewedReport | null>(null);
  const [swapped, setSwapped] = useState(false);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const compareWith = async (id: string) => {
    setProblem(null);
    setOther(null);
    setSwapped(false);
    if (!id.trim()) return setProblem(words.idMissing);
    try {
      setOther(await loadReport(api, id.trim()));
    } catch (error) {
      setProblem(pick((error as ApiError).text, lang));
    }
  };

  const proposed = other ? proposeMerge(report, other) : null;
  const pair = proposed && swapped ? { duplicate: proposed.master, master: proposed.duplicate } : proposed;

  const merge = async (event: Event) => {
    event.preventDefault();
    if (!pair || busy) return;
    setBusy(true);
    const { duplicate, master } = pair;
    const merged = await send(() => api.POST('/coordinator/reports/{report_id}/merge', {
      params: { path: { report_id: duplicate.report_id } },
      body: { master_id: master.report_id, version: duplicate.version, ...(note.trim() ? { reason: note.trim() } : {}) },
    }).then(unwrap), words.mergedNow(duplicate.report_id, master.report_id));
    setBusy(false);
    if (merged) setOther(null);
  };

  return (
    <section class="action-form merge" aria-labelledby="merge-title">
      <h3 id="merge-title">{words.mergeTitle}</h3>
      {report.possible_duplicates.length > 0 && (
        <>
          <p>{words.candidates}</p>
          <ul class="candidates">
            {report.possible_duplicates.map((candidate) => (
              <li key={candidate.report_id}>
                <Button variant="secondary" onClick={() => { setOtherId(candidate.report_id); void compareWith(candidate.report_id); }}>
                  {words.compareWith(candidate.report_id)}
                </Button>
                {candidate.distance_m != null && <span class="muted"> · {words.distance(candidate.distance_m)}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      <form class="inline-form" onSubmit={(event) => { event.preventDefault(); void compareWith(otherId); }}>
        <TextField label={words.otherId} name="other_report_id" autocomplete="off" value={otherId} error={problem}
          onInput={(event) => setOtherId(event.currentTarget.value)} />
        <Button type="submit" variant="secondary">{words.compare}</Button>
      </form>
      {other && !pair && <p class="notice notice--error" role="alert">{words.cannotMerge}</p>}
      {pair && (
        <form onSubmit={merge} data-testid="merge-form">
          <SideBySide duplicate={pair.duplicate} master={pair.master} now={new Date()} />
          <p>
            <Button variant="secondary" onClick={() => setSwapped(!swapped)}>{words.swap}</Button>
          </p>
          <Field label={words.mergeNote}>
            {(control) => <textarea class="input input--area" name="merge_note" rows={2} {...control} value={note}
              onInput={(event) => setNote(event.currentTarget.value)} />}
          </Field>
          <Button type="submit" busy={busy} data-testid="merge-confirm">{words.merge(pair.duplicate.report_id, pair.master.report_id)}</Button>
        </form>
      )}
    </section>
  );
}

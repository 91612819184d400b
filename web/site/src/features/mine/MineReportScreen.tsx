import { useEffect, useState } from 'preact/hooks';
import { useSite } from '../../app/context';
import type { ScreenProps } from '../../app/routes';
import { usePageTitle } from '../../app/title';
import { Link } from '../../../../shared/router';
import { ApiError, unwrap } from '../../../../shared/api';
import { formatDateTime, pick, useLang, useText } from '../../../../shared/i18n';
import { BeforeAfter, Button, StatusBadge, TextAreaField, announce } from '../../../../shared/ui';
import { ConnectionNotice, reportingService, trackingHeader, type MyReport } from '../offline';
import { Questions } from './AnswerForm';
import { AwaitingInformation } from '../report';
import { mineText } from './text';
import { isReporterView, loadReport, type PublicReport, type ReporterReport } from './view';
import './mine.css';

type Loaded = { kind: 'loading' } | { kind: 'absent' } | { kind: 'failed' } | { kind: 'ready'; kept: MyReport; view: ReporterReport | PublicReport };

function RatingForm({ kept, onRated }: { kept: MyReport; onRated: () => void }) {
  const words = useText(mineText);
  const lang = useLang();
  const [score, setScore] = useState<number | null>(null);
  const [fixed, setFixed] = useState<boolean | null>(null);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { api } = useSite();

  const submit = async (event: Event) => {
    event.preventDefault();
    if (score === null) return setError(words.scoreMissing);
    if (fixed === null) return setError(words.fixedMissing);
    if (!kept.token) return;
    setBusy(true);
    setError(null);
    try {
      const receipt = unwrap(
        await api.POST('/reports/{report_id}/rating', {
          params: { path: { report_id: kept.report_id }, header: trackingHeader(kept.token) },
          body: { score, fixed, ...(comment.trim() && { comment: comment.trim() }) },
        }),
      );
      announce(receipt.reopened ? `${words.rated} ${words.reopened}` : words.rated);
      onRated();
    } catch (caught) {
      setError(caught instanceof ApiError ? pick(caught.text, lang) : words.loadFailed);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="rating-form" onSubmit={submit} noValidate aria-labelledby="rate-title" data-testid="rating-form">
      <h2 id="rate-title">{words.rateTitle}</h2>
      <p>{words.rateIntro}</p>
      {error && (
        <p class="field__error" role="alert">
          {error}
        </p>
      )}
      <fieldset>
        <legend>{words.score}</legend>
        {[1, 2, 3, 4, 5].map((value) => (
          <label class="choice" key={value}>
            <input type="radio" name="score" value={value} checked={score === value} onChange={() => setScore(value)} />
            {words.scoreLabel(value)}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{words.fixed}</legend>
        <label class="choice">
          <input type="radio" name="fixed" value="yes" checked={fixed === true} onChange={() => setFixed(true)} />
          {words.fixedYes}
        </label>
        <label class="choice">
          <input type="radio" name="fixed" value="no" checked={fixed === false} onChange={() => setFixed(false)} />
          {words.fixedNo}
        </label>
      </fieldset>
      <TextAreaField label={words.comment} name="comment" maxLength={1000} value={comment} onInput={(event) => setComment(event.currentTarget.value)} />
      <Button type="submit" busy={busy}>
        {words.rate}
      </Button>
    </form>
  );
}

/** /mine/<id>: one followed report, its status and steps, the rating once resolved, the public page. */
export default function MineReportScreen({ params }: ScreenProps) {
  const words = useText(mineText);
  const lang = useLang();
  const reportId = params.id ?? '';
  const { api } = useSite();
  usePageTitle(reportId);
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });
  const [forgotten, setForgotten] = useState(false);

  const load = async () => {
    const kept = await reportingService(api).mine.get(reportId);
    if (!kept) return setLoaded({ kind: 'absent' });
    try {
      setLoaded({ kind: 'ready', kept, view: await loadReport(api, kept) });
    } catch {
      setLoaded({ kind: 'failed' });
    }
  };

  useEffect(() => {
    void load();
  }, [reportId]);

  const back = (
    <p>
      <Link to="/mine">{words.back}</Link>
    </p>
  );
  if (forgotten) return <section class="mine"><p role="status">{words.forgotten}</p>{back}</section>;
  if (loaded.kind === 'loading') return <section class="mine"><p aria-busy="true">{words.loading}</p></section>;
  if (loaded.kind === 'absent') return <section class="mine"><h1>{words.title}</h1><p>{words.notFound}</p>{back}</section>;
  if (loaded.kind === 'failed') return <section class="mine"><h1>{reportId}</h1><ConnectionNotice /><p class="notice notice--error">{words.loadFailed}</p>{back}</section>;

  const { kept, view } = loaded;
  const own = isReporterView(view);
  const published = own ? view.publication.state === 'published' : true;
  const canRate = own && kept.token && view.status === 'RESOLVED' && !view.rating;

  return (
    <section class="mine" aria-labelledby="report-title">
      {back}
      <h1 id="report-title">{view.report_id}</h1>
      <ConnectionNotice />
      <dl class="mine-facts">
        <dt>{words.status}</dt>
        <dd>
          <StatusBadge status={view.status} label={pick(view.status_label, lang)} />
        </dd>
        <dt>{words.field}</dt>
        <dd>{pick(view.category.name, lang) || view.category.code}</dd>
        {view.ward && (
          <>
            <dt>{words.ward}</dt>
            <dd>{pick(view.ward.name, lang) || view.ward.code}</dd>
          </>
        )}
        {view.owner_unit && (
          <>
            <dt>{words.owner}</dt>
            <dd>{pick(view.owner_unit.name, lang)}</dd>
          </>
        )}
        {own && (
          <>
            <dt>{words.filedAt}</dt>
            <dd>{formatDateTime(view.created_at, lang)}</dd>
          </>
        )}
      </dl>
      <p>{view.description}</p>
      {view.awaiting_information && <AwaitingInformation awaiting={view.awaiting_information} />}
      {own && <Questions kept={kept} questions={view.questions} onAnswered={() => void load()} />}
      <BeforeAfter before={view.photos} result={view.result ?? null} />
      {view.result && (
        <>
          <h2>{words.result}</h2>
          <p>{view.result.note}</p>
        </>
      )}
      {view.timeline.length > 0 && (
        <>
          <h2>{words.timeline}</h2>
          <ol class="timeline">
            {view.timeline.map((entry) => (
              <li key={`${entry.at}-${entry.status}`}>
                {formatDateTime(entry.at, lang)} — {pick(entry.label, lang)}
                {entry.note ? `: ${entry.note}` : ''}
              </li>
            ))}
          </ol>
        </>
      )}
      {view.rating && <p data-testid="my-rating">{words.yourRating(view.rating.score)}</p>}
      {canRate && <RatingForm kept={kept} onRated={() => void load()} />}
      {!own && view.status === 'RESOLVED' && !view.rating && <p class="field__hint">{words.onlyOwner}</p>}
      <p>{published ? <Link to={`/report/${encodeURIComponent(view.report_id)}`}>{words.publicPage}</Link> : words.notPublished}</p>
      <Button
        variant="secondary"
        onClick={() => {
          void reportingService(api).mine.forget(kept.report_id).then(() => {
            setForgotten(true);
            announce(words.forgotten);
          });
        }}
      >
        {words.forget}
      </Button>
    </section>
  );
}

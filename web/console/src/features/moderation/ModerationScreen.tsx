import { useEffect, useState } from 'preact/hooks';
import { unwrap, type ApiError, type ResponseOf } from '../../../../shared/api';
import { pick, useLang, useText } from '../../../../shared/i18n';
import { Button, TextField } from '../../../../shared/ui';
import { useConsole } from '../../app/context';
import { navigate } from '../../app/router';
import type { ScreenProps } from '../../app/routes';
import { ReviewPanel } from './ReviewPanel';
import { moderationText } from './text';
import './moderation.css';

type ReviewQueue = ResponseOf<'/coordinator/moderation', 'get'>;

const PAGE_SIZE = 50;

/** /console/moderation: what waits for a coordinator's review before it may be public (and why it
 * was held: the field, or personal data seen in the text), and any report opened by id (?report=). */
export default function ModerationScreen({ query }: ScreenProps) {
  const { api } = useConsole();
  const words = useText(moderationText);
  const lang = useLang();
  const selected = query.get('report');
  const [queue, setQueue] = useState<ReviewQueue | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [lookup, setLookup] = useState('');

  // The API gives at most PAGE_SIZE a page; `more` appends the next page to what is shown.
  const load = (cursor?: string) =>
    api
      .GET('/coordinator/moderation', { params: { query: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } } })
      .then((result) => {
        const page = unwrap(result);
        setQueue((shown) => (cursor && shown ? { reports: [...shown.reports, ...page.reports], next_cursor: page.next_cursor } : page));
      })
      .catch((error: ApiError) => setFailure(pick(error.text, lang)));

  useEffect(() => {
    void load();
  }, []);

  const choose = (reportId: string) => navigate(`/moderation?report=${encodeURIComponent(reportId)}`);

  return (
    <section aria-labelledby="moderation-title">
      <h1 id="moderation-title">{words.title}</h1>
      <form class="inline-form" onSubmit={(event) => { event.preventDefault(); if (lookup.trim()) choose(lookup.trim()); }}>
        <TextField label={words.lookup} hint={words.lookupHint} name="report_id" autocomplete="off" value={lookup}
          onInput={(event) => setLookup(event.currentTarget.value)} />
        <Button type="submit" variant="secondary">{words.open}</Button>
      </form>
      <div class="moderation-layout">
        <section aria-labelledby="waiting-title">
          <h2 id="waiting-title">
            {words.waiting}
            {queue && ` · ${words.waitingCount(queue.reports.length)}`}
          </h2>
          {failure && <p class="notice notice--error" role="alert">{failure}</p>}
          {!failure && !queue && <p aria-busy="true">{words.loading}</p>}
          {queue && queue.reports.length === 0 && <p>{words.nothingWaits}</p>}
          {queue && queue.reports.length > 0 && (
            <ul class="review-list" data-testid="review-list">
              {queue.reports.map((report) => (
                <li key={report.report_id} class={selected === report.report_id ? 'selected' : undefined}>
                  <Button variant="link" aria-pressed={selected === report.report_id} onClick={() => choose(report.report_id)}>
                    <strong>{report.report_id}</strong>
                    <span>{pick(report.category.name, lang) || report.category.code}</span>
                  </Button>
                  <p class="report-text">{report.description}</p>
                  <ul class="held-for" aria-label={words.heldFor}>
                    {report.held_for.map((ground) => (
                      <li key={ground.code} class={ground.code === 'review_first' ? 'badge' : 'badge badge--escalated'}>
                        {pick(ground.label, lang) || ground.code}
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          )}
          {queue?.next_cursor && (
            <Button variant="secondary" onClick={() => void load(queue.next_cursor ?? undefined)}>{words.more}</Button>
          )}
        </section>
        <div>{selected ? <ReviewPanel reportId={selected} onDone={() => void load()} /> : <p>{words.choose}</p>}</div>
      </div>
    </section>
  );
}

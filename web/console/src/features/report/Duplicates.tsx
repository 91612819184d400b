import { useEffect, useState } from 'preact/hooks';
import { unwrap } from '../../../../shared/api';
import { formatDateTime, pick, useLang, useText } from '../../../../shared/i18n';
import { StatusBadge } from '../../../../shared/ui';
import { useConsole } from '../../app/context';
import { Link } from '../../app/router';
import { statusLabel, statusText } from '../../app/status';
import type { DuplicateRef, ReportDetail } from './model';
import { PhotoGallery } from './Photos';
import { reportText } from './text';

interface Seen {
  photos: Array<{ url: string; thumbnail_url: string }>;
  created_at: string | null;
  description: string;
}

const DAY_MS = 86_400_000;

/**
 * One flagged duplicate with what an officer needs to judge it: its photos, distance and age. The
 * officer view lists it; its details come from the officer route (same unit) or the public one.
 */
function useDuplicate(ref: DuplicateRef): Seen | null {
  const { api } = useConsole();
  const [seen, setSeen] = useState<Seen | null>(null);
  useEffect(() => {
    let live = true;
    const path = { params: { path: { report_id: ref.report_id } } };
    (async () => {
      try {
        const detail = unwrap(await api.GET('/officer/reports/{report_id}', path)) as ReportDetail;
        if (live) setSeen({ photos: detail.photos, created_at: detail.created_at, description: detail.description });
      } catch {
        try {
          const shown = unwrap(await api.GET('/public/reports/{report_id}', path));
          if (live) setSeen({ photos: shown.photos, created_at: shown.published_at ?? null, description: shown.description });
        } catch {
          if (live) setSeen({ photos: [], created_at: null, description: '' });
        }
      }
    })();
    return () => {
      live = false;
    };
  }, [ref.report_id]);
  return seen;
}

function DuplicateCard({ duplicate }: { duplicate: DuplicateRef }) {
  const words = useText(reportText);
  const states = useText(statusText);
  const lang = useLang();
  const seen = useDuplicate(duplicate);
  const days = seen?.created_at ? Math.max(0, Math.floor((Date.now() - Date.parse(seen.created_at)) / DAY_MS)) : null;
  return (
    <article class="side-card" aria-labelledby={`dup-${duplicate.report_id}`}>
      <h3 id={`dup-${duplicate.report_id}`}>
        <Link to={`/reports/${encodeURIComponent(duplicate.report_id)}`}>{duplicate.report_id}</Link>
      </h3>
      <p>
        <StatusBadge status={duplicate.status} label={statusLabel(states, duplicate.status)} />{' '}
        {duplicate.distance_m !== null && words.distance(duplicate.distance_m)}
        {days !== null && ` · ${words.age(days)}`}
        {seen?.created_at && <span class="visually-hidden"> ({formatDateTime(seen.created_at, lang)})</span>}
      </p>
      {seen && <p>{seen.description}</p>}
      {seen && seen.photos.length > 0 && <PhotoGallery photos={seen.photos} alt={(n, of) => `${duplicate.report_id}: ${words.photoAlt(n, of)}`} />}
    </article>
  );
}

/** This report and each possible duplicate side by side. */
export function Duplicates({ report }: { report: ReportDetail }) {
  const words = useText(reportText);
  const lang = useLang();
  if (report.possible_duplicates.length === 0) return <p>{words.noDuplicates}</p>;
  return (
    <div class="side-by-side">
      <article class="side-card side-card--this" aria-labelledby="dup-this">
        <h3 id="dup-this">{words.thisReport}</h3>
        <p>{pick(report.category.name, lang) || report.category.code} · {formatDateTime(report.created_at, lang)}</p>
        <p>{report.description}</p>
        {report.photos.length > 0 && <PhotoGallery photos={report.photos} alt={words.photoAlt} />}
      </article>
      {report.possible_duplicates.map((duplicate) => (
        <DuplicateCard key={duplicate.report_id} duplicate={duplicate} />
      ))}
    </div>
  );
}

import type { ComponentChildren } from 'preact';
import { pick, useLang, useText } from '../../../../shared/i18n';
import { ageMinutes, distanceMetres } from './compare';
import { PhotoStrip } from './PhotoStrip';
import type { ReviewedReport } from './reviewed';
import { moderationText } from './text';

type Text = { vi: string; en: string };

/** The two reports of a merge next to each other: photos, text, place, age, and how far apart. */
export function SideBySide({ duplicate, master, now }: { duplicate: ReviewedReport; master: ReviewedReport; now: Date }) {
  const words = useText(moderationText);
  const lang = useLang();
  const named = (value: Text | string | null | undefined, fallback: string) =>
    !value ? fallback : typeof value === 'string' ? value : pick(value, lang);
  const columns = [
    { report: duplicate, role: words.duplicateRole },
    { report: master, role: words.masterRole },
  ];
  const rows: { label: string; cell: (report: ReviewedReport) => ComponentChildren }[] = [
    { label: words.id, cell: (report) => report.report_id },
    { label: words.state, cell: (report) => named(report.status_label, report.status) },
    { label: words.field, cell: (report) => named(report.category.name, report.category.code) },
    { label: words.unit, cell: (report) => named(report.owner_unit?.name, report.owner_unit?.unit_id ?? '—') },
    { label: words.text, cell: (report) => <p class="report-text">{report.description}</p> },
    {
      label: words.place,
      cell: (report) => (
        <>
          {report.address ?? '—'}
          {report.ward && <div class="muted">{named(report.ward.name, report.ward.code)}</div>}
          {report.location && (
            <div class="muted">
              {report.location.lat.toFixed(5)}, {report.location.lon.toFixed(5)}
            </div>
          )}
        </>
      ),
    },
    { label: words.filed, cell: (report) => words.age(ageMinutes(report.created_at, now)) },
    { label: words.photos, cell: (report) => <PhotoStrip report={report} /> },
  ];
  return (
    <div class="side-by-side" data-testid="side-by-side">
      <p data-testid="merge-distance">
        {words.distanceApart}: <strong>{words.distance(distanceMetres(duplicate.location, master.location))}</strong>
      </p>
      <table class="compare-table">
        <caption class="visually-hidden">{words.compared}</caption>
        <thead>
          <tr>
            <td />
            {columns.map((column) => (
              <th scope="col" key={column.report.report_id}>
                {column.role}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label}>
              <th scope="row">{row.label}</th>
              {columns.map((column) => (
                <td key={column.report.report_id}>{row.cell(column.report)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

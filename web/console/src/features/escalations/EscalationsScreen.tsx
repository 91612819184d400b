import { useEffect, useState } from 'preact/hooks';
import { unwrap, type ApiError, type components } from '../../../../shared/api';
import { formatDateTime, pick, useLang, useText } from '../../../../shared/i18n';
import { hasRole, useConsole } from '../../app/context';
import { Link } from '../../app/router';
import { LEVELS, boardLevels, groupByLevel, type Level } from './levels';
import { escalationsText } from './text';
import './escalations.css';

type Escalated = components['schemas']['EscalatedItem'] | components['schemas']['EscalationBoardItem'];
type Words = (typeof escalationsText)['vi'];

/** /console/escalations: a coordinator's board of every unit's escalated reports, or for a unit
 * head those their unit received; by level, the highest first. */
export default function EscalationsScreen() {
  const { api, me } = useConsole();
  const words = useText(escalationsText);
  const lang = useLang();
  const coordinator = hasRole(me, 'coordinator');
  const [levels, setLevels] = useState<Record<Level, Escalated[]> | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const load: Promise<Record<Level, Escalated[]>> = coordinator
      ? api.GET('/coordinator/escalations').then((result) => boardLevels(unwrap(result).levels))
      : api.GET('/officer/escalations').then((result) => groupByLevel(unwrap(result).reports));
    load.then(
      (grouped) => live && setLevels(grouped),
      (error: ApiError) => live && setFailure(pick(error.text, lang)),
    );
    return () => {
      live = false;
    };
  }, [coordinator]);

  return (
    <section aria-labelledby="escalations-title">
      <h1 id="escalations-title">{coordinator ? words.boardTitle : words.unitTitle}</h1>
      <p>{words.intro}</p>
      {failure && <p class="notice notice--error" role="alert">{failure}</p>}
      {!failure && !levels && <p aria-busy="true">{words.loading}</p>}
      {levels &&
        [...LEVELS].reverse().map((level) => (
          <LevelSection key={level} level={level} reports={levels[level]} showUnit={coordinator} words={words} />
        ))}
    </section>
  );
}

interface LevelProps {
  level: Level;
  reports: Escalated[];
  showUnit: boolean;
  words: Words;
}

function LevelSection({ level, reports, showUnit, words }: LevelProps) {
  const lang = useLang();
  const title = { 1: words.level1, 2: words.level2, 3: words.level3 }[level];
  return (
    <section class={`escalation-level escalation-level--${level}`} aria-labelledby={`level-${level}`} data-testid={`level-${level}`}>
      <h2 id={`level-${level}`}>
        {title} · {words.count(reports.length)}
      </h2>
      {reports.length === 0 ? (
        <p>{words.none}</p>
      ) : (
        <table class="escalation-table">
          <thead>
            <tr>
              <th scope="col">{words.report}</th>
              <th scope="col">{words.field}</th>
              {showUnit && <th scope="col">{words.unit}</th>}
              <th scope="col">{words.missed}</th>
              <th scope="col">{words.escalatedAt}</th>
              <th scope="col">{words.assignee}</th>
            </tr>
          </thead>
          <tbody>
            {reports.map((report) => (
              <tr key={report.report_id}>
                <th scope="row">
                  <Link to={`/reports/${encodeURIComponent(report.report_id)}`}>{report.report_id}</Link>
                  <div class="muted">{report.address ?? report.description.slice(0, 80)}</div>
                </th>
                <td>{pick(report.category.name, lang) || report.category.code}</td>
                {showUnit && <td>{'unit_id' in report ? report.unit_id : ''}</td>}
                <td>
                  {report.deadline_kind === 'acknowledge' ? words.acknowledge : words.resolve}: {formatDateTime(report.due_at, lang)}
                </td>
                <td>{formatDateTime(report.escalated_at, lang)}</td>
                <td>{report.assignee?.name ?? report.assignee?.officer_id ?? words.nobody}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

import './queue.css';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { formatDateTime, pick, sortByName, useLang, useText } from '../../../../shared/i18n';
import { loadWards } from '../../../../shared/map/wards';
import { Button, StatusBadge, TextField } from '../../../../shared/ui';
import { useConsole } from '../../app/context';
import { Link, navigate } from '../../app/router';
import type { ScreenProps } from '../../app/routes';
import { DeadlineClock } from './DeadlineClock';
import { filterQueue, filtersFromQuery, filtersToQuery, normaliseReportId, NO_FILTERS, QUEUE_STATES, type QueueFilters, type QueueItem } from './filters';
import { statusText } from '../../app/status';
import { queueText } from './text';
import { useNow, useQueue } from './useQueue';

/** Ward code → name in both languages, from the ward outlines (also used by the map). */
export function useWardNames(): Map<string, { vi: string; en: string }> {
  const [names, setNames] = useState(new Map<string, { vi: string; en: string }>());
  useEffect(() => {
    void loadWards().then((wards) => {
      const found = new Map<string, { vi: string; en: string }>();
      for (const feature of wards?.features ?? []) {
        const props = (feature.properties ?? {}) as { code?: string; name?: string; nameEn?: string };
        if (props.code) found.set(props.code, { vi: props.name ?? props.code, en: props.nameEn ?? props.name ?? props.code });
      }
      setNames(found);
    });
  }, []);
  return names;
}

interface FilterBarProps {
  filters: QueueFilters;
  items: readonly QueueItem[];
  wardNames: Map<string, { vi: string; en: string }>;
  onChange: (filters: QueueFilters) => void;
}

/** The filters (state, field, ward, overdue, escalated, mine); the choices offered are those present in the queue. */
export function FilterBar({ filters, items, wardNames, onChange }: FilterBarProps) {
  const words = useText(queueText);
  const states = useText(statusText);
  const lang = useLang();
  const fields = useMemo(() => {
    const seen = new Map<string, string>();
    for (const item of items) seen.set(item.category.code, pick(item.category.name, lang) || item.category.code);
    return sortByName([...seen], ([, name]) => name);
  }, [items, lang]);
  const wards = useMemo(() => {
    const seen = new Set(items.map((item) => item.ward_code).filter((code): code is string => Boolean(code)));
    return sortByName([...seen].map((code) => [code, pick(wardNames.get(code), lang) || code] as const), ([, name]) => name);
  }, [items, wardNames, lang]);
  const set = <K extends keyof QueueFilters>(key: K, value: QueueFilters[K]) => onChange({ ...filters, [key]: value });

  const select = (key: 'state' | 'field' | 'ward', label: string, options: ReadonlyArray<readonly [string, string]>) => (
    <div class="field">
      <label class="field__label" for={`filter-${key}`}>
        {label}
      </label>
      <select id={`filter-${key}`} name={key} class="input" value={filters[key]} onChange={(event) => set(key, (event.currentTarget as HTMLSelectElement).value as never)}>
        <option value="">{words.all}</option>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );

  const check = (key: 'overdue' | 'escalated' | 'mine', label: string) => (
    <label class="check">
      <input type="checkbox" name={key} checked={filters[key]} onChange={(event) => set(key, (event.currentTarget as HTMLInputElement).checked)} />
      {label}
    </label>
  );

  return (
    <fieldset class="queue-filters">
      <legend>{words.filters}</legend>
      {select('state', words.state, QUEUE_STATES.map((state) => [state, states[state]] as const))}
      {select('field', words.field, fields)}
      {select('ward', words.ward, wards)}
      {check('overdue', words.overdue)}
      {check('escalated', words.escalated)}
      {check('mine', words.mine)}
      <Button variant="link" onClick={() => onChange(NO_FILTERS)}>
        {words.clear}
      </Button>
    </fieldset>
  );
}

function ReportSearch() {
  const words = useText(queueText);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      class="queue-search"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        const id = normaliseReportId(value);
        if (!id) {
          setError(words.badId);
          return;
        }
        navigate(`/reports/${encodeURIComponent(id)}`);
      }}
    >
      <TextField label={words.search} hint={words.searchHint} name="report_id" value={value} error={error} autoComplete="off" spellcheck={false}
        onInput={(event) => {
          setValue((event.currentTarget as HTMLInputElement).value);
          setError(null);
        }}
      />
      <Button type="submit" variant="secondary">
        {words.open}
      </Button>
    </form>
  );
}

/** Filters kept in the address bar; replacing the entry keeps Back meaning "the previous screen". */
export function useQueueFilters(query: URLSearchParams, path: string): [QueueFilters, (filters: QueueFilters) => void] {
  const filters = useMemo(() => filtersFromQuery(query), [query.toString()]);
  return [filters, (next) => navigate(`${path}${filtersToQuery(next)}`, { replace: true })];
}

export default function QueueScreen({ query }: ScreenProps) {
  const words = useText(queueText);
  const lang = useLang();
  const { me } = useConsole();
  const states = useText(statusText);
  const queue = useQueue();
  const wardNames = useWardNames();
  const [filters, setFilters] = useQueueFilters(query, '/');
  const now = useNow(30_000);
  const shown = useMemo(() => filterQueue(queue.items, filters, me.officer_id, now), [queue.items, filters, me.officer_id, now]);

  useEffect(() => {
    document.title = `${words.title} — Phản ánh`;
  }, [words]);

  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title">{words.title}</h1>
      <p>{words.intro}</p>
      {queue.counts && (
        <ul class="queue-counts" aria-label={words.counts}>
          {QUEUE_STATES.map((state) => (
            <li key={state} data-testid={`count-${state}`}>
              <strong>{queue.counts?.[state] ?? 0}</strong> {states[state]}
            </li>
          ))}
        </ul>
      )}
      <div class="queue-tools">
        <FilterBar filters={filters} items={queue.items} wardNames={wardNames} onChange={setFilters} />
        <ReportSearch />
      </div>
      {queue.failed && (
        <p class="notice notice--error">
          {words.failed}{' '}
          <Button variant="secondary" onClick={queue.reload}>
            {words.retry}
          </Button>
        </p>
      )}
      {queue.loading ? (
        <p aria-busy="true">{words.loading}</p>
      ) : (
        <>
          <p class="queue-meta">
            {words.shown(shown.length, queue.items.length)}
            {queue.updatedAt ? ` · ${words.updated(queue.updatedAt.toLocaleTimeString(lang === 'vi' ? 'vi-VN' : 'en-GB'))}` : ''}
          </p>
          {shown.length === 0 ? (
            <p class="notice">{words.empty}</p>
          ) : (
            <QueueTable items={shown} fresh={queue.fresh} wardNames={wardNames} />
          )}
        </>
      )}
    </section>
  );
}

interface QueueTableProps {
  items: QueueItem[];
  fresh: ReadonlySet<string>;
  wardNames: Map<string, { vi: string; en: string }>;
}

function QueueTable({ items, fresh, wardNames }: QueueTableProps) {
  const words = useText(queueText);
  const states = useText(statusText);
  const lang = useLang();
  return (
    <table class="queue-table" data-testid="queue-table">
      <caption class="visually-hidden">{words.title}</caption>
      <colgroup>
        {['report', 'state', 'field', 'where', 'deadline', 'assignee'].map((name) => (
          <col key={name} class={`col-${name}`} />
        ))}
      </colgroup>
      <thead>
        <tr>
          <th scope="col">{words.colReport}</th>
          <th scope="col">{words.colState}</th>
          <th scope="col">{words.colField}</th>
          <th scope="col">{words.colWhere}</th>
          <th scope="col">{words.colDeadline}</th>
          <th scope="col">{words.colAssignee}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.report_id} class={fresh.has(item.report_id) ? 'queue-row--fresh' : undefined} data-report-id={item.report_id}>
            <th scope="row">
              <Link to={`/reports/${encodeURIComponent(item.report_id)}`}>{item.report_id}</Link>
              {fresh.has(item.report_id) && <span class="badge badge--escalated tag">{words.isNew}</span>}
              <span class="excerpt">{item.description.length > 120 ? `${item.description.slice(0, 117)}…` : item.description}</span>
            </th>
            <td>
              <StatusBadge status={item.status} label={states[item.status]} />
            </td>
            <td>{pick(item.category.name, lang) || item.category.code}</td>
            <td>
              {item.ward_code ? pick(wardNames.get(item.ward_code), lang) || item.ward_code : ''}
              {item.address && <span class="excerpt">{item.address}</span>}
            </td>
            <td>
              <DeadlineClock dueAt={item.due_at} kind={item.deadline_kind} words={words} lang={lang} />
              {item.escalation_level > 0 && <span class="badge badge--escalated tag">{words.escalationLevel(item.escalation_level)}</span>}
              {item.clock_paused_until && (
                <span class="badge tag" data-testid="clock-paused" title={formatDateTime(item.clock_paused_until, lang)}>{words.clockPaused}</span>
              )}
            </td>
            <td>{item.assignee ? item.assignee.name ?? item.assignee.officer_id : <span class="excerpt">{words.unassigned}</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

import { useEffect, useMemo, useState } from 'preact/hooks';
import { authenticatedFetch, unwrap, type ApiError, type ResponseOf } from '../../../../shared/api';
import { pick, useLang, useText } from '../../../../shared/i18n';
import { Button, Field, TextField, announce } from '../../../../shared/ui';
import { useConsole } from '../../app/context';
import { NO_FILTERS, fetchExport, filterProblems, saveBlob, type ExportFilters } from './export';
import { dashboardText } from './text';

type Units = ResponseOf<'/officer/units', 'get'>['units'];

const STATES = ['RECEIVED', 'ASSIGNED', 'ACKNOWLEDGED', 'IN_PROGRESS', 'RESOLVED', 'CLOSED', 'REJECTED', 'DUPLICATE'] as const;

/** The filters of the CSV export and its download button (GET /coordinator/export/reports.csv). */
export function ExportForm() {
  const { api, auth } = useConsole();
  const words = useText(dashboardText);
  const lang = useLang();
  const [filters, setFilters] = useState<ExportFilters>(NO_FILTERS);
  const [units, setUnits] = useState<Units>([]);
  const [shown, setShown] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const download = useMemo(() => authenticatedFetch(auth), [auth]);

  useEffect(() => {
    api.GET('/officer/units').then((result) => setUnits(unwrap(result).units), () => setUnits([]));
  }, []);

  const problems = shown ? filterProblems(filters) : {};
  const set = (name: keyof ExportFilters) => (event: { currentTarget: { value: string } }) =>
    setFilters({ ...filters, [name]: event.currentTarget.value });

  const submit = async (event: Event) => {
    event.preventDefault();
    setShown(true);
    if (busy || Object.keys(filterProblems(filters)).length) return;
    setBusy(true);
    setFailure(null);
    try {
      const { blob, fileName } = await fetchExport(filters, download);
      saveBlob(blob, fileName);
      announce(words.downloaded(fileName));
    } catch (error) {
      const message = pick((error as ApiError).text, lang);
      setFailure(message);
      announce(message, 'assertive');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="export-form" onSubmit={submit} aria-labelledby="export-title" data-testid="export-form" noValidate>
      <h2 id="export-title">{words.exportTitle}</h2>
      <p>{words.exportIntro}</p>
      <div class="filter-grid">
        <Field label={words.status}>
          {(control) => (
            <select class="input" name="status" {...control} value={filters.status} onChange={set('status')}>
              <option value="">{words.anyStatus}</option>
              {STATES.map((state) => <option key={state} value={state}>{words[state]}</option>)}
            </select>
          )}
        </Field>
        <TextField label={words.category} hint={words.categoryHint} name="category" value={filters.category} onInput={set('category')} />
        <TextField label={words.ward} name="ward_code" inputMode="numeric" value={filters.ward_code} onInput={set('ward_code')} />
        <Field label={words.unit}>
          {(control) => (
            <select class="input" name="unit_id" {...control} value={filters.unit_id} onChange={set('unit_id')}>
              <option value="">{words.anyUnit}</option>
              {units.map((unit) => <option key={unit.unit_id} value={unit.unit_id}>{pick(unit.name, lang)}</option>)}
            </select>
          )}
        </Field>
        <TextField label={words.from} type="date" name="from" value={filters.from} onInput={set('from')}
          error={problems.from ? words[problems.from] : null} />
        <TextField label={words.to} type="date" name="to" value={filters.to} onInput={set('to')}
          error={problems.to ? words[problems.to] : null} />
      </div>
      {failure && <p class="notice notice--error" role="alert">{failure}</p>}
      <Button type="submit" busy={busy} data-testid="export-download">{words.download}</Button>
    </form>
  );
}

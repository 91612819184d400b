import './rules.css';
import type { FeatureCollection } from 'geojson';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, unwrap, type components } from '../../../../shared/api';
import { pick, sortByName, useLang, useText, type Lang } from '../../../../shared/i18n';
import { LeafletMap, loadWards } from '../../../../shared/map';
import { announce, Button } from '../../../../shared/ui';
import { useConsole } from '../../app/context';
import {
  ANY_WARD,
  buildMatrix,
  isGridKey,
  legend,
  moveFocus,
  ownersByWard,
  refusalProblems,
  withFieldRules,
  type Cell,
  type Rule,
  type RuleProblem,
  type WardRow,
} from './matrix';
import { rulesText } from './text';

type Category = components['schemas']['Category'];
type Unit = components['schemas']['DirectoryUnitWithOfficers'];

interface RulesData {
  categories: Category[];
  wards: WardRow[];
  wardShapes: FeatureCollection | null;
  units: Unit[];
  rules: Map<string, readonly Rule[]>;
}

function wardRows(shapes: FeatureCollection | null): WardRow[] {
  const rows = (shapes?.features ?? []).map((feature) => {
    const properties = (feature.properties ?? {}) as { code?: string; name?: string; nameEn?: string };
    return { code: String(properties.code ?? ''), name: properties.name ?? '', nameEn: properties.nameEn ?? properties.name ?? '' };
  });
  return sortByName(rows.filter((row) => row.code !== ''), (row) => row.name);
}

function useRulesData(): { data: RulesData | null; failed: boolean; setRules: (category: string, rules: readonly Rule[]) => void } {
  const { api } = useConsole();
  const [data, setData] = useState<RulesData | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    (async () => {
      const [categories, units, shapes] = await Promise.all([
        api.GET('/categories').then(unwrap),
        api.GET('/coordinator/units').then(unwrap),
        loadWards(),
      ]);
      const lists = await Promise.all(
        categories.categories.map((category) =>
          api.GET('/coordinator/rules/{category_code}', { params: { path: { category_code: category.code } } }).then(unwrap),
        ),
      );
      const rules = new Map(lists.map((list) => [list.category_code, list.rules as unknown as Rule[]] as const));
      if (live) setData({ categories: categories.categories, wards: wardRows(shapes), wardShapes: shapes, units: units.units, rules });
    })().catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [api]);
  const setRules = useCallback((category: string, rules: readonly Rule[]) => {
    setData((current) => (current ? { ...current, rules: withFieldRules(current.rules, category, rules) } : current));
  }, []);
  return { data, failed, setRules };
}

function unitName(units: ReadonlyMap<string, Unit>, unitId: string, lang: Lang, words: typeof rulesText.vi): string {
  const unit = units.get(unitId);
  return unit ? pick(unit.name, lang) : words.unknownUnit(unitId);
}

const MAX_PROBLEMS_SHOWN = 5;

function Problems({ id, problems, lang, words }: { id: string; problems: RuleProblem[]; lang: Lang; words: typeof rulesText.vi }) {
  return (
    <div id={id} class="rules-problems" role="alert">
      <p class="rules-problems__title">{words.refused}</p>
      <ul>
        {problems.slice(0, MAX_PROBLEMS_SHOWN).map((problem, index) => (
          <li key={index}>{pick(problem.text, lang)}</li>
        ))}
      </ul>
      {problems.length > MAX_PROBLEMS_SHOWN && <p>{words.moreProblems(problems.length - MAX_PROBLEMS_SHOWN)}</p>}
    </div>
  );
}

interface EditorProps {
  cell: Cell;
  fieldName: string;
  wardName: string;
  units: Unit[];
  onDone: (rules: readonly Rule[] | null) => void;
}

/** The unit picker of one cell: choosing "the field-wide rule" (or none, on the first row) removes the rule. */
function CellEditor({ cell, fieldName, wardName, units, onDone }: EditorProps) {
  const { api } = useConsole();
  const lang = useLang();
  const words = useText(rulesText);
  const [choice, setChoice] = useState(cell.explicit ?? '');
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<RuleProblem[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const select = useRef<HTMLSelectElement>(null);
  const selectId = `rule-${cell.category}-${cell.ward}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const problemsId = `${selectId}-problems`;
  useEffect(() => select.current?.focus(), []);

  const save = async (event: Event) => {
    event.preventDefault();
    if (choice === (cell.explicit ?? '')) {
      onDone(null);
      return;
    }
    setBusy(true);
    setProblems([]);
    setFailure(null);
    const path = { category_code: cell.category, ward_code: cell.ward };
    try {
      const answer = choice === ''
        ? unwrap(await api.DELETE('/coordinator/rules/{category_code}/{ward_code}', { params: { path } }))
        : unwrap(await api.PUT('/coordinator/rules/{category_code}/{ward_code}', { params: { path }, body: { unit_id: choice } }));
      announce(words.saved(fieldName, wardName));
      onDone(answer.rules as unknown as Rule[]);
    } catch (error) {
      const refused = error instanceof ApiError ? refusalProblems({ current: error.current }) : [];
      if (refused.length > 0) setProblems(refused);
      else setFailure(error instanceof ApiError ? pick(error.text, lang) : String(error));
      setBusy(false);
      select.current?.focus();
    }
  };

  const active = units.filter((unit) => unit.active || unit.unit_id === cell.explicit);
  return (
    <form
      class="rules-editor"
      onSubmit={save}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          event.stopPropagation();
          onDone(null);
        }
      }}
    >
      <label class="visually-hidden" for={selectId}>
        {words.editLabel(fieldName, wardName)}
      </label>
      <select
        id={selectId}
        ref={select}
        class="input rules-editor__select"
        value={choice}
        aria-describedby={problems.length > 0 || failure ? problemsId : undefined}
        aria-invalid={problems.length > 0 || failure ? true : undefined}
        onChange={(event) => setChoice(event.currentTarget.value)}
      >
        <option value="">{cell.ward === ANY_WARD ? words.removeFieldRule : words.useFieldRule}</option>
        {active.map((unit) => (
          <option key={unit.unit_id} value={unit.unit_id}>
            {pick(unit.name, lang)}
          </option>
        ))}
      </select>
      <div class="rules-editor__actions">
        <Button type="submit" busy={busy}>
          {words.save}
        </Button>
        <Button variant="secondary" onClick={() => onDone(null)}>
          {words.cancel}
        </Button>
      </div>
      {problems.length > 0 && <Problems id={problemsId} problems={problems} lang={lang} words={words} />}
      {failure && (
        <p id={problemsId} class="rules-problems" role="alert">
          {failure}
        </p>
      )}
    </form>
  );
}

function CellContent({ cell, units, lang, words }: { cell: Cell; units: ReadonlyMap<string, Unit>; lang: Lang; words: typeof rulesText.vi }) {
  if (cell.owner === null) {
    return <span class="rules-cell rules-cell--gap">{cell.ward === ANY_WARD ? words.noFieldRule : words.gap}</span>;
  }
  const name = unitName(units, cell.owner, lang, words);
  if (cell.ward !== ANY_WARD && cell.source === 'field_rule') {
    return (
      <span class="rules-cell rules-cell--inherited">
        <span aria-hidden="true">↳ </span>
        {name}
        <span class="visually-hidden"> ({words.inherited})</span>
      </span>
    );
  }
  return <span class="rules-cell rules-cell--set">{name}</span>;
}

function RulesMatrix({ data, onRules }: { data: RulesData; onRules: (category: string, rules: readonly Rule[]) => void }) {
  const lang = useLang();
  const words = useText(rulesText);
  const matrix = useMemo(
    () => buildMatrix(data.wards, data.categories.map((category) => category.code), data.rules),
    [data.wards, data.categories, data.rules],
  );
  const units = useMemo(() => new Map(data.units.map((unit) => [unit.unit_id, unit])), [data.units]);
  const [focus, setFocus] = useState({ row: 0, col: 0 });
  const [editing, setEditing] = useState<{ row: number; col: number } | null>(null);
  const table = useRef<HTMLTableElement>(null);
  // Set when an editor closes: its cell takes the focus back once the editor is gone.
  const refocus = useRef(false);

  const focusCell = (row: number, col: number) => {
    table.current?.querySelector<HTMLElement>(`[data-cell="${row}:${col}"]`)?.focus();
  };
  useEffect(() => {
    if (refocus.current && !editing) {
      refocus.current = false;
      focusCell(focus.row, focus.col);
    }
  }, [editing]);

  const wardName = (ward: string) => {
    if (ward === ANY_WARD) return words.allWards;
    const row = data.wards.find((candidate) => candidate.code === ward);
    return row ? (lang === 'vi' ? row.name : row.nameEn) : ward;
  };
  const fieldNames = data.categories.map((category) => pick(category.name, lang));

  const onCellKey = (event: KeyboardEvent, row: number, col: number) => {
    if (event.target !== event.currentTarget) return;
    if (isGridKey(event.key)) {
      event.preventDefault();
      // Focused at once (the cell's onFocus makes it the grid's tab stop), so fast key presses never race a render.
      const next = moveFocus({ row, col }, event.key, { rows: matrix.length, cols: data.categories.length }, event.ctrlKey);
      focusCell(next.row, next.col);
    } else if (event.key === 'Enter' || event.key === 'F2') {
      event.preventDefault();
      setFocus({ row, col });
      setEditing({ row, col });
    }
  };

  const finishEdit = (category: string, rules: readonly Rule[] | null) => {
    if (rules) onRules(category, rules);
    refocus.current = true;
    setEditing(null);
  };

  return (
    <div class="rules-scroll">
      <table ref={table} class="rules-matrix" role="grid" aria-labelledby="rules-caption" aria-describedby="rules-keys">
        <caption id="rules-caption">{words.matrixCaption}</caption>
        <thead>
          <tr>
            <th scope="col" class="rules-matrix__corner">
              {words.wardHeader}
            </th>
            {data.categories.map((category, col) => (
              <th key={category.code} scope="col">
                {fieldNames[col]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.map((matrixRow, row) => (
            <tr key={matrixRow.ward} class={matrixRow.ward === ANY_WARD ? 'rules-matrix__field-row' : undefined}>
              <th scope="row">{wardName(matrixRow.ward)}</th>
              {matrixRow.cells.map((cell, col) => {
                const isEditing = editing?.row === row && editing.col === col;
                return (
                  <td
                    key={cell.category}
                    data-cell={`${row}:${col}`}
                    data-field={cell.category}
                    data-ward={cell.ward}
                    tabIndex={focus.row === row && focus.col === col && !isEditing ? 0 : -1}
                    class={isEditing ? 'rules-matrix__cell rules-matrix__cell--editing' : 'rules-matrix__cell'}
                    onKeyDown={(event) => onCellKey(event, row, col)}
                    onFocus={(event) => {
                      if (event.target === event.currentTarget) setFocus({ row, col });
                    }}
                    onClick={() => {
                      if (isEditing) return;
                      setFocus({ row, col });
                      setEditing({ row, col });
                    }}
                  >
                    {isEditing ? (
                      <CellEditor
                        cell={cell}
                        fieldName={fieldNames[col] ?? cell.category}
                        wardName={wardName(cell.ward)}
                        units={data.units}
                        onDone={(rules) => finishEdit(cell.category, rules)}
                      />
                    ) : (
                      <CellContent cell={cell} units={units} lang={lang} words={words} />
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function OwnerMap({ data }: { data: RulesData }) {
  const { config } = useConsole();
  const lang = useLang();
  const words = useText(rulesText);
  const [category, setCategory] = useState(data.categories[0]?.code ?? '');
  const matrix = useMemo(() => buildMatrix(data.wards, [category], data.rules), [data.wards, data.rules, category]);
  const owners = useMemo(() => ownersByWard(matrix, category), [matrix, category]);
  const entries = useMemo(() => legend(owners), [owners]);
  const units = useMemo(() => new Map(data.units.map((unit) => [unit.unit_id, unit])), [data.units]);
  const colourOf = useMemo(() => {
    const byWard = new Map<string, number | null>();
    for (const entry of entries) for (const ward of entry.wards) byWard.set(ward, entry.colour);
    return byWard;
  }, [entries]);
  const wardClass = useCallback((code: string) => {
    const colour = colourOf.get(code);
    return colour === null || colour === undefined ? 'ward-owner ward-owner--gap' : `ward-owner owner-${colour}`;
  }, [colourOf]);
  const fieldName = pick(data.categories.find((candidate) => candidate.code === category)?.name, lang);
  const wardName = (code: string) => {
    const row = data.wards.find((candidate) => candidate.code === code);
    return row ? (lang === 'vi' ? row.name : row.nameEn) : code;
  };
  const ownerName = (unitId: string | null) => (unitId ? unitName(units, unitId, lang, words) : words.gap);

  return (
    <section class="rules-map" aria-labelledby="rules-map-title">
      <h2 id="rules-map-title">{words.mapTitle}</h2>
      <div class="field">
        <label class="field__label" for="rules-map-field">
          {words.mapField}
        </label>
        <select id="rules-map-field" class="input" value={category} onChange={(event) => setCategory(event.currentTarget.value)}>
          {data.categories.map((candidate) => (
            <option key={candidate.code} value={candidate.code}>
              {pick(candidate.name, lang)}
            </option>
          ))}
        </select>
      </div>
      <div class="rules-map__body">
        <LeafletMap
          label={words.mapLabel(fieldName)}
          markers={[]}
          wards={data.wardShapes}
          wardClass={wardClass}
          tileUrl={config.tileUrl}
          tileAttribution={config.tileAttribution}
        />
        <div class="rules-legend">
          <h3 id="rules-legend-title">{words.legendTitle}</h3>
          <ul aria-labelledby="rules-legend-title">
            {entries.map((entry) => (
              <li key={entry.unitId ?? ''}>
                <span
                  class={entry.colour === null ? 'owner-swatch ward-owner--gap' : `owner-swatch owner-${entry.colour}`}
                  aria-hidden="true"
                />
                {ownerName(entry.unitId)} <span class="rules-legend__count">({words.wardsCount(entry.wards.length)})</span>
              </li>
            ))}
          </ul>
        </div>
      </div>
      <details class="rules-map__table">
        <summary>{words.asTable}</summary>
        <table>
          <caption class="visually-hidden">{words.mapLabel(fieldName)}</caption>
          <thead>
            <tr>
              <th scope="col">{words.wardHeader}</th>
              <th scope="col">{words.ownerHeader}</th>
            </tr>
          </thead>
          <tbody>
            {[...owners].map(([ward, unitId]) => (
              <tr key={ward}>
                <th scope="row">{wardName(ward)}</th>
                <td>{ownerName(unitId)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

export default function RulesScreen() {
  const words = useText(rulesText);
  const { data, failed, setRules } = useRulesData();
  return (
    <div class="rules-screen">
      <h1>{words.title}</h1>
      <p>{words.intro}</p>
      <p id="rules-keys" class="rules-keys">
        {words.keys}
      </p>
      {failed && <p class="notice notice--error">{words.loadFailed}</p>}
      {!data && !failed && <p aria-busy="true">{words.loading}</p>}
      {data && (
        <>
          <RulesMatrix data={data} onRules={setRules} />
          <OwnerMap data={data} />
        </>
      )}
    </div>
  );
}

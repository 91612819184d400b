/**
 * The routing rules as a ward × field matrix.
 *
 * A field's owner in a ward is its ward rule if there is one, else the field-wide rule (ward code
 * '*'), else nobody: a gap, which the API refuses to create. The matrix keeps the three apart so a
 * cell can say whether its owner is set for the ward or inherited from the field-wide rule.
 */

export const ANY_WARD = '*';

export interface Rule {
  category_code: string;
  ward_code: string;
  unit_id: string;
}

export interface WardRow {
  code: string;
  name: string;
  nameEn: string;
}

export type CellSource = 'ward_rule' | 'field_rule' | 'gap';

export interface Cell {
  category: string;
  ward: string;
  /** The unit the rule for exactly this (field, ward) key names, if any. */
  explicit: string | null;
  /** The unit that gets the field's reports here: the ward rule, else the field-wide rule. */
  owner: string | null;
  source: CellSource;
}

export interface MatrixRow {
  /** ANY_WARD for the field-wide row, else a ward code. */
  ward: string;
  cells: Cell[];
}

export function buildMatrix(
  wards: readonly WardRow[],
  categories: readonly string[],
  rulesByCategory: ReadonlyMap<string, readonly Rule[]>,
): MatrixRow[] {
  const units = new Map<string, string>();
  for (const [category, rules] of rulesByCategory) {
    for (const rule of rules) units.set(key(category, rule.ward_code), rule.unit_id);
  }
  const row = (ward: string): MatrixRow => ({
    ward,
    cells: categories.map((category) => {
      const explicit = units.get(key(category, ward)) ?? null;
      const fieldWide = units.get(key(category, ANY_WARD)) ?? null;
      const owner = explicit ?? (ward === ANY_WARD ? null : fieldWide);
      const source: CellSource = explicit !== null ? (ward === ANY_WARD ? 'field_rule' : 'ward_rule')
        : owner !== null ? 'field_rule' : 'gap';
      return { category, ward, explicit, owner, source };
    }),
  });
  return [row(ANY_WARD), ...wards.map((ward) => row(ward.code))];
}

function key(category: string, ward: string): string {
  return `${category}\u0000${ward}`;
}

/** Replace one field's rules (the API answers a change with the field's whole rule list). */
export function withFieldRules(
  rulesByCategory: ReadonlyMap<string, readonly Rule[]>,
  category: string,
  rules: readonly Rule[],
): Map<string, readonly Rule[]> {
  const next = new Map(rulesByCategory);
  next.set(category, rules);
  return next;
}

/** Who owns `category` in each ward: what the map colours. */
export function ownersByWard(matrix: readonly MatrixRow[], category: string): Map<string, string | null> {
  const owners = new Map<string, string | null>();
  for (const row of matrix) {
    if (row.ward === ANY_WARD) continue;
    const cell = row.cells.find((candidate) => candidate.category === category);
    owners.set(row.ward, cell?.owner ?? null);
  }
  return owners;
}

/** How many owner colours rules.css defines (.owner-0 … .owner-11); past them, colours repeat. */
export const OWNER_COLOURS = 12;

/**
 * A colour number per unit, in order of first appearance, so the same owners get the same colours
 * every time the same field is shown. Colours may repeat past OWNER_COLOURS; the legend and the
 * table still name every unit, so colour is never the only cue.
 */
export function unitColours(unitIds: Iterable<string>): Map<string, number> {
  const colours = new Map<string, number>();
  for (const unitId of unitIds) {
    if (!colours.has(unitId)) colours.set(unitId, colours.size % OWNER_COLOURS);
  }
  return colours;
}

export interface LegendEntry {
  unitId: string | null;
  /** The colour number, null for the wards no rule covers. */
  colour: number | null;
  wards: string[];
}

/** One legend line per owner, most wards first, and one last for the wards no rule covers. */
export function legend(owners: ReadonlyMap<string, string | null>): LegendEntry[] {
  const byUnit = new Map<string | null, string[]>();
  for (const [ward, unit] of owners) {
    const wards = byUnit.get(unit) ?? [];
    wards.push(ward);
    byUnit.set(unit, wards);
  }
  const owned = [...byUnit.entries()]
    .filter((entry): entry is [string, string[]] => entry[0] !== null)
    .sort(([, a], [, b]) => b.length - a.length);
  const colours = unitColours(owned.map(([unitId]) => unitId));
  const entries: LegendEntry[] = owned.map(([unitId, wards]) => ({ unitId, colour: colours.get(unitId) ?? 0, wards }));
  const uncovered = byUnit.get(null);
  if (uncovered) entries.push({ unitId: null, colour: null, wards: uncovered });
  return entries;
}

export type GridKey = 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight' | 'Home' | 'End' | 'PageUp' | 'PageDown';

const PAGE_ROWS = 10;

/**
 * Where focus goes in the grid for a navigation key (the WAI-ARIA grid pattern): arrows move one
 * cell and stop at the edges, Home/End go to the row's first/last cell (with Ctrl: the grid's),
 * PageUp/PageDown move ten rows.
 */
export function moveFocus(
  position: { row: number; col: number },
  keyName: GridKey,
  size: { rows: number; cols: number },
  ctrl = false,
): { row: number; col: number } {
  const clamp = (value: number, count: number) => Math.max(0, Math.min(count - 1, value));
  const { row, col } = position;
  switch (keyName) {
    case 'ArrowUp': return { row: clamp(row - 1, size.rows), col };
    case 'ArrowDown': return { row: clamp(row + 1, size.rows), col };
    case 'ArrowLeft': return { row, col: clamp(col - 1, size.cols) };
    case 'ArrowRight': return { row, col: clamp(col + 1, size.cols) };
    case 'Home': return ctrl ? { row: 0, col: 0 } : { row, col: 0 };
    case 'End': return ctrl ? { row: size.rows - 1, col: size.cols - 1 } : { row, col: size.cols - 1 };
    case 'PageUp': return { row: clamp(row - PAGE_ROWS, size.rows), col };
    case 'PageDown': return { row: clamp(row + PAGE_ROWS, size.rows), col };
  }
}

export function isGridKey(keyName: string): keyName is GridKey {
  return ['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown'].includes(keyName);
}

export interface RuleProblem {
  kind: string;
  text: { vi: string; en: string };
}

/** The problems a refused rule change names (409 rules_problem: `current.problems`), else none. */
export function refusalProblems(body: unknown): RuleProblem[] {
  if (typeof body !== 'object' || body === null) return [];
  const current = (body as { current?: unknown }).current;
  if (typeof current !== 'object' || current === null) return [];
  const problems = (current as { problems?: unknown }).problems;
  if (!Array.isArray(problems)) return [];
  return problems.filter(
    (problem): problem is RuleProblem =>
      typeof problem === 'object' && problem !== null && typeof problem.kind === 'string' &&
      typeof problem.text?.vi === 'string' && typeof problem.text?.en === 'string',
  );
}

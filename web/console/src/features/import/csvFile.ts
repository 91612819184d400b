/**
 * Reading the CSV files a coordinator chooses or pastes, before they go to the API's dry run.
 *
 * The API parses and checks the rows; here we only make sure the text is what a spreadsheet
 * meant: UTF-8 (Excel's "CSV UTF-8" adds a byte-order mark, which is dropped), and a header line
 * with the documented columns, so a wrong file is named at once instead of as a row of errors.
 */

export type ImportKind = 'units' | 'officers' | 'rules';

/** The columns POST /coordinator/import documents for each file (in any order, each once). */
export const HEADERS: Record<ImportKind, readonly string[]> = {
  units: ['unit_id', 'name_vi', 'name_en', 'kind', 'ward_code', 'parent_unit_id', 'email', 'phone', 'active'],
  officers: ['officer_id', 'unit_id', 'full_name', 'email', 'phone', 'role'],
  rules: ['category_code', 'ward_code', 'unit_id'],
};

/** One example row per template, so a coordinator sees each column's format. */
export const EXAMPLES: Record<ImportKind, readonly (readonly string[])[]> = {
  units: [['so_giao_thong', 'Sở Giao thông', 'Department of Transport', 'department', '', 'ubnd_thanh_pho',
    'so_giao_thong@example.vn', '+84900001234', 'true']],
  officers: [['so_giao_thong.officer', 'so_giao_thong', 'Nguyễn Văn An', 'so_giao_thong.officer@example.vn',
    '+84900011234', 'officer']],
  rules: [['roads', '*', 'so_giao_thong'], ['lighting', '31321', 'ubnd_31321']],
};

export interface Bilingual {
  vi: string;
  en: string;
}

export interface ReadResult {
  text: string;
  /** Data lines after the header (blank lines not counted). */
  rows: number;
  problem: Bilingual | null;
}

const BOM = '\uFEFF';

export function decodeCsv(bytes: Uint8Array): { text: string } | { problem: Bilingual } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text: text.startsWith(BOM) ? text.slice(1) : text };
  } catch {
    return {
      problem: {
        vi: 'Tệp không phải UTF-8. Trong Excel, hãy lưu dưới dạng “CSV UTF-8 (Comma delimited)”.',
        en: 'The file is not UTF-8. In Excel, save it as “CSV UTF-8 (Comma delimited)”.',
      },
    };
  }
}

/** The cells of a CSV's first record (quotes as RFC 4180 has them). */
export function headerCells(text: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      cells.push(cell.trim());
      cell = '';
    } else if (char === '\n' || char === '\r') break;
    else cell += char;
  }
  cells.push(cell.trim());
  return cells;
}

function dataRows(text: string): number {
  const lines = text.split(/\r\n|\n|\r/).filter((line) => line.trim() !== '');
  return Math.max(0, lines.length - 1);
}

/** The text if its header names every documented column; else what is wrong with it. */
export function checkCsvText(text: string, expected: readonly string[]): ReadResult {
  const clean = text.startsWith(BOM) ? text.slice(1) : text;
  if (clean.trim() === '') {
    return { text: clean, rows: 0, problem: { vi: 'Tệp trống.', en: 'The file is empty.' } };
  }
  const header = headerCells(clean);
  const missing = expected.filter((column) => !header.includes(column));
  const unknown = header.filter((column) => !expected.includes(column));
  const repeated = expected.filter((column) => header.indexOf(column) !== header.lastIndexOf(column));
  if (missing.length > 0 || unknown.length > 0 || repeated.length > 0) {
    const parts: Bilingual[] = [];
    if (missing.length > 0) parts.push({ vi: `thiếu cột ${missing.join(', ')}`, en: `missing column(s) ${missing.join(', ')}` });
    if (unknown.length > 0) parts.push({ vi: `cột lạ ${unknown.join(', ')}`, en: `unknown column(s) ${unknown.join(', ')}` });
    if (repeated.length > 0) parts.push({ vi: `cột lặp lại ${repeated.join(', ')}`, en: `repeated column(s) ${repeated.join(', ')}` });
    return {
      text: clean,
      rows: dataRows(clean),
      problem: {
        vi: `Dòng tiêu đề không đúng mẫu: ${parts.map((part) => part.vi).join('; ')}.`,
        en: `The header line does not match the template: ${parts.map((part) => part.en).join('; ')}.`,
      },
    };
  }
  return { text: clean, rows: dataRows(clean), problem: null };
}

export async function readCsvFile(file: Blob, expected: readonly string[]): Promise<ReadResult> {
  const decoded = decodeCsv(new Uint8Array(await file.arrayBuffer()));
  if ('problem' in decoded) return { text: '', rows: 0, problem: decoded.problem };
  return checkCsvText(decoded.text, expected);
}

function quote(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** A template file: BOM (so Excel opens it as UTF-8), the header and example rows, CRLF lines. */
export function templateCsv(headers: readonly string[], examples: readonly (readonly string[])[]): string {
  return BOM + [headers, ...examples].map((row) => row.map(quote).join(',')).join('\r\n') + '\r\n';
}

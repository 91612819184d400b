import { describe, expect, it } from 'vitest';
import { checkCsvText, decodeCsv, HEADERS, headerCells, readCsvFile, templateCsv } from './csvFile';

const encode = (text: string) => new TextEncoder().encode(text);

describe('readCsvFile', () => {
  it('reads a UTF-8 file with a byte-order mark and counts its rows', async () => {
    const file = new Blob([encode("\uFEFFcategory_code,ward_code,unit_id\r\nroads,*,so_xay_dung\r\n\r\nlighting,31321,ubnd_31321\r\n")]);
    const result = await readCsvFile(file, HEADERS.rules);
    expect(result.problem).toBeNull();
    expect(result.rows).toBe(2);
    expect(result.text.startsWith('category_code')).toBe(true);
  });

  it('names a file that is not UTF-8 (a Windows-1258 export)', async () => {
    // "Sở" in Windows-1258: 0xD5 is not a UTF-8 lead byte followed by a continuation byte here.
    const file = new Blob([new Uint8Array([0x75, 0x6e, 0x69, 0x74, 0x0a, 0x53, 0xd5, 0x2c])]);
    const result = await readCsvFile(file, HEADERS.units);
    expect(result.problem?.en).toContain('not UTF-8');
  });

  it('names the missing, unknown and repeated columns', () => {
    const result = checkCsvText("category_code,ward,unit_id,unit_id\nroads,*,x\n", HEADERS.rules);
    expect(result.problem?.en).toContain('missing column(s) ward_code');
    expect(result.problem?.en).toContain('unknown column(s) ward');
    expect(result.problem?.en).toContain('repeated column(s) unit_id');
  });

  it('takes the columns in any order', () => {
    expect(checkCsvText("unit_id,ward_code,category_code\n", HEADERS.rules).problem).toBeNull();
  });

  it('calls an empty paste empty', () => {
    expect(checkCsvText('  \n', HEADERS.rules).problem?.en).toBe('The file is empty.');
  });
});

describe('headerCells', () => {
  it('reads quoted cells with commas and doubled quotes', () => {
    expect(headerCells('"a,b", "say ""hi""",c\nd,e')).toEqual(["a,b", 'say "hi"', "c"]);
  });
});

describe('templateCsv', () => {
  it('writes a BOM, the documented header and quoted examples that read back', () => {
    const text = templateCsv(HEADERS.officers, [['x.officer', 'x', 'Nguyễn, An', 'a@b.vn', '+84900011234', 'officer']]);
    expect(text.startsWith("\uFEFFofficer_id,unit_id,full_name,email,phone,role\r\n")).toBe(true);
    expect(text).toContain('"Nguyễn, An"');
    const decoded = decodeCsv(encode(text));
    expect('text' in decoded && checkCsvText(decoded.text, HEADERS.officers)).toMatchObject({ rows: 1, problem: null });
  });
});

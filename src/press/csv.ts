// CSV exports staff open in Excel: UTF-8 with a byte-order mark (without it Excel reads
// Vietnamese as mojibake), CRLF line ends, and cells that would start a formula neutralised.
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<unknown>>): string {
  const lines = [header, ...rows].map((row) => row.map(cell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

function cell(value: unknown): string {
  let text = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  // "=HYPERLINK(...)" typed by a person must stay text, not run in the officer's spreadsheet.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Content-Disposition of a download, with an ASCII name. */
export const csvDisposition = (name: string) => `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`;

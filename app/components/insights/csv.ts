// CSV as spreadsheets open it without asking: UTF-8 with a byte order mark (so accented country
// names survive Excel), CRLF line ends and RFC 4180 quoting.

export type CsvValue = string | number | null;

const BOM = "\uFEFF";

function csvField(value: CsvValue): string {
  if (value === null) return "";
  const text = String(value);
  // A leading = + - @ makes spreadsheets evaluate the cell: names come from users, so neutralize it.
  const safe = typeof value === "string" && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvValue[]>): string {
  return BOM + [header, ...rows].map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
}

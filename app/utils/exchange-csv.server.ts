// The CSV downloads of offers and requests, for spreadsheet users: one row per record, the
// exchange format's fields as columns, lists joined with ";".
import { stringify } from "csv-stringify/sync";
import type { ExchangeOffer, ExchangeRequest } from "~/schemas/exchange";

const OFFER_COLUMNS = [
  "key",
  "organization",
  "title",
  "summary",
  "description",
  "language",
  "themes",
  "modalities",
  "workingLanguages",
  "targetPopulation",
  "evidence",
  "capacityPerYear",
  "costSharing",
  "status",
] as const satisfies ReadonlyArray<keyof ExchangeOffer>;

const REQUEST_COLUMNS = [
  "key",
  "organization",
  "title",
  "summary",
  "description",
  "language",
  "themes",
  "modalities",
  "workingLanguages",
  "desiredStart",
  "desiredEnd",
  "status",
] as const satisfies ReadonlyArray<keyof ExchangeRequest>;

function cell(value: string | number | readonly string[] | undefined): string {
  if (value === undefined) return "";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return value;
  return value.join(";");
}

function toCsv(header: readonly string[], rows: string[][]): string {
  return stringify([[...header], ...rows], {
    // Excel reads a UTF-8 file as the local code page unless it starts with a byte order mark.
    bom: true,
    record_delimiter: "windows",
    // A cell starting with =, +, - or @ would run as a formula in a spreadsheet: records come
    // from many organizations, so such cells are prefixed with a quote (OWASP CSV injection).
    escape_formulas: true,
  });
}

export function offersToCsv(offers: readonly ExchangeOffer[]): string {
  return toCsv(OFFER_COLUMNS, offers.map((offer) => OFFER_COLUMNS.map((column) => cell(offer[column]))));
}

export function requestsToCsv(requests: readonly ExchangeRequest[]): string {
  return toCsv(REQUEST_COLUMNS, requests.map((request) => REQUEST_COLUMNS.map((column) => cell(request[column]))));
}

/** A CSV download response named after its contents and today's date. */
export function csvResponse(csv: string, name: string): Response {
  const day = new Date().toISOString().slice(0, 10);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}-${day}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}

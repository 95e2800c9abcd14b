// File handling shared by `npm run import` and `npm run export`: the size guard, decoding,
// progress on the terminal, the summary table. Kept out of the entry points so tests can
// call it without running a command.
import { createReadStream } from "node:fs";
import { rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { formatExchangeError, parseExchangeJson, type ExchangeFile } from "~/schemas/exchange";
import type { ImportCounts, ImportProgress } from "~/models/exchange.server";

export const MAX_EXCHANGE_FILE_BYTES = 50 * 1024 * 1024;

export type ReadExchangeFileResult = { ok: true; value: unknown; bytes: number } | { ok: false; errors: string[] };

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function tooLarge(file: string, bytes: number, maxBytes: number): string {
  return formatExchangeError(
    "file",
    "size",
    `${file} is ${bytes > maxBytes ? `over ${megabytes(maxBytes)}` : megabytes(bytes)}; split it into files of at most ${megabytes(maxBytes)}`,
  );
}

/**
 * Reads and parses an exchange file. A file over `maxBytes` is refused from its size alone,
 * before any of it is read; a stream that grows past the limit while read (a pipe, a file being
 * written) is cut off there.
 */
export async function readExchangeFile(file: string, { maxBytes = MAX_EXCHANGE_FILE_BYTES } = {}): Promise<ReadExchangeFileResult> {
  let size: number;
  try {
    const info = await stat(file);
    if (info.isDirectory()) return { ok: false, errors: [formatExchangeError("file", "path", `${file} is a directory`)] };
    size = info.size;
  } catch (error) {
    return { ok: false, errors: [formatExchangeError("file", "path", `cannot read ${file}: ${describeError(error)}`)] };
  }
  if (size > maxBytes) return { ok: false, errors: [tooLarge(file, size, maxBytes)] };

  const parts: Buffer[] = [];
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(file)) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      bytes += buffer.length;
      if (bytes > maxBytes) return { ok: false, errors: [tooLarge(file, bytes, maxBytes)] };
      parts.push(buffer);
    }
  } catch (error) {
    return { ok: false, errors: [formatExchangeError("file", "path", `cannot read ${file}: ${describeError(error)}`)] };
  }

  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(parts));
  } catch {
    return { ok: false, errors: [formatExchangeError("file", "encoding", "not UTF-8 text; save the file as UTF-8")] };
  }
  const parsed = parseExchangeJson(text);
  return parsed.ok ? { ok: true, value: parsed.value, bytes } : parsed;
}

function describeError(error: unknown): string {
  if (error instanceof Error && "code" in error && typeof error.code === "string") return error.code;
  return error instanceof Error ? error.message : String(error);
}

/** The exchange file as text: two-space indents and a final newline, so exports diff well. */
export function serializeExchangeFile(file: ExchangeFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Writes beside the target and renames, so an interrupted export never leaves half a file. */
export async function writeExchangeFile(file: string, catalogue: ExchangeFile): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  await writeFile(temporary, serializeExchangeFile(catalogue), "utf8");
  await rename(temporary, file);
}

type ProgressStream = Pick<NodeJS.WriteStream, "write"> & { isTTY?: boolean; columns?: number };

// Files larger than this get progress even when stderr is not a terminal (CI logs, `2> log`).
export const PROGRESS_RECORD_THRESHOLD = 1_000;

/**
 * Progress of an import on stderr: a bar redrawn in place on a terminal, or a line every 10 %
 * when stderr is a file or pipe and the import is large enough to be worth watching.
 */
export function createProgressReporter({ stream, records }: { stream: ProgressStream; records: number }) {
  const interactive = stream.isTTY === true;
  const enabled = interactive || records > PROGRESS_RECORD_THRESHOLD;
  let lastDraw = 0;
  let lastTenth = -1;
  let drawn = false;

  function report(progress: ImportProgress) {
    if (!enabled || progress.total === 0) return;
    const fraction = Math.min(1, progress.done / progress.total);
    const label = progress.stage === "checking" ? "checked" : "written";
    const counts = `${progress.done.toLocaleString("en-US")}/${progress.total.toLocaleString("en-US")} records ${label}`;
    if (interactive) {
      const now = Date.now();
      if (fraction < 1 && now - lastDraw < 100) return;
      lastDraw = now;
      const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - counts.length - 10));
      const filled = Math.round(fraction * width);
      stream.write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${counts}`);
      drawn = true;
    } else if (progress.stage === "writing") {
      const tenth = Math.floor(fraction * 10);
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      stream.write(`${tenth * 10}% ${counts}\n`);
    }
  }

  function finish() {
    if (drawn) stream.write("\n");
    drawn = false;
  }

  return { report, finish };
}

export function formatImportSummary(counts: ImportCounts): string {
  const rows: Array<[string, string, string, string]> = [
    ["", "created", "updated", "unchanged"],
    ...(["organizations", "offers", "requests"] as const).map((section): [string, string, string, string] => [
      section,
      String(counts[section].created),
      String(counts[section].updated),
      String(counts[section].unchanged),
    ]),
  ];
  const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  "))
    .join("\n");
}

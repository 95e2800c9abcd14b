// Reading an exchange file uploaded through a bulk exchange page (staff or member) and handing
// it to importCatalogue. Every refusal comes back as a report line `<record>: <field>: <problem>`,
// as from the command line; a file over the limit is cut off while it streams in.
import { parseWithZod } from "@conform-to/zod/v4";
import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  unstable_parseMultipartFormData as parseMultipartFormData,
} from "@remix-run/node";
import type { SubmissionResult } from "@conform-to/react";
import { importCatalogue, type ImportActor, type ImportCounts } from "~/models/exchange.server";
import { formatExchangeError, parseExchangeJson } from "~/schemas/exchange";
import { EXCHANGE_UPLOAD_MAX_BYTES, exchangeUploadSchema } from "~/schemas/exchange-upload";

export type ImportReport = { ok: true; counts: ImportCounts } | { ok: false; errors: string[] };

export type UploadOutcome = { status: 200 | 400; result: SubmissionResult<string[]>; report: ImportReport | null };

// Room for the multipart boundaries and headers around a file of exactly the limit.
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(0)} MB`;
}

function refused(errors: string[]): UploadOutcome {
  return { status: 400, result: { status: "error", initialValue: null, error: {} }, report: { ok: false, errors } };
}

const TOO_LARGE = formatExchangeError(
  "file",
  "size",
  `the file is over ${megabytes(EXCHANGE_UPLOAD_MAX_BYTES)}; split it into files of at most ${megabytes(EXCHANGE_UPLOAD_MAX_BYTES)}`,
);

/** Reads the uploaded file of a bulk exchange form and imports it as `actor`. */
export async function importUploadedCatalogue({ request, actor }: { request: Request; actor: ImportActor }): Promise<UploadOutcome> {
  const contentType = request.headers.get("Content-Type") ?? "";
  if (!contentType.toLowerCase().startsWith("multipart/form-data")) {
    return refused([formatExchangeError("file", "upload", "expected a file sent as multipart/form-data")]);
  }
  // A declared length over the limit is refused before any of the body is read.
  const declaredLength = Number(request.headers.get("Content-Length") ?? "0");
  if (declaredLength > EXCHANGE_UPLOAD_MAX_BYTES + MULTIPART_OVERHEAD_BYTES) return refused([TOO_LARGE]);

  let formData: FormData;
  try {
    formData = await parseMultipartFormData(request, createMemoryUploadHandler({ maxPartSize: EXCHANGE_UPLOAD_MAX_BYTES }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return refused([TOO_LARGE]);
    return refused([formatExchangeError("file", "upload", "the upload could not be read; send the form again")]);
  }

  const submission = parseWithZod(formData, { schema: exchangeUploadSchema });
  if (submission.status !== "success") return { status: 400, result: submission.reply(), report: null };

  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await submission.value.file.arrayBuffer());
  } catch {
    return refused([formatExchangeError("file", "encoding", "not UTF-8 text; save the file as UTF-8")]);
  }
  const parsed = parseExchangeJson(text);
  if (!parsed.ok) return refused(parsed.errors);

  const imported = await importCatalogue({ file: parsed.value, actor });
  if (!imported.ok) return refused(imported.errors);
  return { status: 200, result: submission.reply({ resetForm: true }), report: imported };
}

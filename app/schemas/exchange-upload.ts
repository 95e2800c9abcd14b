// The upload form of the bulk exchange pages (staff and members), shared by the form and the
// action. The file's contents are checked by validateExchangeFile, not here.
import { z } from "zod";

export const EXCHANGE_UPLOAD_MAX_BYTES = 50 * 1024 * 1024;

function isNonEmptyFile(value: unknown): value is File {
  // Duck-typed: the browser's File and the server's differ between runtimes.
  return typeof value === "object" && value !== null && "arrayBuffer" in value && "size" in value && typeof value.size === "number" && value.size > 0;
}

export const exchangeUploadSchema = z.object({
  file: z.custom<File>(isNonEmptyFile, { error: "exchange:upload.fileRequired" }),
});

import { json } from "@remix-run/node";
import { BrokeringError } from "~/models/brokering-rules";

/**
 * The answer to a refused brokering operation: 404 thrown as a plain response, 403 and 409 as
 * JSON naming the refusal (an i18n key), which the page shows next to the form that was sent.
 */
export function refusalResponse(error: unknown, form: string) {
  if (!(error instanceof BrokeringError)) throw error;
  if (error.status === 404) throw new Response("Not found", { status: 404 });
  return json({ form, result: null, error: error.messageKey }, { status: error.status });
}

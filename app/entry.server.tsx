import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable, type AppLoadContext, type EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { i18nextFor, i18nServer } from "~/i18n/i18next.server";
import { NonceProvider } from "~/utils/nonce-provider";
import { cspNonceFrom } from "~/utils/security-headers.server";

const ABORT_DELAY_MS = 5_000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = cspNonceFrom(loadContext) ?? "";
  const i18nInstance = await i18nextFor(await i18nServer.getLocale(request));

  // Bots get the whole document at once; browsers get it streamed as soon as the shell is ready.
  const waitForAll = isbot(request.headers.get("user-agent"));

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    let allRendered = false;
    // The abort timer's closure holds the whole render (tree, chunks, loader data). Left to run
    // out, it kept every page of the last five seconds alive, and the garbage collector then
    // promoted and swept them in pauses that stalled every request (decision record 019).
    let abortTimer: NodeJS.Timeout | undefined;
    const respond = () => {
      shellRendered = true;
      const body = new PassThrough();
      responseHeaders.set("Content-Type", "text/html; charset=utf-8");
      resolve(
        new Response(createReadableStreamFromReadable(body), {
          headers: responseHeaders,
          status: responseStatusCode,
        }),
      );
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <I18nextProvider i18n={i18nInstance}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY_MS} nonce={nonce} />
        </I18nextProvider>
      </NonceProvider>,
      {
        nonce,
        onShellReady() {
          if (!waitForAll) respond();
        },
        onAllReady() {
          // Every suspended part has rendered: nothing is left for the timer to abort.
          allRendered = true;
          clearTimeout(abortTimer);
          if (waitForAll) respond();
        },
        onShellError(error: unknown) {
          allRendered = true;
          clearTimeout(abortTimer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors after the shell are logged here; earlier ones reach onShellError.
          if (shellRendered) console.error(error);
        },
      },
    );
    if (!allRendered) abortTimer = setTimeout(abort, ABORT_DELAY_MS);
  });
}

import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { i18nServer } from "~/i18n/i18next.server";
import { resubscribeToBulletin, unsubscribeFromBulletin } from "~/models/bulletin.server";
import { tokenSchema } from "~/schemas/bulletin";

export const meta: MetaFunction = () => [{ title: "Enlace" }, { name: "robots", content: "noindex" }];

type Outcome = { ok: boolean; message: string; token: string | null; canUndo: boolean };

function readToken(request: Request, formToken?: FormDataEntryValue | null): string | null {
  const parsed = tokenSchema.safeParse(formToken ?? new URL(request.url).searchParams.get("token"));
  return parsed.success ? parsed.data : null;
}

async function unsubscribe(request: Request, token: string | null): Promise<Outcome> {
  const t = await i18nServer.getFixedT(request, "bulletin");
  if (token === null) return { ok: false, message: t("unsubscribe.invalid"), token: null, canUndo: false };
  const outcome = await unsubscribeFromBulletin({ token, now: new Date() });
  if (!outcome.ok) return { ok: false, message: t("unsubscribe.invalid"), token: null, canUndo: false };
  return {
    ok: true,
    message: outcome.changed ? t("unsubscribe.done", { email: outcome.email }) : t("unsubscribe.alreadyDone", { email: outcome.email }),
    token,
    canUndo: true,
  };
}

// The link in every bulletin: one click unsubscribes, and the page offers to undo it.
export async function loader({ request }: LoaderFunctionArgs) {
  const outcome = await unsubscribe(request, readToken(request));
  return json(outcome, { status: outcome.ok ? 200 : 400 });
}

/**
 * POST: the mail program's one-click unsubscribe (RFC 8058: body "List-Unsubscribe=One-Click",
 * token in the URL of the List-Unsubscribe header), or the page's "keep me subscribed" button.
 */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  if (form.get("List-Unsubscribe") === "One-Click") {
    const outcome = await unsubscribe(request, readToken(request));
    return new Response(outcome.message, { status: outcome.ok ? 200 : 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const t = await i18nServer.getFixedT(request, "bulletin");
  const token = readToken(request, form.get("token"));
  if (form.get("intent") !== "resubscribe" || token === null) {
    return json({ ok: false, message: t("unsubscribe.invalid"), token: null, canUndo: false } satisfies Outcome, { status: 400 });
  }
  const outcome = await resubscribeToBulletin({ token, now: new Date() });
  if (!outcome.ok) return json({ ok: false, message: t("unsubscribe.invalid"), token: null, canUndo: false } satisfies Outcome, { status: 400 });
  return json({ ok: true, message: t("unsubscribe.resubscribed", { email: outcome.email }), token, canUndo: false } satisfies Outcome);
}

export default function UnsubscribePage() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { ok, message, token, canUndo } = actionData ?? loaderData;
  const { t } = useTranslation("bulletin");
  return (
    <div className="container stack">
      <h1>{t("unsubscribe.title")}</h1>
      <div className={ok ? "alert alert--success" : "alert alert--danger"} role={ok ? "status" : "alert"} data-testid="subscription-outcome">
        {message}
      </div>
      {canUndo && token ? (
        <Form method="post" action="/bulletin/unsubscribe">
          <input type="hidden" name="token" value={token} />
          <button type="submit" name="intent" value="resubscribe" className="button button--secondary">
            {t("unsubscribe.undo")}
          </button>
        </Form>
      ) : null}
      <p>
        <Link to="/bulletin">{t("issue.backToArchive")}</Link>
      </p>
    </div>
  );
}

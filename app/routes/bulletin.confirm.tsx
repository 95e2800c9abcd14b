import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { i18nServer } from "~/i18n/i18next.server";
import { confirmBulletinSubscription } from "~/models/bulletin.server";
import { tokenSchema } from "~/schemas/bulletin";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Enlace` : "Enlace" }, { name: "robots", content: "noindex" }];

// The link in the confirmation mail: opening it is the opt-in.
export async function loader({ request }: LoaderFunctionArgs) {
  const t = await i18nServer.getFixedT(request, "bulletin");
  const token = tokenSchema.safeParse(new URL(request.url).searchParams.get("token"));
  const outcome = token.success ? await confirmBulletinSubscription({ token: token.data, now: new Date() }) : { ok: false as const };
  if (!outcome.ok) return json({ title: t("confirm.title"), ok: false, message: t("confirm.invalid") }, { status: 400 });
  const message = outcome.changed ? t("confirm.confirmed", { email: outcome.email }) : t("confirm.alreadyConfirmed", { email: outcome.email });
  return json({ title: t("confirm.title"), ok: true, message });
}

export default function ConfirmSubscriptionPage() {
  const { ok, message } = useLoaderData<typeof loader>();
  const { t } = useTranslation("bulletin");
  return (
    <div className="container stack">
      <h1>{t("confirm.title")}</h1>
      <div className={ok ? "alert alert--success" : "alert alert--danger"} role={ok ? "status" : "alert"} data-testid="subscription-outcome">
        {message}
      </div>
      <p>
        <Link to="/bulletin">{t("issue.backToArchive")}</Link>
      </p>
    </div>
  );
}

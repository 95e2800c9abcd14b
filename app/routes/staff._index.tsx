import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getFlash } from "~/auth/flash.server";
import { requireStaff } from "~/auth/guards.server";
import { FlashMessage } from "~/components/flash";
import { i18nServer } from "~/i18n/i18next.server";
import { countPendingAccounts } from "~/models/user.server";

const STAFF_TOOLS = [
  { key: "bulletin", to: "/staff/bulletin" },
  { key: "mail", to: "/staff/mail" },
  { key: "stale", to: "/staff/stale" },
] as const;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Enlace` : "Enlace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const [t, { flash, headers }, pendingAccounts] = await Promise.all([
    i18nServer.getFixedT(request, "auth"),
    getFlash(request),
    countPendingAccounts(),
  ]);
  return json({ title: t("staff.title"), flash, pendingAccounts }, { headers });
}

export default function StaffHomePage() {
  const { flash, pendingAccounts } = useLoaderData<typeof loader>();
  const { t } = useTranslation("auth");
  const { t: tx } = useTranslation("exchange");
  const { t: tb } = useTranslation("brokering");
  return (
    <div className="container stack">
      <FlashMessage flash={flash} />
      <h1>{t("staff.title")}</h1>
      <p className="muted">{t("staff.intro")}</p>
      <ul className="card-list">
        <li className="card">
          <h2 className="card__title">{t("review.title")}</h2>
          <p data-testid="pending-accounts-count">{t("staff.pendingAccounts", { count: pendingAccounts })}</p>
          <Link to="/staff/accounts" className="button button--secondary">
            {t("staff.reviewAccounts")}
          </Link>
        </li>
        <li className="card">
          <h2 className="card__title">{tx("staff.cardTitle")}</h2>
          <p>{tx("staff.cardText")}</p>
          <Link to="/staff/exchange" className="button button--secondary" aria-label={`${tx("staff.open")}: ${tx("staff.cardTitle")}`}>
            {tx("staff.open")}
          </Link>
        </li>
        <li className="card">
          <h2 className="card__title">{tb("staffTool.title")}</h2>
          <p>{tb("staffTool.text")}</p>
          <Link to="/staff/pairings" className="button button--secondary" aria-label={`${t("staff.open")}: ${tb("staffTool.title")}`}>
            {t("staff.open")}
          </Link>
        </li>
        {STAFF_TOOLS.map((tool) => (
          <li key={tool.to} className="card">
            <h2 className="card__title">{t(`staff.${tool.key}Title`)}</h2>
            <p>{t(`staff.${tool.key}Text`)}</p>
            <Link to={tool.to} className="button button--secondary" aria-label={`${t("staff.open")}: ${t(`staff.${tool.key}Title`)}`}>
              {t("staff.open")}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

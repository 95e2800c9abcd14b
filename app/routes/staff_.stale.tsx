import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getFlash } from "~/auth/flash.server";
import { requireStaff } from "~/auth/guards.server";
import { RecordTable } from "~/components/catalogue/record-table";
import { FlashMessage } from "~/components/flash";
import { i18nServer } from "~/i18n/i18next.server";
import { listStaleRecords } from "~/models/catalogue.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Enlace` : "Enlace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const locale = await i18nServer.getLocale(request);
  const [t, stale, { flash, headers }] = await Promise.all([
    i18nServer.getFixedT(request, "catalogue"),
    listStaleRecords({ actor: user, scope: "all", locale }),
    getFlash(request),
  ]);
  return json({ title: t("staff.staleTitle"), stale, flash }, { headers });
}

export default function StaffStalePage() {
  const { stale, flash } = useLoaderData<typeof loader>();
  const { t } = useTranslation("catalogue");
  return (
    <div className="container stack">
      <FlashMessage flash={flash} />
      <header>
        <h1>{t("staff.staleTitle")}</h1>
        <p className="muted page-header__lead">{t("staff.staleLead")}</p>
      </header>
      <section aria-labelledby="stale-offers-heading" className="stack">
        <h2 id="stale-offers-heading">{t("organization.offers")}</h2>
        {stale.offers.length === 0 ? (
          <p className="empty-state">{t("staff.noStale")}</p>
        ) : (
          <RecordTable kind="offer" rows={stale.offers} caption={t("organization.offers")} showOrganization confirmRedirectTo="/staff/stale" />
        )}
      </section>
      <section aria-labelledby="stale-requests-heading" className="stack">
        <h2 id="stale-requests-heading">{t("organization.requests")}</h2>
        {stale.requests.length === 0 ? (
          <p className="empty-state">{t("staff.noStale")}</p>
        ) : (
          <RecordTable
            kind="request"
            rows={stale.requests}
            caption={t("organization.requests")}
            showOrganization
            confirmRedirectTo="/staff/stale"
          />
        )}
      </section>
    </div>
  );
}

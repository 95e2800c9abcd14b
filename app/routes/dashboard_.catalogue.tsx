import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getFlash } from "~/auth/flash.server";
import { requireUser } from "~/auth/guards.server";
import { RecordTable } from "~/components/catalogue/record-table";
import { FlashMessage } from "~/components/flash";
import { i18nServer } from "~/i18n/i18next.server";
import { listOrganizationRecords, listStaleRecords } from "~/models/catalogue.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Enlace` : "Enlace" }];

const HERE = "/dashboard/catalogue";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!user.organizationId) throw new Response("Only members of an organization have a catalogue", { status: 403 });
  const locale = await i18nServer.getLocale(request);
  const [t, records, stale, { flash, headers }] = await Promise.all([
    i18nServer.getFixedT(request, "catalogue"),
    listOrganizationRecords({ actor: user, locale }),
    listStaleRecords({ actor: user, scope: "organization", locale }),
    getFlash(request),
  ]);
  return json({ title: t("dashboard.title"), ...records, stale, verified: user.status === "active", flash }, { headers });
}

export default function DashboardCataloguePage() {
  const { offers, requests, stale, verified, flash } = useLoaderData<typeof loader>();
  const { t } = useTranslation("catalogue");
  const staleCount = stale.offers.length + stale.requests.length;
  return (
    <div className="container stack">
      <FlashMessage flash={flash} />
      <header className="page-header">
        <div>
          <h1>{t("dashboard.title")}</h1>
          <p className="muted page-header__lead">{t("dashboard.lead")}</p>
        </div>
        <div className="cluster">
          <Link to="/offers/new" className="button button--primary">
            {t("offers.newOffer")}
          </Link>
          <Link to="/requests/new" className="button button--secondary">
            {t("requests.newRequest")}
          </Link>
        </div>
      </header>
      {verified ? null : <p className="alert alert--warning">{t("errors.pendingCannotPublish")}</p>}

      <section aria-labelledby="stale-heading" className={staleCount > 0 ? "card stack stale-panel" : "card stack"} data-testid="stale-panel">
        <h2 id="stale-heading">{t("dashboard.staleTitle")}</h2>
        {staleCount === 0 ? (
          <p className="muted">{t("dashboard.noStale")}</p>
        ) : (
          <>
            <p>{t("dashboard.staleLead")}</p>
            {stale.offers.length > 0 ? (
              <RecordTable kind="offer" rows={stale.offers} caption={t("dashboard.offers")} confirmRedirectTo={verified ? HERE : undefined} />
            ) : null}
            {stale.requests.length > 0 ? (
              <RecordTable kind="request" rows={stale.requests} caption={t("dashboard.requests")} confirmRedirectTo={verified ? HERE : undefined} />
            ) : null}
          </>
        )}
      </section>

      <section aria-labelledby="own-offers-heading" className="stack">
        <h2 id="own-offers-heading">{t("dashboard.offers")}</h2>
        {offers.length === 0 ? (
          <p className="empty-state">{t("offers.emptyOwn")}</p>
        ) : (
          <RecordTable kind="offer" rows={offers} caption={t("dashboard.offers")} />
        )}
      </section>

      <section aria-labelledby="own-requests-heading" className="stack">
        <h2 id="own-requests-heading">{t("dashboard.requests")}</h2>
        {requests.length === 0 ? (
          <p className="empty-state">{t("requests.emptyOwn")}</p>
        ) : (
          <RecordTable kind="request" rows={requests} caption={t("dashboard.requests")} />
        )}
      </section>
    </div>
  );
}

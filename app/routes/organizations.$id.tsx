import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getOptionalUser } from "~/auth/session.server";
import { useCatalogueFormat } from "~/components/catalogue/format";
import { OfferCardList, RequestCardList } from "~/components/catalogue/record-cards";
import { i18nServer } from "~/i18n/i18next.server";
import { CooperationList } from "~/components/brokering/cooperation-list";
import { getOrganizationCatalogue } from "~/models/catalogue.server";
import { listOrganizationCooperations } from "~/models/cooperation.server";
import { isStaff } from "~/models/offer-rules";
import { recordIdSchema } from "~/schemas/offer";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.organization.name} · Enlace` : "Enlace" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = recordIdSchema.safeParse(params.id);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const [user, locale] = await Promise.all([getOptionalUser(request), i18nServer.getLocale(request)]);
  const page = await getOrganizationCatalogue({ id: id.data, viewer: user, locale });
  if (!page) throw new Response("Not found", { status: 404 });
  // Members and staff see the organization's drafts too, so they need the status on each card.
  const insider = isStaff(user) || user?.organizationId === id.data;
  const cooperations = await listOrganizationCooperations({ organizationId: id.data, locale });
  return json({ ...page, insider, cooperations });
}

export default function OrganizationPage() {
  const { organization, offers, requests, canSeeRequests, insider, cooperations } = useLoaderData<typeof loader>();
  const { t } = useTranslation("catalogue");
  const format = useCatalogueFormat();
  return (
    <div className="container stack">
      <header className="record-header">
        <div className="record-card__badges">
          <span className={organization.verificationStatus === "verified" ? "badge badge--success" : "badge"}>
            {organization.verificationStatus === "verified" ? t("organization.verified") : t("organization.notVerified")}
          </span>
        </div>
        <h1>{organization.name}</h1>
        <p className="record-header__meta">
          {format.label("organizationType", organization.type)}
          {" · "}
          <Link to={`/countries/${organization.countryCode}`}>{organization.countryName}</Link>
          {organization.website ? (
            <>
              {" · "}
              <a href={organization.website} rel="noopener noreferrer">
                {t("fields.website")}
              </a>
            </>
          ) : null}
        </p>
      </header>
      <section aria-labelledby="organization-offers" className="stack">
        <h2 id="organization-offers">{t("organization.offers")}</h2>
        <OfferCardList offers={offers} emptyText={t("organization.noOffers")} headingLevel={3} showStatus={insider} />
      </section>
      <section aria-labelledby="organization-requests" className="stack">
        <h2 id="organization-requests">{t("organization.requests")}</h2>
        {canSeeRequests ? (
          <RequestCardList requests={requests} emptyText={t("organization.noRequests")} headingLevel={3} showStatus={insider} />
        ) : (
          <p className="muted">{t("organization.requestsHidden")}</p>
        )}
      </section>
      <CooperationList cooperations={cooperations} headingId="organization-cooperations" />
    </div>
  );
}

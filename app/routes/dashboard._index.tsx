import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getFlash } from "~/auth/flash.server";
import { isStaff, requireUser } from "~/auth/guards.server";
import { FlashMessage } from "~/components/flash";
import { i18nServer } from "~/i18n/i18next.server";
import { CooperationList } from "~/components/brokering/cooperation-list";
import { messageLocale } from "~/mail/messages";
import { listOrganizationCooperations } from "~/models/cooperation.server";
import { getOrganizationSummary } from "~/models/organization.server";
import { listOrganizationPairings } from "~/models/pairing.server";
import { isVocabularyCode, vocabularyLabel } from "~/schemas/vocabulary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Enlace` : "Enlace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const locale = await i18nServer.getLocale(request);
  const organizationId = user.organizationId;
  const [t, { flash, headers }, organization, pairings, cooperations] = await Promise.all([
    i18nServer.getFixedT(request, "auth"),
    getFlash(request),
    organizationId ? getOrganizationSummary({ organizationId, locale }) : null,
    // Only pairings staff confirmed, and only this organization's (listOrganizationPairings scopes both).
    organizationId ? listOrganizationPairings({ organizationId, locale: messageLocale(locale) }) : Promise.resolve([]),
    organizationId ? listOrganizationCooperations({ organizationId, locale }) : Promise.resolve([]),
  ]);
  return json(
    {
      title: t("dashboard.title", { name: user.name }),
      flash,
      pairings,
      cooperations,
      user: { name: user.name, email: user.email, status: user.status, isStaff: isStaff(user) },
      organization: organization
        ? {
            name: organization.name,
            countryName: organization.countryName,
            typeLabel: isVocabularyCode("organizationType", organization.type)
              ? vocabularyLabel("organizationType", organization.type, locale)
              : organization.type,
            verificationStatus: organization.verificationStatus,
          }
        : null,
    },
    { headers },
  );
}

const VERIFICATION_BADGE = {
  pending: "badge badge--warning",
  verified: "badge badge--success",
  refused: "badge badge--danger",
} as const;

export default function DashboardPage() {
  const { title, flash, user, organization, pairings, cooperations } = useLoaderData<typeof loader>();
  const { t } = useTranslation("auth");
  const { t: tb } = useTranslation("brokering");
  const { t: tx } = useTranslation("exchange");
  return (
    <div className="container stack">
      <FlashMessage flash={flash} />
      <h1>{title}</h1>

      {user.status === "pending" ? (
        <div className="alert alert--warning" data-testid="pending-notice">
          <h2>{t("dashboard.pendingTitle")}</h2>
          <p>{t("dashboard.pendingBody")}</p>
        </div>
      ) : null}

      <div className="grid-2">
        <section className="card" aria-labelledby="organization-title" data-testid="organization-card">
          <h2 id="organization-title" className="card__title">
            {t("dashboard.organizationTitle")}
          </h2>
          {organization ? (
            <>
              <p>
                <strong>{organization.name}</strong>
              </p>
              <dl>
                <dt>{t("dashboard.country")}</dt>
                <dd>{organization.countryName}</dd>
                <dt>{t("dashboard.type")}</dt>
                <dd>{organization.typeLabel}</dd>
                <dt>{t("dashboard.verification")}</dt>
                <dd>
                  <span className={VERIFICATION_BADGE[organization.verificationStatus]}>
                    {t(`verificationStatus.${organization.verificationStatus}`)}
                  </span>
                </dd>
              </dl>
              <p>
                <Link to="/dashboard/catalogue" className="button button--secondary">
                  {t("dashboard.catalogueLink")}
                </Link>{" "}
                <Link to="/dashboard/import">{tx("member.dashboardLink")}</Link>
              </p>
            </>
          ) : (
            <p className="muted">{t("dashboard.noOrganization")}</p>
          )}
        </section>

        <section className="card" aria-labelledby="account-title">
          <h2 id="account-title" className="card__title">
            {t("dashboard.accountTitle")}
          </h2>
          <p className="card__meta">
            {user.name} · {user.email}
          </p>
          <p>
            <Link to="/account/password">{t("dashboard.changePassword")}</Link>
          </p>
        </section>

        {user.isStaff ? (
          <section className="card" aria-labelledby="staff-title">
            <h2 id="staff-title" className="card__title">
              {t("dashboard.staffTitle")}
            </h2>
            <ul>
              <li>
                <Link to="/staff">{t("dashboard.staffHome")}</Link>
              </li>
              <li>
                <Link to="/staff/accounts">{t("dashboard.reviewAccounts")}</Link>
              </li>
              <li>
                <Link to="/staff/pairings">{tb("staffTool.title")}</Link>
              </li>
            </ul>
          </section>
        ) : null}
      </div>

      {organization ? (
        <>
          <section aria-labelledby="pairings-title" className="stack" data-testid="dashboard-pairings">
            <h2 id="pairings-title">{tb("lists.pairings")}</h2>
            {pairings.length === 0 ? (
              <p className="empty-state">{tb("lists.noPairings")}</p>
            ) : (
              <ul className="link-list">
                {pairings.map((pairing) => (
                  <li key={pairing.id}>
                    <Link to={pairing.cooperation ? `/cooperations/${pairing.cooperation.id}` : `/pairings/${pairing.id}`}>
                      {pairing.offer.title} → {pairing.request.title}
                    </Link>{" "}
                    <span className="badge">{tb(`status.${pairing.status}`)}</span>
                    {pairing.status === "confirmed" && pairing.ownAnswer === "pending" ? (
                      <span className="badge badge--warning"> {tb("lists.answerNeeded")}</span>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <CooperationList cooperations={cooperations} headingId="dashboard-cooperations" />
        </>
      ) : null}
    </div>
  );
}

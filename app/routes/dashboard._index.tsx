import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getFlash } from "~/auth/flash.server";
import { isStaff, requireUser } from "~/auth/guards.server";
import { FlashMessage } from "~/components/flash";
import { i18nServer } from "~/i18n/i18next.server";
import { getOrganizationSummary } from "~/models/organization.server";
import { isVocabularyCode, vocabularyLabel } from "~/schemas/vocabulary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Enlace` : "Enlace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const locale = await i18nServer.getLocale(request);
  const [t, { flash, headers }, organization] = await Promise.all([
    i18nServer.getFixedT(request, "auth"),
    getFlash(request),
    user.organizationId ? getOrganizationSummary({ organizationId: user.organizationId, locale }) : null,
  ]);
  return json(
    {
      title: t("dashboard.title", { name: user.name }),
      flash,
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
  const { title, flash, user, organization } = useLoaderData<typeof loader>();
  const { t } = useTranslation("auth");
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
                </Link>
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
            </ul>
          </section>
        ) : null}
      </div>
    </div>
  );
}

import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireActiveMember, requireUser } from "~/auth/guards.server";
import { ImportReport } from "~/components/exchange/import-report";
import { ExchangeUploadForm } from "~/components/exchange/upload-form";
import { i18nServer } from "~/i18n/i18next.server";
import { getOrganizationKey } from "~/models/exchange.server";
import { importUploadedCatalogue } from "~/utils/exchange-upload.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Enlace` : "Enlace" }];

function noOrganization(): Response {
  return new Response("Only members of an organization can import records", { status: 403 });
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!user.organizationId) throw noOrganization();
  const [t, organizationKey] = await Promise.all([
    i18nServer.getFixedT(request, "exchange"),
    getOrganizationKey({ organizationId: user.organizationId }),
  ]);
  return json({ title: t("member.title"), organizationKey, verified: user.status === "active" });
}

export async function action({ request }: ActionFunctionArgs) {
  // Importing publishes: a pending account may only draft, so it waits for verification.
  const member = await requireActiveMember(request);
  // Always in member scope, staff included: this page imports one organization's records.
  const outcome = await importUploadedCatalogue({
    request,
    actor: { userId: member.id, organizationId: member.organizationId, role: "member" },
  });
  return json({ result: outcome.result, report: outcome.report }, { status: outcome.status });
}

export default function DashboardImportPage() {
  const { organizationKey, verified } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("exchange");
  const { t: tc } = useTranslation("catalogue");
  return (
    <div className="container stack">
      <p>
        <Link to="/dashboard/catalogue">← {tc("dashboard.title")}</Link>
      </p>
      <header className="page-header">
        <div>
          <h1>{t("member.title")}</h1>
          <p className="muted page-header__lead">{t("member.lead")}</p>
        </div>
      </header>
      {actionData?.report ? <ImportReport report={actionData.report} /> : null}
      <section className="card stack" aria-labelledby="upload-title">
        <h2 id="upload-title" className="card__title">
          {t("upload.title")}
        </h2>
        <p>{t("member.scope", { key: organizationKey })}</p>
        {verified ? (
          <ExchangeUploadForm id="member-exchange-upload" lastResult={actionData?.result} />
        ) : (
          <p className="alert alert--warning">{t("member.pending")}</p>
        )}
      </section>
      <section className="card stack" aria-labelledby="export-title">
        <h2 id="export-title" className="card__title">
          {t("member.exportTitle")}
        </h2>
        <p>{t("member.exportText")}</p>
        <p>
          <a href="/dashboard/import/export" className="button button--secondary" download>
            {t("member.exportButton")}
          </a>
        </p>
      </section>
    </div>
  );
}

import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireStaff } from "~/auth/guards.server";
import { ImportReport } from "~/components/exchange/import-report";
import { ExchangeUploadForm } from "~/components/exchange/upload-form";
import { i18nServer } from "~/i18n/i18next.server";
import { importUploadedCatalogue } from "~/utils/exchange-upload.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Enlace` : "Enlace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const t = await i18nServer.getFixedT(request, "exchange");
  return json({ title: t("staff.title") });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const outcome = await importUploadedCatalogue({
    request,
    actor: { userId: user.id, organizationId: user.organizationId, role: user.role },
  });
  return json({ result: outcome.result, report: outcome.report }, { status: outcome.status });
}

export default function StaffExchangePage() {
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("exchange");
  return (
    <div className="container stack">
      <header className="page-header">
        <div>
          <h1>{t("staff.title")}</h1>
          <p className="muted page-header__lead">{t("staff.lead")}</p>
        </div>
      </header>
      {actionData?.report ? <ImportReport report={actionData.report} /> : null}
      <section className="card stack" aria-labelledby="upload-title">
        <h2 id="upload-title" className="card__title">
          {t("upload.title")}
        </h2>
        <ExchangeUploadForm id="staff-exchange-upload" lastResult={actionData?.result} />
      </section>
      <section className="card stack" aria-labelledby="export-title">
        <h2 id="export-title" className="card__title">
          {t("staff.exportTitle")}
        </h2>
        <p>{t("staff.exportText")}</p>
        <p>
          <a href="/staff/exchange/export" className="button button--secondary" download>
            {t("staff.exportButton")}
          </a>
        </p>
      </section>
    </div>
  );
}

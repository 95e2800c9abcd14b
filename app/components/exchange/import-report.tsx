import { useTranslation } from "react-i18next";
import { useCatalogueFormat } from "~/components/catalogue/format";

type Counts = { created: number; updated: number; unchanged: number };

export type ImportReportView =
  | { ok: true; counts: { organizations: Counts; offers: Counts; requests: Counts } }
  | { ok: false; errors: string[] };

const SECTIONS = ["organizations", "offers", "requests"] as const;

/** What became of an uploaded exchange file: every problem found, or what was written. */
export function ImportReport({ report }: { report: ImportReportView }) {
  const { t } = useTranslation("exchange");
  const format = useCatalogueFormat();
  if (!report.ok) {
    return (
      <section className="alert alert--danger stack" role="alert" aria-labelledby="import-report-title" data-testid="import-errors">
        <h2 id="import-report-title">{t("report.failedTitle")}</h2>
        <p>{t("report.failedLead", { count: report.errors.length })}</p>
        <p className="muted">{t("report.failedHelp")}</p>
        <ul className="import-report__errors">
          {report.errors.map((error) => (
            <li key={error}>
              <code>{error}</code>
            </li>
          ))}
        </ul>
      </section>
    );
  }
  const total = SECTIONS.reduce((sum, section) => {
    const counts = report.counts[section];
    return sum + counts.created + counts.updated + counts.unchanged;
  }, 0);
  return (
    <section className="alert alert--success stack" role="status" aria-labelledby="import-report-title" data-testid="import-summary">
      <h2 id="import-report-title">{t("report.doneTitle")}</h2>
      <p>{t("report.doneLead", { total: format.number(total) })}</p>
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">{t("report.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("report.type")}</th>
              <th scope="col">{t("report.created")}</th>
              <th scope="col">{t("report.updated")}</th>
              <th scope="col">{t("report.unchanged")}</th>
            </tr>
          </thead>
          <tbody>
            {SECTIONS.map((section) => (
              <tr key={section} data-testid={`summary-${section}`}>
                <th scope="row">{t(`report.${section}`)}</th>
                <td>{format.number(report.counts[section].created)}</td>
                <td>{format.number(report.counts[section].updated)}</td>
                <td>{format.number(report.counts[section].unchanged)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LanguageTag, StaleBadge, StatusBadge } from "~/components/catalogue/badges";
import { useCatalogueFormat } from "~/components/catalogue/format";
import { ConfirmCurrentButton } from "~/components/catalogue/status-actions";

export type RecordRow = {
  id: string;
  title: string;
  language: string;
  status: string;
  stale: boolean;
  lastConfirmedCurrentAt: string | Date;
  organization: { id: string; name: string; countryName: string };
};

/**
 * A compact list of records for their owners and for staff: status, staleness and the last
 * confirmation at a glance, with the one-click confirmation where it is due.
 */
export function RecordTable({
  kind,
  rows,
  caption,
  showOrganization = false,
  confirmRedirectTo,
}: {
  kind: "offer" | "request";
  rows: readonly RecordRow[];
  caption: string;
  showOrganization?: boolean;
  /** When set, stale rows get a "confirm still current" button that comes back to this page. */
  confirmRedirectTo?: string;
}) {
  const { t } = useTranslation("catalogue");
  const format = useCatalogueFormat();
  const base = kind === "offer" ? "/offers" : "/requests";
  return (
    <div className="table-wrap">
      <table className="table record-table" data-testid={`${kind}-table`}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("fields.title")}</th>
            {showOrganization ? <th scope="col">{t("fields.organization")}</th> : null}
            <th scope="col">{t("fields.status")}</th>
            <th scope="col">{t("fields.lastConfirmed")}</th>
            {confirmRedirectTo ? (
              <th scope="col">
                <span className="visually-hidden">{t("actions.heading")}</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td data-label={t("fields.title")}>
                <Link to={`${base}/${row.id}`} lang={row.language}>
                  {row.title}
                </Link>{" "}
                <LanguageTag language={row.language} />
              </td>
              {showOrganization ? (
                <td data-label={t("fields.organization")}>
                  <Link to={`/organizations/${row.organization.id}`}>{row.organization.name}</Link>
                  <br />
                  <span className="muted">{row.organization.countryName}</span>
                </td>
              ) : null}
              <td data-label={t("fields.status")}>
                <span className="cluster">
                  <StatusBadge kind={kind} status={row.status} />
                  {row.stale ? <StaleBadge /> : null}
                </span>
              </td>
              <td data-label={t("fields.lastConfirmed")}>
                <time dateTime={new Date(row.lastConfirmedCurrentAt).toISOString()}>{format.date(row.lastConfirmedCurrentAt)}</time>
              </td>
              {confirmRedirectTo ? (
                <td>{row.stale ? <ConfirmCurrentButton kind={kind} id={row.id} title={row.title} redirectTo={confirmRedirectTo} /> : null}</td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

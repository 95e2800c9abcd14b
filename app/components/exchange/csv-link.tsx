import { useTranslation } from "react-i18next";

/** A download of the listed records as CSV, with the page's filters (every page of results). */
export function CsvDownloadLink({ path, filters }: { path: "/offers.csv" | "/requests.csv"; filters: Record<string, string | undefined> }) {
  const { t } = useTranslation("exchange");
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value) query.set(name, value);
  const search = query.toString();
  return (
    <p className="csv-download">
      {/* A plain link: the file is a download, not a page for the router. */}
      <a href={search ? `${path}?${search}` : path} download data-testid="csv-download" title={t("csv.hint")}>
        {t("csv.download")}
      </a>
    </p>
  );
}

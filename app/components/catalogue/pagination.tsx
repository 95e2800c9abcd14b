import { Link, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useCatalogueFormat } from "~/components/catalogue/format";

/** Previous and next links that keep the list's filters in the URL. */
export function Pagination({ page, pageCount }: { page: number; pageCount: number }) {
  const { t } = useTranslation("catalogue");
  const format = useCatalogueFormat();
  const location = useLocation();
  if (pageCount <= 1) return null;
  const hrefFor = (target: number) => {
    const params = new URLSearchParams(location.search);
    if (target === 1) params.delete("page");
    else params.set("page", String(target));
    const query = params.toString();
    return query ? `${location.pathname}?${query}` : location.pathname;
  };
  return (
    <nav className="pagination" aria-label={t("pagination.label")}>
      {page > 1 ? (
        <Link to={hrefFor(page - 1)} className="button button--ghost" rel="prev">
          ← {t("pagination.previous")}
        </Link>
      ) : null}
      <span className="pagination__status" aria-current="page">
        {t("pagination.pageOf", { page: format.number(page), pageCount: format.number(pageCount) })}
      </span>
      {page < pageCount ? (
        <Link to={hrefFor(page + 1)} className="button button--ghost" rel="next">
          {t("pagination.next")} →
        </Link>
      ) : null}
    </nav>
  );
}

import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useCatalogueFormat } from "~/components/catalogue/format";

export type CooperationListItem = {
  id: string;
  status: "planned" | "in_progress" | "completed" | "cancelled";
  offer: { id: string; title: string };
  requester: { id: string; name: string; countryName: string };
  provider: { id: string; name: string; countryName: string };
  averageRating: number | null;
};

/** Cooperations with both partners and their status, for country, organization and dashboard pages. */
export function CooperationList({
  cooperations,
  headingId,
  headingLevel = 2,
}: {
  cooperations: readonly CooperationListItem[];
  headingId: string;
  headingLevel?: 2 | 3;
}) {
  const { t } = useTranslation("brokering");
  const format = useCatalogueFormat();
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <section aria-labelledby={headingId} className="stack" data-testid="cooperations">
      <Heading id={headingId}>
        {t("lists.cooperations")} <span className="muted">({format.number(cooperations.length)})</span>
      </Heading>
      {cooperations.length === 0 ? (
        <p className="empty-state">{t("lists.noCooperations")}</p>
      ) : (
        <ul className="link-list">
          {cooperations.map((cooperation) => (
            <li key={cooperation.id}>
              <Link to={`/cooperations/${cooperation.id}`}>{cooperation.offer.title}</Link>{" "}
              <span className="badge">{t(`cooperationStatus.${cooperation.status}`)}</span>{" "}
              <span className="muted">
                ·{" "}
                {t("lists.with", {
                  provider: cooperation.provider.name,
                  providerCountry: cooperation.provider.countryName,
                  requester: cooperation.requester.name,
                  requesterCountry: cooperation.requester.countryName,
                })}
                {cooperation.averageRating !== null ? ` · ${t("lists.averageRating", { rating: cooperation.averageRating.toFixed(1) })}` : ""}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

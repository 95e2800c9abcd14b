import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { EvidenceLevel } from "~/models/offer-rules";
import { EvidenceBadge, LanguageTag, StaleBadge, StatusBadge } from "~/components/catalogue/badges";
import { useCatalogueFormat } from "~/components/catalogue/format";
import { VocabularyChips } from "~/components/catalogue/vocabulary-chips";

type CardOrganization = { id: string; name: string; countryCode: string; countryName: string };

export type OfferCardData = {
  id: string;
  title: string;
  summary: string;
  language: string;
  themes: string[];
  status: string;
  evidenceLevel: EvidenceLevel;
  lastConfirmedCurrentAt: string | Date;
  stale: boolean;
  organization: CardOrganization;
};

export type RequestCardData = {
  id: string;
  title: string;
  summary: string;
  language: string;
  themes: string[];
  status: string;
  desiredStart: string | null;
  desiredEnd: string | null;
  lastConfirmedCurrentAt: string | Date;
  stale: boolean;
  organization: CardOrganization;
};

type CardOptions = {
  /** Owners' and staff's lists show the status; public lists only hold published records. */
  showStatus?: boolean;
  headingLevel?: 2 | 3;
};

function Heading({ level, children }: { level: 2 | 3; children: React.ReactNode }) {
  return level === 2 ? <h2 className="record-card__title">{children}</h2> : <h3 className="record-card__title">{children}</h3>;
}

function OrganizationLine({ organization }: { organization: CardOrganization }) {
  return (
    <p className="record-card__meta">
      <Link to={`/organizations/${organization.id}`}>{organization.name}</Link>
      {" · "}
      <Link to={`/countries/${organization.countryCode}`}>{organization.countryName}</Link>
    </p>
  );
}

export function OfferCard({ offer, showStatus = false, headingLevel = 2 }: { offer: OfferCardData } & CardOptions) {
  const { t } = useTranslation("catalogue");
  return (
    <article className="card record-card" data-testid="offer-card">
      <div className="record-card__badges">
        <EvidenceBadge level={offer.evidenceLevel} />
        {showStatus ? <StatusBadge kind="offer" status={offer.status} /> : null}
        {offer.stale ? <StaleBadge /> : null}
        <LanguageTag language={offer.language} />
      </div>
      <Heading level={headingLevel}>
        <Link to={`/offers/${offer.id}`} lang={offer.language}>
          {offer.title}
        </Link>
      </Heading>
      <OrganizationLine organization={offer.organization} />
      <p className="record-card__summary" lang={offer.language}>
        {offer.summary}
      </p>
      <VocabularyChips vocabulary="theme" codes={offer.themes} label={t("fields.themes")} />
    </article>
  );
}

export function RequestCard({ request, showStatus = false, headingLevel = 2 }: { request: RequestCardData } & CardOptions) {
  const { t } = useTranslation("catalogue");
  const format = useCatalogueFormat();
  const period = [
    request.desiredStart ? t("requests.from", { date: format.date(request.desiredStart) }) : null,
    request.desiredEnd ? t("requests.until", { date: format.date(request.desiredEnd) }) : null,
  ]
    .filter(Boolean)
    .join(" ");
  return (
    <article className="card record-card" data-testid="request-card">
      <div className="record-card__badges">
        {showStatus ? <StatusBadge kind="request" status={request.status} /> : null}
        {request.stale ? <StaleBadge /> : null}
        <LanguageTag language={request.language} />
      </div>
      <Heading level={headingLevel}>
        <Link to={`/requests/${request.id}`} lang={request.language}>
          {request.title}
        </Link>
      </Heading>
      <OrganizationLine organization={request.organization} />
      <p className="record-card__summary" lang={request.language}>
        {request.summary}
      </p>
      {period ? (
        <p className="record-card__meta">
          {t("requests.period")}: {period}
        </p>
      ) : null}
      <VocabularyChips vocabulary="theme" codes={request.themes} label={t("fields.themes")} />
    </article>
  );
}

export function OfferCardList({ offers, emptyText, ...options }: { offers: OfferCardData[]; emptyText: string } & CardOptions) {
  if (offers.length === 0) return <p className="empty-state">{emptyText}</p>;
  return (
    <ul className="card-list record-grid">
      {offers.map((offer) => (
        <li key={offer.id}>
          <OfferCard offer={offer} {...options} />
        </li>
      ))}
    </ul>
  );
}

export function RequestCardList({
  requests,
  emptyText,
  ...options
}: { requests: RequestCardData[]; emptyText: string } & CardOptions) {
  if (requests.length === 0) return <p className="empty-state">{emptyText}</p>;
  return (
    <ul className="card-list record-grid">
      {requests.map((request) => (
        <li key={request.id}>
          <RequestCard request={request} {...options} />
        </li>
      ))}
    </ul>
  );
}

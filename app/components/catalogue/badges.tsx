import { useTranslation } from "react-i18next";
import type { EvidenceLevel } from "~/models/offer-rules";
import { useCatalogueFormat } from "~/components/catalogue/format";

const EVIDENCE_CLASS: Record<EvidenceLevel, string> = {
  evaluated: "badge badge--success",
  "results-reported": "badge badge--primary",
  described: "badge",
};

export function EvidenceBadge({ level }: { level: EvidenceLevel }) {
  const { t } = useTranslation("catalogue");
  return (
    <span className={EVIDENCE_CLASS[level]} title={t(`evidence.${level}Hint`)} data-testid="evidence-badge">
      <span className="visually-hidden">{t("evidence.label")}: </span>
      {t(`evidence.${level}`)}
    </span>
  );
}

const STATUS_CLASS: Record<string, string> = {
  draft: "badge badge--warning",
  published: "badge badge--success",
  open: "badge badge--success",
  archived: "badge",
  closed: "badge",
};

export function StatusBadge({ kind, status }: { kind: "offer" | "request"; status: string }) {
  const { t } = useTranslation("catalogue");
  const format = useCatalogueFormat();
  return (
    <span className={STATUS_CLASS[status] ?? "badge"} data-testid="status-badge">
      <span className="visually-hidden">{t("fields.status")}: </span>
      {format.label(kind === "offer" ? "offerStatus" : "requestStatus", status)}
    </span>
  );
}

export function StaleBadge() {
  const { t } = useTranslation("catalogue");
  return (
    <span className="badge badge--warning" title={t("stale.explanation")} data-testid="stale-badge">
      {t("stale.badge")}
    </span>
  );
}

/** The language a record's text is written in, e.g. "ES", named in full for screen readers. */
export function LanguageTag({ language }: { language: string }) {
  const { t } = useTranslation("catalogue");
  const format = useCatalogueFormat();
  const name = format.label("language", language);
  return (
    <span className="lang-tag" title={t("content.writtenIn", { language: name })} data-testid="language-tag">
      <span aria-hidden="true">{language}</span>
      <span className="visually-hidden">{t("content.writtenIn", { language: name })}</span>
    </span>
  );
}

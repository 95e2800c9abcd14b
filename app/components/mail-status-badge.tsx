import { useTranslation } from "react-i18next";

const TONE = {
  queued: "badge",
  sent: "badge badge--success",
  captured: "badge badge--primary",
  failed: "badge badge--danger",
} as const;

export function MailStatusBadge({ status }: { status: keyof typeof TONE }) {
  const { t } = useTranslation("mail");
  return <span className={TONE[status]}>{t(`viewer.statuses.${status}`)}</span>;
}

import { useTranslation } from "react-i18next";
import { DEFAULT_UI_LOCALE, INTL_TAG, isUiLocale } from "~/i18n/config";
import { dateTimeFormat } from "~/utils/intl";

export type AuditRow = {
  id: string;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  actorName: string | null;
  note: string | null;
  createdAt: string;
};

/** The audit log of a pairing or cooperation, for staff: read-only, oldest first. */
export function AuditLog({ events, headingId }: { events: readonly AuditRow[]; headingId: string }) {
  const { t, i18n } = useTranslation("brokering");
  const locale = isUiLocale(i18n.language) ? i18n.language : DEFAULT_UI_LOCALE;
  // A code without a label (written by a newer version, say) shows as itself, not as a missing key.
  const statusLabel = (status: string | null) => (status ? t(`audit.statuses.${status}`, { defaultValue: status }) : "—");
  const format = dateTimeFormat(INTL_TAG[locale], { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
  return (
    <section aria-labelledby={headingId} className="stack" data-testid="audit-log">
      <h2 id={headingId}>{t("audit.title")}</h2>
      {events.length === 0 ? (
        <p className="empty-state">{t("audit.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t("audit.when")}</th>
                <th scope="col">{t("audit.who")}</th>
                <th scope="col">{t("audit.what")}</th>
                <th scope="col">{t("audit.change")}</th>
                <th scope="col">{t("audit.note")}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr key={event.id}>
                  <td>{format.format(new Date(event.createdAt))} UTC</td>
                  <td>{event.actorName ?? t("audit.system")}</td>
                  <td>{t(`audit.actions.${event.action}`, { defaultValue: event.action })}</td>
                  <td>{event.fromStatus || event.toStatus ? `${statusLabel(event.fromStatus)} → ${statusLabel(event.toStatus)}` : ""}</td>
                  <td>{event.note}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

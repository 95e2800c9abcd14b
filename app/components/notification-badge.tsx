import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/**
 * The header's link to the notification center, with the unread count. The root loader provides
 * the count with countUnreadNotifications({ userId }) from app/models/notification.server.ts.
 */
export function NotificationBadge({ unread }: { unread: number }) {
  const { t } = useTranslation("mail");
  return (
    <Link to="/notifications" className="button button--ghost notification-badge" aria-label={t("notifications.badgeLabel", { count: unread })}>
      <span aria-hidden="true">{t("notifications.title")}</span>
      {unread > 0 ? (
        <span className="notification-badge__count" aria-hidden="true" data-testid="notification-count">
          {unread > 99 ? "99+" : unread}
        </span>
      ) : null}
    </Link>
  );
}

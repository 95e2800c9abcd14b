import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { getFlash, redirectWithFlash } from "~/auth/flash.server";
import { requireUser } from "~/auth/guards.server";
import { FlashMessage } from "~/components/flash";
import { INTL_TAG, isUiLocale } from "~/i18n/config";
import { i18nServer } from "~/i18n/i18next.server";
import { listNotifications, markNotificationsRead, openNotification } from "~/models/notification.server";
import { safeRedirectPath } from "~/utils/redirect";

const PAGE_SIZE = 30;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Enlace` : "Enlace" }];

const pageSchema = z.coerce.number().int().min(1).max(10_000).catch(1);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const page = pageSchema.parse(url.searchParams.get("page") ?? 1);
  const locale = await i18nServer.getLocale(request);
  const [t, { flash, headers }, result] = await Promise.all([
    i18nServer.getFixedT(request, "mail"),
    getFlash(request),
    listNotifications({ userId: user.id, locale, skip: (page - 1) * PAGE_SIZE, take: PAGE_SIZE }),
  ]);
  const format = new Intl.DateTimeFormat(isUiLocale(locale) ? INTL_TAG[locale] : "en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
  return json(
    {
      title: t("notifications.title"),
      flash,
      page,
      pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)),
      unread: result.unread,
      notifications: result.notifications.map((notification) => ({
        ...notification,
        createdAt: notification.createdAt.toISOString(),
        createdLabel: `${format.format(notification.createdAt)} UTC`,
      })),
    },
    { headers },
  );
}

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("open"), id: z.guid() }),
  z.object({ intent: z.literal("read"), id: z.guid(), redirectTo: z.string().optional() }),
  z.object({ intent: z.literal("read-all"), redirectTo: z.string().optional() }),
]);

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join(".") || "intent";
    return json({ error: `${field}: not a valid value` }, { status: 400 });
  }
  const t = await i18nServer.getFixedT(request, "mail");
  const submission = parsed.data;
  switch (submission.intent) {
    case "open": {
      const opened = await openNotification({ userId: user.id, id: submission.id });
      if (!opened) return redirectWithFlash("/notifications", { type: "warning", text: t("notifications.notFound") });
      return redirectWithFlash(safeRedirectPath(opened.link ?? "/notifications", "/notifications"), { type: "info", text: t("notifications.markedRead") });
    }
    case "read": {
      const changed = await markNotificationsRead({ userId: user.id, ids: [submission.id] });
      const back = safeRedirectPath(submission.redirectTo, "/notifications");
      return changed === 1
        ? redirectWithFlash(back, t("notifications.markedRead"))
        : redirectWithFlash(back, { type: "warning", text: t("notifications.notFound") });
    }
    case "read-all": {
      await markNotificationsRead({ userId: user.id });
      return redirectWithFlash(safeRedirectPath(submission.redirectTo, "/notifications"), t("notifications.markedAllRead"));
    }
  }
}

export default function NotificationsPage() {
  const { flash, notifications, unread, page, pages } = useLoaderData<typeof loader>();
  const { t } = useTranslation("mail");
  const here = page > 1 ? `/notifications?page=${page}` : "/notifications";
  return (
    <div className="container stack">
      <FlashMessage flash={flash} />
      <header className="page-header">
        <div>
          <h1>{t("notifications.title")}</h1>
          <p className="muted">{t("notifications.intro")}</p>
        </div>
        {unread > 0 ? (
          <Form method="post">
            <input type="hidden" name="redirectTo" value={here} />
            <button type="submit" name="intent" value="read-all" className="button button--secondary">
              {t("notifications.markAllRead")}
            </button>
          </Form>
        ) : null}
      </header>
      <p data-testid="unread-count">{t("notifications.unreadCount", { count: unread })}</p>
      {notifications.length === 0 ? <p>{t("notifications.empty")}</p> : null}
      <ul className="card-list notification-list">
        {notifications.map((notification) => (
          <li
            key={notification.id}
            className={notification.read ? "card notification" : "card notification notification--unread"}
            data-testid="notification"
            aria-labelledby={`notification-${notification.id}`}
          >
            <div className="cluster">
              {notification.read ? null : <span className="badge badge--primary">{t("notifications.unread")}</span>}
              <time className="card__meta" dateTime={notification.createdAt}>
                {notification.createdLabel}
              </time>
            </div>
            <h2 id={`notification-${notification.id}`} className="card__title">
              {notification.title}
            </h2>
            {notification.body ? <p>{notification.body}</p> : null}
            <div className="form-actions">
              {notification.link ? (
                <Form method="post">
                  <input type="hidden" name="id" value={notification.id} />
                  <button type="submit" name="intent" value="open" className="button button--primary button--small">
                    {t("notifications.open")}
                  </button>
                </Form>
              ) : null}
              {notification.read ? null : (
                <Form method="post">
                  <input type="hidden" name="id" value={notification.id} />
                  <input type="hidden" name="redirectTo" value={here} />
                  <button type="submit" name="intent" value="read" className="button button--ghost button--small">
                    {t("notifications.markRead")}
                  </button>
                </Form>
              )}
            </div>
          </li>
        ))}
      </ul>
      {pages > 1 ? (
        <nav className="pagination" aria-label={t("notifications.pageOf", { page, pages })}>
          {page > 1 ? <Link to={`/notifications?page=${page - 1}`}>{t("notifications.previous")}</Link> : null}
          <span>{t("notifications.pageOf", { page, pages })}</span>
          {page < pages ? <Link to={`/notifications?page=${page + 1}`}>{t("notifications.next")}</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}

import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { NotificationBadge } from "~/components/notification-badge";
import { UI_LOCALES, type UiLocale } from "~/i18n/config";

type HeaderUser = { id: string; name: string; role: "member" | "staff" | "admin"; status: "pending" | "active" | "refused" };

export function SiteHeader({ user, locale, unread }: { user: HeaderUser | null; locale: string; unread: number }) {
  const { t } = useTranslation();
  const isStaff = user?.role === "staff" || user?.role === "admin";
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        {t("skipToContent")}
      </a>
      <div className="container site-header__bar">
        <Link to="/" className="brand" aria-label={t("appName")}>
          <span className="brand__mark" aria-hidden="true">
            ⟷
          </span>
          <span className="brand__name">{t("appName")}</span>
        </Link>
        <nav aria-label={t("nav.main")} className="site-nav">
          <NavLink to="/offers">{t("nav.offers")}</NavLink>
          {user ? <NavLink to="/requests">{t("nav.requests")}</NavLink> : null}
          <NavLink to="/search">{t("nav.search")}</NavLink>
          <NavLink to="/insights">{t("nav.insights")}</NavLink>
          <NavLink to="/meetings">{t("nav.meetings")}</NavLink>
          <NavLink to="/bulletin">{t("nav.bulletin")}</NavLink>
          {user ? <NavLink to="/dashboard">{t("nav.dashboard")}</NavLink> : null}
          {isStaff ? <NavLink to="/staff/pairings">{t("nav.pairings")}</NavLink> : null}
          {isStaff ? <NavLink to="/staff" end>{t("nav.staff")}</NavLink> : null}
        </nav>
        <div className="site-header__tools">
          <LanguageSwitcher locale={locale} />
          {user ? <NotificationBadge unread={unread} /> : null}
          {user ? (
            <Form method="post" action="/logout">
              <button type="submit" className="button button--ghost">
                {t("nav.logOut")}
              </button>
            </Form>
          ) : (
            <>
              <Link to="/login" className="button button--ghost">
                {t("nav.logIn")}
              </Link>
              <Link to="/signup" className="button button--primary">
                {t("nav.signUp")}
              </Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}

/** A plain form, so switching works without JavaScript; the action stores the choice in a cookie. */
export function LanguageSwitcher({ locale }: { locale: string }) {
  const { t } = useTranslation();
  const location = useLocation();
  const redirectTo = `${location.pathname}${location.search}`;
  return (
    <Form method="post" action="/set-language" className="language-switcher">
      <input type="hidden" name="redirectTo" value={redirectTo} />
      {UI_LOCALES.filter((code: UiLocale) => code !== locale).map((code) => (
        <button key={code} type="submit" name="locale" value={code} className="button button--ghost" lang={code}>
          {t(`language.${code}`)}
        </button>
      ))}
    </Form>
  );
}

export function SiteFooter() {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <div className="container">
        <p>{t("footer.about")}</p>
        <nav aria-label={t("footer.explore")}>
          <ul className="site-footer__links">
            <li>
              <Link to="/bulletin">{t("nav.bulletin")}</Link>
            </li>
            <li>
              <a href="/bulletin/rss.xml">{t("footer.bulletinFeed")}</a>
            </li>
            <li>
              <Link to="/meetings">{t("nav.meetings")}</Link>
            </li>
            <li>
              <Link to="/insights">{t("nav.insights")}</Link>
            </li>
          </ul>
        </nav>
      </div>
    </footer>
  );
}

// First: configures zod before any route module builds a schema.
import "~/utils/zod-jitless";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useChangeLanguage } from "remix-i18next/react";
import { getOptionalUser } from "~/auth/session.server";
import { countUnreadNotifications } from "~/models/notification.server";
import { ErrorPage } from "~/components/error-page";
import { SiteFooter, SiteHeader } from "~/components/layout";
import { i18nServer } from "~/i18n/i18next.server";
import { getPublicEnv } from "~/utils/env.server";
import { useNonce } from "~/utils/nonce-provider";
import appStylesHref from "~/styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: appStylesHref },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Enlace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const [locale, user] = await Promise.all([i18nServer.getLocale(request), getOptionalUser(request)]);
  return json({
    locale,
    user: user ? { id: user.id, name: user.name, role: user.role, status: user.status } : null,
    unread: user ? await countUnreadNotifications({ userId: user.id }) : 0,
    env: getPublicEnv(),
  });
}

export function useRootData() {
  return useRouteLoaderData<typeof loader>("root");
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const locale = data?.locale ?? "en";
  const { i18n } = useTranslation();
  const nonce = useNonce();
  return (
    <html lang={locale} dir={i18n.dir(locale)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const { locale, user, unread } = useLoaderData<typeof loader>();
  useChangeLanguage(locale);
  return (
    <>
      <SiteHeader user={user} locale={locale} unread={unread} />
      <main id="main" className="site-main">
        <Outlet />
      </main>
      <SiteFooter />
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const data = useRouteLoaderData<typeof loader>("root");
  useChangeLanguage(data?.locale ?? "en");
  return (
    <>
      <SiteHeader user={data?.user ?? null} locale={data?.locale ?? "en"} unread={data?.unread ?? 0} />
      <main id="main" className="site-main">
        <ErrorPage status={status} />
      </main>
    </>
  );
}

import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { isStaff } from "~/auth/guards.server";
import { getOptionalUser } from "~/auth/session.server";
import { CountryChart, OrganizationTable } from "~/components/insights/country-chart";
import { flowFilterQuery, parseFlowFilter } from "~/components/insights/filters";
import { FlowMatrixChart } from "~/components/insights/flow-matrix";
import { FunnelChart } from "~/components/insights/funnel-chart";
import insightsStylesHref from "~/components/insights/insights.css";
import { ShareChart } from "~/components/insights/share-chart";
import { SupplyDemandChart } from "~/components/insights/supply-demand-chart";
import { i18nServer } from "~/i18n/i18next.server";
import { messageLocale } from "~/mail/messages";
import {
  getCountryActivity,
  getCountryFlows,
  getFunnel,
  getOrganizationActivity,
  getThemeShare,
  getThemeSupplyDemand,
  listCooperationYears,
  WOMEN_ECONOMIC_EMPOWERMENT,
} from "~/models/insights.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: insightsStylesHref }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.title} · Enlace` : "Enlace" },
  ...(data ? [{ name: "description", content: data.description }] : []),
];

export async function loader({ request }: LoaderFunctionArgs) {
  const { filter, problems } = parseFlowFilter(new URL(request.url).searchParams);
  const [user, rawLocale] = await Promise.all([getOptionalUser(request), i18nServer.getLocale(request)]);
  const locale = messageLocale(rawLocale);
  const staff = isStaff(user);
  const t = await i18nServer.getFixedT(locale, "insights");
  const [themes, flows, years, funnel, women, countries, organizations] = await Promise.all([
    getThemeSupplyDemand(),
    getCountryFlows({ filter, locale }),
    listCooperationYears(),
    getFunnel(),
    getThemeShare({ theme: WOMEN_ECONOMIC_EMPOWERMENT }),
    getCountryActivity({ locale }),
    staff ? getOrganizationActivity({ locale }) : Promise.resolve(null),
  ]);
  return json(
    {
      title: t("page.title"),
      description: t("page.intro"),
      staff,
      themes,
      flows,
      flowFilter: filter,
      flowQuery: flowFilterQuery(filter),
      flowProblems: problems,
      years,
      funnel: { stages: funnel.stages, attrition: staff ? funnel.attrition : null },
      women,
      countries,
      organizations,
    },
    // A bad filter in the address still gets the page (unfiltered, with a message), as a 400.
    { status: problems.length > 0 ? 400 : 200 },
  );
}

export default function InsightsPage() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("insights");
  const sections = [
    ["supply-demand", t("supplyDemand.title")],
    ["flows", t("flows.title")],
    ["funnel", t("funnel.title")],
    ["women-share", t("women.title")],
    ["countries", t("countries.title")],
    ...(data.organizations ? [["organizations", t("organizations.title")]] : []),
  ];
  return (
    <div className="container stack">
      <header className="page-header">
        <div>
          <h1>{t("page.title")}</h1>
          <p className="page-header__lead">{t("page.intro")}</p>
        </div>
      </header>
      {data.staff ? (
        <p className="alert" data-testid="insights-staff-note">
          {t("page.staffNote")}
        </p>
      ) : null}
      <p className="muted">{t("page.definitions")}</p>
      <nav aria-labelledby="insights-contents">
        <h2 id="insights-contents" className="visually-hidden">
          {t("page.contents")}
        </h2>
        <ul className="insight-contents">
          {sections.map(([id, title]) => (
            <li key={id}>
              <a href={`#${id}`}>{title}</a>
            </li>
          ))}
        </ul>
      </nav>
      <SupplyDemandChart themes={data.themes} csvHref="/insights/supply-demand.csv" />
      <FlowMatrixChart
        flows={data.flows}
        filter={data.flowFilter}
        years={data.years}
        problems={data.flowProblems}
        csvHref={`/insights/flows.csv${data.flowQuery}`}
      />
      <FunnelChart funnel={data.funnel} csvHref="/insights/funnel.csv" />
      <ShareChart share={data.women} csvHref="/insights/women-share.csv" />
      <CountryChart countries={data.countries} csvHref="/insights/countries.csv" />
      {data.organizations ? <OrganizationTable organizations={data.organizations} csvHref="/insights/organizations.csv" /> : null}
    </div>
  );
}

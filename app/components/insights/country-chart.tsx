import { max } from "d3-array";
import { scaleBand, scaleLinear } from "d3-scale";
import { useTranslation } from "react-i18next";
import type { CountryActivity, OrganizationActivity } from "~/models/insights.server";
import { ChartFigure, Legend, SvgLabel, svgLabelledBy } from "./chart-figure";
import { numberFormatter, uiLocale } from "./format";
import { MUTED_TEXT_COLOR, SERIES, seriesColor, TEXT_COLOR } from "./palette";

const ID = "countries";
const WIDTH = 360;
const LABEL_HEIGHT = 18;
const BAR_HEIGHT = 10;
const BAR_GAP = 3;
const ROW_HEIGHT = LABEL_HEIGHT + SERIES.length * (BAR_HEIGHT + BAR_GAP) + 10;
const VALUE_ROOM = 30;
/** The chart shows the most active countries; the table lists them all. */
const CHART_LIMIT = 15;

export function CountryChart({ countries, csvHref }: { countries: CountryActivity[]; csvHref: string }) {
  const { t, i18n } = useTranslation("insights");
  const locale = uiLocale(i18n.language);
  const format = numberFormatter(locale);
  const label = seriesLabel(t);

  const topBy = (key: "asProvider" | "asBeneficiary") =>
    countries.reduce<CountryActivity | null>((best, row) => (row[key] > (best?.[key] ?? 0) ? row : best), null);
  const topProvider = topBy("asProvider");
  const topBeneficiary = topBy("asBeneficiary");
  const description =
    countries.length === 0
      ? t("countries.descriptionEmpty")
      : topProvider && topBeneficiary
        ? t("countries.description", {
            countries: format.integer(countries.length),
            topProvider: topProvider.name,
            provided: format.integer(topProvider.asProvider),
            topBeneficiary: topBeneficiary.name,
            received: format.integer(topBeneficiary.asBeneficiary),
          })
        : t("countries.descriptionNoCooperation", { countries: format.integer(countries.length) });

  const charted = countries.slice(0, CHART_LIMIT);
  const height = Math.max(charted.length, 1) * ROW_HEIGHT;
  const y = scaleBand<string>()
    .domain(charted.map((row) => row.code))
    .range([0, height]);
  const x = scaleLinear()
    .domain([0, max(charted, (row) => Math.max(...SERIES.map((series) => row[series]))) ?? 1])
    .nice()
    .range([0, WIDTH - VALUE_ROOM]);

  const chart = (
    <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={svgLabelledBy(ID)} className="insight__svg" data-testid={`${ID}-svg`}>
      <SvgLabel id={ID} title={t("countries.title")} description={description} />
      {charted.map((row) => (
        <g key={row.code} transform={`translate(0,${y(row.code) ?? 0})`} data-country={row.code}>
          <text x={0} y={LABEL_HEIGHT - 4} fontSize={14} fill={TEXT_COLOR} fontWeight={600}>
            {row.name}
          </text>
          {SERIES.map((series, index) => {
            const top = LABEL_HEIGHT + index * (BAR_HEIGHT + BAR_GAP);
            const width = x(row[series]);
            return (
              <g key={series} data-series={series} data-value={row[series]}>
                <rect x={0} y={top} width={width} height={BAR_HEIGHT} fill={seriesColor(series)} />
                <text x={width + 4} y={top + BAR_HEIGHT + 0.5} fontSize={12} fill={MUTED_TEXT_COLOR}>
                  {format.integer(row[series])}
                </text>
              </g>
            );
          })}
        </g>
      ))}
    </svg>
  );

  return (
    <ChartFigure
      id={ID}
      title={t("countries.title")}
      description={description}
      note={countries.length > 0 ? t("countries.chartNote", { count: charted.length }) : t("common.noData")}
      csvHref={csvHref}
      chart={countries.length > 0 ? chart : null}
      legend={<Legend items={SERIES.map((series) => ({ label: label(series), color: seriesColor(series) }))} />}
      table={<ActivityTable rows={countries.map((row) => ({ ...row, key: row.code, label: row.name }))} caption={t("countries.title")} firstColumn={t("countries.country")} />}
    />
  );
}

export function OrganizationTable({ organizations, csvHref }: { organizations: OrganizationActivity[]; csvHref: string }) {
  const { t, i18n } = useTranslation("insights");
  const format = numberFormatter(uiLocale(i18n.language));
  const description = t("organizations.description", { count: organizations.length, total: format.integer(organizations.length) });
  return (
    <ChartFigure
      id="organizations"
      title={t("organizations.title")}
      description={description}
      csvHref={csvHref}
      chart={null}
      openTable
      table={
        <ActivityTable
          rows={organizations.map((row) => ({ ...row, key: row.id, label: `${row.name} (${row.country})` }))}
          caption={t("organizations.title")}
          firstColumn={t("organizations.organization")}
        />
      }
    />
  );
}

function seriesLabel(t: ReturnType<typeof useTranslation<"insights">>["t"]) {
  return (series: (typeof SERIES)[number]) => t(`countries.${series}`);
}

function ActivityTable({
  rows,
  caption,
  firstColumn,
}: {
  rows: Array<{ key: string; label: string; offered: number; requested: number; asProvider: number; asBeneficiary: number }>;
  caption: string;
  firstColumn: string;
}) {
  const { t, i18n } = useTranslation("insights");
  const format = numberFormatter(uiLocale(i18n.language));
  const label = seriesLabel(t);
  return (
    <table className="table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{firstColumn}</th>
          {SERIES.map((series) => (
            <th key={series} scope="col">
              {label(series)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} data-row={row.key}>
            <th scope="row">{row.label}</th>
            {SERIES.map((series) => (
              <td key={series}>{format.integer(row[series])}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

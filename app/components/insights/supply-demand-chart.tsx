import { max } from "d3-array";
import { scaleBand, scaleLinear } from "d3-scale";
import { useTranslation } from "react-i18next";
import type { ThemeSupplyDemand } from "~/models/insights.server";
import { vocabularyLabel } from "~/schemas/vocabulary";
import { supplyDemandRows, supplyDemandSummary, type SupplyDemandRow } from "./analysis";
import { ChartFigure, Legend, SvgLabel, svgLabelledBy } from "./chart-figure";
import { numberFormatter, uiLocale } from "./format";
import { MUTED_TEXT_COLOR, seriesColor, TEXT_COLOR, UNMET_COLOR } from "./palette";

const ID = "supply-demand";
const WIDTH = 360;
const LABEL_HEIGHT = 18;
const BAR_HEIGHT = 13;
const BAR_GAP = 2;
const ROW_HEIGHT = LABEL_HEIGHT + 2 * BAR_HEIGHT + BAR_GAP + 12;
const VALUE_ROOM = 110;

export function SupplyDemandChart({ themes, csvHref }: { themes: ThemeSupplyDemand[]; csvHref: string }) {
  const { t, i18n } = useTranslation("insights");
  const locale = uiLocale(i18n.language);
  const format = numberFormatter(locale);
  const rows = supplyDemandRows(themes);
  const summary = supplyDemandSummary(rows);
  const themeLabel = (row: SupplyDemandRow) => vocabularyLabel("theme", row.theme, locale);

  const description = summary.empty
    ? t("supplyDemand.descriptionEmpty")
    : summary.largestGap
      ? t("supplyDemand.description", {
          unmet: format.integer(summary.unmet),
          themes: format.integer(summary.themesWithDemand),
          gapTheme: themeLabel(summary.largestGap),
          gapRequests: format.integer(summary.largestGap.requests),
          gapOffers: format.integer(summary.largestGap.offers),
        })
      : t("supplyDemand.descriptionNoGap", { themes: format.integer(summary.themesWithDemand) });

  const charted = rows.filter((row) => row.offers > 0 || row.requests > 0);
  const height = Math.max(charted.length, 1) * ROW_HEIGHT;
  const y = scaleBand<string>()
    .domain(charted.map((row) => row.theme))
    .range([0, height]);
  const x = scaleLinear()
    .domain([0, max(charted, (row) => Math.max(row.offers, row.requests)) ?? 1])
    .nice()
    .range([0, WIDTH - VALUE_ROOM]);

  const chart = (
    <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={svgLabelledBy(ID)} className="insight__svg" data-testid={`${ID}-svg`}>
      <SvgLabel id={ID} title={t("supplyDemand.title")} description={description} />
      {charted.map((row) => {
        const top = y(row.theme) ?? 0;
        const mark = row.status === "unmet" ? ` · ${t("supplyDemand.unmetMark")}` : row.status === "short" ? ` · ${t("supplyDemand.shortMark")}` : "";
        const highlighted = row.status === "unmet" || row.status === "short";
        return (
          <g key={row.theme} transform={`translate(0,${top})`} data-theme={row.theme} data-status={row.status}>
            <text x={0} y={LABEL_HEIGHT - 4} fontSize={14} fill={highlighted ? UNMET_COLOR : TEXT_COLOR} fontWeight={highlighted ? 700 : 400}>
              {themeLabel(row)}
            </text>
            {(["offers", "requests"] as const).map((series, index) => {
              const value = row[series];
              const barTop = LABEL_HEIGHT + index * (BAR_HEIGHT + BAR_GAP);
              const width = x(value);
              const color = seriesColor(series === "offers" ? "offered" : "requested");
              return (
                <g key={series}>
                  {value === 0 && series === "offers" && row.requests > 0 ? (
                    <rect x={0.75} y={barTop + 0.75} width={x(row.requests) - 1.5} height={BAR_HEIGHT - 1.5} fill="none" stroke={UNMET_COLOR} strokeDasharray="4 3" strokeWidth={1.5} />
                  ) : (
                    <rect x={0} y={barTop} width={width} height={BAR_HEIGHT} fill={color} />
                  )}
                  <text
                    x={(value === 0 && series === "offers" ? x(row.requests) : width) + 4}
                    y={barTop + BAR_HEIGHT - 1.5}
                    fontSize={13}
                    fill={series === "offers" && highlighted ? UNMET_COLOR : MUTED_TEXT_COLOR}
                    fontWeight={series === "offers" && highlighted ? 700 : 400}
                  >
                    {format.integer(value)}
                    {series === "offers" ? mark : ""}
                  </text>
                </g>
              );
            })}
          </g>
        );
      })}
    </svg>
  );

  const table = (
    <table className="table">
      <caption className="visually-hidden">{t("supplyDemand.title")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("supplyDemand.theme")}</th>
          <th scope="col">{t("supplyDemand.offers")}</th>
          <th scope="col">{t("supplyDemand.requests")}</th>
          <th scope="col">{t("supplyDemand.status")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.theme} data-theme={row.theme}>
            <th scope="row">{themeLabel(row)}</th>
            <td>{format.integer(row.offers)}</td>
            <td>{format.integer(row.requests)}</td>
            <td>{t(`supplyDemand.statuses.${row.status}`)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );

  return (
    <ChartFigure
      id={ID}
      title={t("supplyDemand.title")}
      description={description}
      note={charted.length > 0 ? t("supplyDemand.chartNote") : t("common.noData")}
      csvHref={csvHref}
      chart={charted.length > 0 ? chart : null}
      legend={
        <Legend
          items={[
            { label: t("supplyDemand.offers"), color: seriesColor("offered") },
            { label: t("supplyDemand.requests"), color: seriesColor("requested") },
            { label: t("supplyDemand.statuses.unmet"), color: UNMET_COLOR, pattern: "outline" },
          ]}
        />
      }
      table={table}
    />
  );
}

import { Form } from "@remix-run/react";
import { scaleBand, scaleSequential } from "d3-scale";
import { interpolateBlues } from "d3-scale-chromatic";
import { useTranslation } from "react-i18next";
import type { CountryFlow } from "~/models/insights.server";
import { vocabularyLabel, vocabularyOptions } from "~/schemas/vocabulary";
import { cellKey, flowMatrix, OTHER_COUNTRIES } from "./analysis";
import { ChartFigure, SvgLabel, svgLabelledBy, Swatch } from "./chart-figure";
import type { FlowFilterProblem, FlowFilterValues } from "./filters";
import { numberFormatter, uiLocale } from "./format";
import { EMPTY_COLOR, readableTextOn, TEXT_COLOR } from "./palette";

const ID = "flows";
const LEFT = 52;
const TOP = 28;
/** The matrix fits a phone's width: few countries get larger cells, many get smaller ones. */
const FIT_WIDTH = 330;
const MIN_CELL = 34;
const MAX_CELL = 56;
/** Rows and columns beyond these many countries fold into "others". */
const MATRIX_LIMIT = 8;
// The palest blues vanish on white: start the ramp a little in.
const heat = (t: number) => interpolateBlues(0.15 + 0.85 * t);

export function FlowMatrixChart({
  flows,
  filter,
  years,
  problems,
  csvHref,
}: {
  flows: CountryFlow[];
  filter: FlowFilterValues;
  years: number[];
  problems: FlowFilterProblem[];
  csvHref: string;
}) {
  const { t, i18n } = useTranslation("insights");
  const locale = uiLocale(i18n.language);
  const format = numberFormatter(locale);
  const matrix = flowMatrix(flows, { limit: MATRIX_LIMIT, otherLabel: t("flows.otherCountries") });
  const largest = flows[0];
  const description = largest
    ? t("flows.description", {
        count: matrix.total,
        total: format.integer(matrix.total),
        provider: largest.provider,
        beneficiary: largest.beneficiary,
        flow: format.integer(largest.cooperations),
      })
    : t("flows.descriptionEmpty");

  const cell = Math.max(MIN_CELL, Math.min(MAX_CELL, Math.floor((FIT_WIDTH - LEFT) / Math.max(matrix.beneficiaries.length, 1))));
  const fontSize = cell >= 44 ? 14 : 12;
  const width = LEFT + matrix.beneficiaries.length * cell + 2;
  const height = TOP + matrix.providers.length * cell + 2;
  const rows = scaleBand<string>()
    .domain(matrix.providers.map((entry) => entry.code))
    .range([TOP, height - 2])
    .paddingInner(0.06);
  const columns = scaleBand<string>()
    .domain(matrix.beneficiaries.map((entry) => entry.code))
    .range([LEFT, width - 2])
    .paddingInner(0.06);
  const color = scaleSequential(heat).domain([0, Math.max(matrix.max, 1)]);
  const shortName = (code: string) => (code === OTHER_COUNTRIES ? t("flows.other") : code);

  const chart = (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-labelledby={svgLabelledBy(ID)}
      className="insight__svg insight__svg--natural"
      width={width}
      height={height}
      data-testid={`${ID}-svg`}
    >
      <SvgLabel id={ID} title={t("flows.title")} description={description} />
      {matrix.beneficiaries.map((entry) => (
        <text key={entry.code} x={(columns(entry.code) ?? 0) + columns.bandwidth() / 2} y={TOP - 9} fontSize={fontSize} textAnchor="middle" fill={TEXT_COLOR}>
          {shortName(entry.code)}
        </text>
      ))}
      {matrix.providers.map((provider) => (
        <g key={provider.code}>
          <text x={LEFT - 6} y={(rows(provider.code) ?? 0) + rows.bandwidth() / 2 + fontSize / 3} fontSize={fontSize} textAnchor="end" fill={TEXT_COLOR}>
            {shortName(provider.code)}
          </text>
          {matrix.beneficiaries.map((beneficiary) => {
            const value = matrix.cells.get(cellKey(provider.code, beneficiary.code)) ?? 0;
            const fill = value > 0 ? color(value) : EMPTY_COLOR;
            const x = columns(beneficiary.code) ?? 0;
            const y = rows(provider.code) ?? 0;
            return (
              <g key={beneficiary.code} data-cell={cellKey(provider.code, beneficiary.code)} data-value={value}>
                <rect x={x} y={y} width={columns.bandwidth()} height={rows.bandwidth()} fill={fill} rx={2} />
                {value > 0 ? (
                  <text x={x + columns.bandwidth() / 2} y={y + rows.bandwidth() / 2 + fontSize / 3} fontSize={fontSize} textAnchor="middle" fill={readableTextOn(fill)}>
                    {format.integer(value)}
                  </text>
                ) : null}
              </g>
            );
          })}
        </g>
      ))}
    </svg>
  );

  const steps = [0, 0.25, 0.5, 0.75, 1];
  const legend = (
    <div className="insight__legend insight__ramp">
      <span>{t("flows.legendLow")}</span>
      {steps.map((step) => (
        <Swatch key={step} color={heat(step)} />
      ))}
      <span>{t("flows.legendHigh")}</span>
    </div>
  );

  const table = (
    <table className="table">
      <caption className="visually-hidden">{t("flows.title")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("flows.provider")}</th>
          <th scope="col">{t("flows.beneficiary")}</th>
          <th scope="col">{t("flows.cooperations")}</th>
        </tr>
      </thead>
      <tbody>
        {flows.map((flow) => (
          <tr key={cellKey(flow.providerCode, flow.beneficiaryCode)} data-flow={cellKey(flow.providerCode, flow.beneficiaryCode)}>
            <td>{flow.provider}</td>
            <td>{flow.beneficiary}</td>
            <td>{format.integer(flow.cooperations)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );

  const themeOptions = vocabularyOptions("theme", locale);
  const selection = [filter.theme ? vocabularyLabel("theme", filter.theme, locale) : null, filter.year !== null ? String(filter.year) : null].filter(Boolean);

  return (
    <ChartFigure
      id={ID}
      title={t("flows.title")}
      description={description}
      note={flows.length > 0 ? t("flows.chartNote") : undefined}
      csvHref={csvHref}
      chart={flows.length > 0 ? chart : null}
      legend={flows.length > 0 ? legend : null}
      table={table}
    >
      {problems.length > 0 ? (
        <div className="alert alert--warning" role="alert" data-testid="flows-filter-problem">
          {problems.map((problem) => (
            <p key={problem.param}>{t(problem.param === "theme" ? "flows.invalidTheme" : "flows.invalidYear", { value: problem.value })}</p>
          ))}
        </div>
      ) : null}
      <Form method="get" action="/insights" preventScrollReset className="insight__filters" aria-labelledby="flows-filter-heading">
        <h3 id="flows-filter-heading" className="visually-hidden">
          {t("flows.filterHeading")}
        </h3>
        <div className="field">
          <label htmlFor="flows-theme">{t("flows.theme")}</label>
          <select id="flows-theme" name="theme" defaultValue={filter.theme ?? ""}>
            <option value="">{t("flows.allThemes")}</option>
            {themeOptions.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="flows-year">{t("flows.year")}</label>
          <select id="flows-year" name="year" defaultValue={filter.year === null ? "" : String(filter.year)}>
            <option value="">{t("flows.allYears")}</option>
            {years.map((year) => (
              <option key={year} value={year}>
                {year}
              </option>
            ))}
          </select>
        </div>
        <div className="insight__filter-actions">
          <button type="submit" className="button button--primary">
            {t("flows.apply")}
          </button>
          {selection.length > 0 ? (
            <a href="/insights#flows" className="button button--ghost">
              {t("flows.reset")}
            </a>
          ) : null}
        </div>
      </Form>
      {selection.length > 0 ? <p className="muted">{t("flows.filtered", { selection: selection.join(" · ") })}</p> : null}
    </ChartFigure>
  );
}

import { scaleBand, scaleLinear } from "d3-scale";
import { interpolateBlues } from "d3-scale-chromatic";
import { useTranslation } from "react-i18next";
import type { Funnel } from "~/models/insights.server";
import { funnelRows } from "./analysis";
import { ChartFigure, SvgLabel, svgLabelledBy } from "./chart-figure";
import { numberFormatter, roundDays, uiLocale } from "./format";
import { EMPTY_COLOR, MUTED_TEXT_COLOR, TEXT_COLOR } from "./palette";

/** The funnel as sent to the page: the attrition figures reach staff only. */
export type PublicFunnel = Pick<Funnel, "stages"> & { attrition: Funnel["attrition"] | null };

const ID = "funnel";
const WIDTH = 360;
const ROW_HEIGHT = 62;
const BAR_HEIGHT = 16;

export function FunnelChart({ funnel, csvHref }: { funnel: PublicFunnel; csvHref: string }) {
  const { t, i18n } = useTranslation("insights");
  const locale = uiLocale(i18n.language);
  const format = numberFormatter(locale);
  const rows = funnelRows(funnel);
  const count = (step: string) => rows.find((row) => row.step === step)?.requests ?? 0;
  const days = (value: number | null) => {
    const rounded = roundDays(value);
    return rounded === null ? "–" : t("common.days", { count: rounded, value: format.decimal(rounded) });
  };
  const firstMedian = rows[1]?.medianDays ?? null;
  const figures = { requests: format.integer(count("requests")), completed: format.integer(count("completed")), adopted: format.integer(count("adopted")) };
  const description =
    firstMedian === null ? t("funnel.descriptionNoMedian", figures) : t("funnel.description", { ...figures, firstMedian: days(firstMedian) });

  const height = rows.length * ROW_HEIGHT;
  const y = scaleBand<string>()
    .domain(rows.map((row) => row.step))
    .range([0, height]);
  const x = scaleLinear()
    .domain([0, Math.max(rows[0]?.requests ?? 0, 1)])
    .range([0, WIDTH]);
  const shade = scaleLinear<number>()
    .domain([0, rows.length - 1])
    .range([0.9, 0.55]);

  const chart = (
    <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={svgLabelledBy(ID)} className="insight__svg" data-testid={`${ID}-svg`}>
      <SvgLabel id={ID} title={t("funnel.title")} description={description} />
      {rows.map((row, index) => {
        const top = y(row.step) ?? 0;
        const width = x(row.requests);
        return (
          <g key={row.step} transform={`translate(0,${top})`} data-step={row.step} data-value={row.requests}>
            <text x={WIDTH / 2} y={14} fontSize={13} textAnchor="middle" fill={TEXT_COLOR} fontWeight={600}>
              {`${t(`funnel.steps.${row.step}`)}: ${format.integer(row.requests)} (${format.percent(row.share)})`}
            </text>
            <rect x={0} y={18} width={WIDTH} height={BAR_HEIGHT} fill={EMPTY_COLOR} rx={2} />
            <rect x={(WIDTH - width) / 2} y={18} width={width} height={BAR_HEIGHT} fill={interpolateBlues(shade(index))} rx={2} />
            {index > 0 ? (
              <text x={WIDTH / 2} y={18 + BAR_HEIGHT + 14} fontSize={12} textAnchor="middle" fill={MUTED_TEXT_COLOR}>
                {t("funnel.medianLabel", { days: days(row.medianDays) })}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );

  const table = (
    <table className="table">
      <caption className="visually-hidden">{t("funnel.title")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("funnel.step")}</th>
          <th scope="col">{t("funnel.requests")}</th>
          <th scope="col">{t("funnel.share")}</th>
          <th scope="col">{t("funnel.median")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.step} data-step={row.step}>
            <th scope="row">{t(`funnel.steps.${row.step}`)}</th>
            <td>{format.integer(row.requests)}</td>
            <td>{format.percent(row.share)}</td>
            <td>{row.medianDays === null ? "–" : format.decimal(roundDays(row.medianDays) ?? 0)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );

  return (
    <ChartFigure id={ID} title={t("funnel.title")} description={description} note={t("funnel.chartNote")} csvHref={csvHref} chart={chart} table={table}>
      {funnel.attrition ? (
        <div className="insight__staff" data-testid="funnel-attrition">
          <h3>{t("funnel.staffHeading")}</h3>
          <dl className="insight__figures">
            {(
              [
                ["rejectedProposals", funnel.attrition.rejectedProposals],
                ["declinedProposals", funnel.attrition.declinedProposals],
                ["awaitingDecision", funnel.attrition.awaitingDecision],
                ["cancelledCooperations", funnel.attrition.cancelledCooperations],
              ] as const
            ).map(([key, value]) => (
              <div key={key}>
                <dt>{t(`funnel.${key}`)}</dt>
                <dd>{format.integer(value)}</dd>
              </div>
            ))}
          </dl>
        </div>
      ) : null}
    </ChartFigure>
  );
}

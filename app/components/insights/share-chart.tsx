import { arc, pie, type PieArcDatum } from "d3-shape";
import { useTranslation } from "react-i18next";
import type { ThemeShare } from "~/models/insights.server";
import { shareOf } from "./analysis";
import { ChartFigure, Legend, SvgLabel, svgLabelledBy } from "./chart-figure";
import { numberFormatter, uiLocale } from "./format";
import { EMPTY_COLOR, MUTED_TEXT_COLOR, seriesColor, TEXT_COLOR } from "./palette";

const ID = "women-share";
const WIDTH = 360;
const HEIGHT = 206;
const OUTER = 68;
const INNER = 45;
const SUBJECTS = ["requests", "cooperations"] as const;

type Slice = { part: "targeting" | "rest"; value: number };

const layout = pie<Slice>()
  .sort(null)
  .value((slice) => slice.value);
const ring = arc<PieArcDatum<Slice>>().innerRadius(INNER).outerRadius(OUTER);

export function ShareChart({ share, csvHref }: { share: { requests: ThemeShare; cooperations: ThemeShare }; csvHref: string }) {
  const { t, i18n } = useTranslation("insights");
  const locale = uiLocale(i18n.language);
  const format = numberFormatter(locale);
  const ratio = (subject: (typeof SUBJECTS)[number]) => shareOf(share[subject].targeting, share[subject].total);
  const description = t("women.description", {
    requestShare: format.percent(ratio("requests") ?? 0),
    requests: format.integer(share.requests.targeting),
    requestTotal: format.integer(share.requests.total),
    cooperationShare: format.percent(ratio("cooperations") ?? 0),
    cooperations: format.integer(share.cooperations.targeting),
    cooperationTotal: format.integer(share.cooperations.total),
  });
  const color = seriesColor("asProvider");

  const chart = (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={svgLabelledBy(ID)} className="insight__svg insight__svg--natural"
      width={WIDTH}
      height={HEIGHT} data-testid={`${ID}-svg`}>
      <SvgLabel id={ID} title={t("women.title")} description={description} />
      {SUBJECTS.map((subject, index) => {
        const { targeting, total } = share[subject];
        const slices = layout(
          total > 0
            ? [
                { part: "targeting", value: targeting },
                { part: "rest", value: total - targeting },
              ]
            : [{ part: "rest", value: 1 }],
        );
        const cx = WIDTH / 4 + index * (WIDTH / 2);
        return (
          <g key={subject} transform={`translate(${cx},${OUTER + 8})`} data-subject={subject} data-targeting={targeting} data-total={total}>
            {slices.map((slice) => (
              <path key={slice.data.part} d={ring(slice) ?? ""} fill={slice.data.part === "targeting" ? color : EMPTY_COLOR} />
            ))}
            <text y={6} fontSize={18} fontWeight={700} textAnchor="middle" fill={TEXT_COLOR}>
              {format.percent(ratio(subject))}
            </text>
            <text y={OUTER + 22} fontSize={13} textAnchor="middle" fill={TEXT_COLOR}>
              {t(`women.${subject}`)}
            </text>
            <text y={OUTER + 40} fontSize={12} textAnchor="middle" fill={MUTED_TEXT_COLOR}>
              {`${format.integer(targeting)} / ${format.integer(total)}`}
            </text>
          </g>
        );
      })}
    </svg>
  );

  const table = (
    <table className="table">
      <caption className="visually-hidden">{t("women.title")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("women.subject")}</th>
          <th scope="col">{t("women.targeting")}</th>
          <th scope="col">{t("women.total")}</th>
          <th scope="col">{t("women.share")}</th>
        </tr>
      </thead>
      <tbody>
        {SUBJECTS.map((subject) => (
          <tr key={subject} data-subject={subject}>
            <th scope="row">{t(`women.${subject}`)}</th>
            <td>{format.integer(share[subject].targeting)}</td>
            <td>{format.integer(share[subject].total)}</td>
            <td>{format.percent(ratio(subject))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );

  return (
    <ChartFigure
      id={ID}
      title={t("women.title")}
      description={description}
      note={t("women.chartNote")}
      csvHref={csvHref}
      chart={chart}
      legend={<Legend items={[{ label: t("women.targeting"), color }]} />}
      table={table}
    />
  );
}

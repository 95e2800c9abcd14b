import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/**
 * One chart as the page shows it: a heading, a sentence with the key figure, the SVG (which
 * names itself through its own <title> and <desc>), a table alternative and the CSV download.
 */
export function ChartFigure({
  id,
  title,
  description,
  note,
  csvHref,
  chart,
  legend,
  table,
  openTable = false,
  children,
}: {
  id: string;
  title: string;
  description: string;
  note?: string;
  csvHref: string;
  chart: ReactNode;
  legend?: ReactNode;
  table: ReactNode;
  /** A figure that is only a table shows it at once. */
  openTable?: boolean;
  children?: ReactNode;
}) {
  const { t } = useTranslation("insights");
  return (
    <section className="insight card stack" aria-labelledby={`${id}-heading`} data-testid={`insight-${id}`} id={id}>
      <h2 id={`${id}-heading`}>{title}</h2>
      <p className="insight__summary" data-testid={`insight-${id}-summary`}>
        {description}
      </p>
      {children}
      {note ? <p className="muted insight__note">{note}</p> : null}
      <div className="insight__chart">{chart}</div>
      {legend}
      <details className="insight__table" open={openTable}>
        <summary>{t("common.showTable")}</summary>
        <div className="table-wrap">{table}</div>
      </details>
      <p className="insight__download">
        <a href={csvHref} download>
          {t("common.downloadCsv")}
        </a>
      </p>
    </section>
  );
}

/** The accessible name and description every chart's <svg role="img"> carries. */
export function SvgLabel({ id, title, description }: { id: string; title: string; description: string }) {
  return (
    <>
      <title id={`${id}-svg-title`}>{title}</title>
      <desc id={`${id}-svg-desc`}>{description}</desc>
    </>
  );
}

export function svgLabelledBy(id: string): string {
  return `${id}-svg-title ${id}-svg-desc`;
}

/** A color sample; drawn in SVG because the content security policy forbids style attributes. */
export function Swatch({ color, outline = false }: { color: string; outline?: boolean }) {
  return (
    <svg className="insight__swatch" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      {outline ? (
        <rect x={1} y={1} width={14} height={14} fill="none" stroke={color} strokeWidth={2} strokeDasharray="4 2" />
      ) : (
        <rect width={16} height={16} rx={2} fill={color} />
      )}
    </svg>
  );
}

export function Legend({ items }: { items: Array<{ label: string; color: string; pattern?: "outline" }> }) {
  return (
    <ul className="insight__legend">
      {items.map((item) => (
        <li key={item.label}>
          <Swatch color={item.color} outline={item.pattern === "outline"} />
          {item.label}
        </li>
      ))}
    </ul>
  );
}

import { scaleOrdinal } from "d3-scale";
import { schemeDark2 } from "d3-scale-chromatic";

export const SERIES = ["offered", "requested", "asProvider", "asBeneficiary"] as const;
export type Series = (typeof SERIES)[number];

/** One color per kind of figure, the same in every chart (ColorBrewer Dark2: dark enough on white). */
export const seriesColor = scaleOrdinal<Series, string>().domain(SERIES).range(schemeDark2);

export const UNMET_COLOR = "#a8231c";
export const TEXT_COLOR = "#14213d";
export const MUTED_TEXT_COLOR = "#4a5568";
export const EMPTY_COLOR = "#e5e9f0";

function channel(value: number): number {
  const c = value / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of "rgb(r, g, b)" or "#rrggbb" (what d3 interpolators return). */
export function luminance(color: string): number {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  const rgb = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(color);
  const parts = hex ? hex.slice(1).map((part) => parseInt(part, 16)) : rgb ? rgb.slice(1).map(Number) : [255, 255, 255];
  const [r, g, b] = parts.map(channel);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** White or black, whichever reads better on `background` (black, not the ink color: mid blues need it). */
export function readableTextOn(background: string): string {
  return contrastRatio(background, "#ffffff") >= contrastRatio(background, "#000000") ? "#ffffff" : "#000000";
}

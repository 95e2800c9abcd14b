// The pure parts of the insights charts: CSV encoding, the heat map's folding of small
// countries, the supply classification and the text color chosen on each heat map cell.
import { expect, test } from "vitest";
import { flowMatrix, OTHER_COUNTRIES, supplyDemandRows, supplyStatus } from "~/components/insights/analysis";
import { toCsv } from "~/components/insights/csv";
import { contrastRatio, readableTextOn } from "~/components/insights/palette";
import { interpolateBlues } from "d3-scale-chromatic";

test("CSV starts with a byte order mark, quotes what needs it and defuses spreadsheet formulas", () => {
  const csv = toCsv(["name", "count"], [
    ["Côte d'Ivoire, \"CI\"", 3],
    ["=HYPERLINK(\"http://evil\")", null],
    ["-5", -5],
  ]);
  expect(csv.startsWith("\uFEFF")).toBe(true);
  expect(csv.slice(1).split("\r\n")).toEqual([
    "name,count",
    '"Côte d\'Ivoire, ""CI""",3',
    "\"'=HYPERLINK(\"\"http://evil\"\")\",",
    "'-5,-5",
    "",
  ]);
});

test("supply is unmet without offers, short with fewer offers than requests", () => {
  expect(supplyStatus({ offers: 0, requests: 3 })).toBe("unmet");
  expect(supplyStatus({ offers: 2, requests: 3 })).toBe("short");
  expect(supplyStatus({ offers: 3, requests: 3 })).toBe("covered");
  expect(supplyStatus({ offers: 4, requests: 0 })).toBe("none");
  const rows = supplyDemandRows([
    { theme: "msme-finance", offers: 5, requests: 1 },
    { theme: "labor-migration", offers: 0, requests: 4 },
    { theme: "entrepreneurship", offers: 1, requests: 3 },
  ]);
  expect(rows.map((row) => row.theme)).toEqual(["labor-migration", "entrepreneurship", "msme-finance"]);
});

test("the heat map keeps the largest countries and folds the rest into one row and column", () => {
  const codes = ["AR", "BR", "CL", "CO", "MX"];
  const flows = codes.flatMap((provider, index) =>
    codes.map((beneficiary) => ({ providerCode: provider, provider, beneficiaryCode: beneficiary, beneficiary, cooperations: index + 1 })),
  );
  const matrix = flowMatrix(flows, { limit: 2, otherLabel: "Others" });
  expect(matrix.providers.map((entry) => entry.code)).toEqual(["MX", "CO", OTHER_COUNTRIES]);
  expect(matrix.providers.map((entry) => entry.total)).toEqual([25, 20, 30]);
  expect(matrix.total).toBe(75);
  expect([...matrix.cells.values()].reduce((sum, value) => sum + value, 0)).toBe(75);
  // Everything fits when only one country would be folded: no "others" of one.
  expect(flowMatrix(flows, { limit: 4, otherLabel: "Others" }).providers).toHaveLength(5);
});

test("every heat map cell's number reads at 4.5:1 or better", () => {
  for (let step = 0; step <= 100; step += 1) {
    const fill = interpolateBlues(0.15 + 0.85 * (step / 100));
    expect(contrastRatio(fill, readableTextOn(fill))).toBeGreaterThanOrEqual(4.5);
  }
});

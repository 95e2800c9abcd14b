import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { loadMatchingConfig, MatchingConfigError } from "~/matching/config";

const dir = mkdtempSync(path.join(os.tmpdir(), "enlace-matching-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const defaults: Record<string, unknown> = JSON.parse(readFileSync("app/matching/weights.json", "utf8"));

function writeWeights(name: string, content: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

function withChange(change: (weights: Record<string, Record<string, unknown>>) => void): string {
  const weights = JSON.parse(JSON.stringify(defaults));
  change(weights);
  return JSON.stringify(weights);
}

test("the shipped weights file is valid and its factor weights add up to 100", () => {
  const config = loadMatchingConfig({ reload: true });
  expect(Object.values(config.factors).reduce((sum, weight) => sum + weight, 0)).toBe(100);
});

test.each([
  ["a weight that is not a number", withChange((w) => (w.factors.themeFit = "heavy")), "factors.themeFit"],
  ["a negative weight", withChange((w) => (w.factors.evidence = -1)), "factors.evidence"],
  ["a missing factor", withChange((w) => delete w.factors.language), "factors.language"],
  ["a misspelt factor", withChange((w) => (w.factors.langauge = 3)), "factors.langauge"],
  [
    "a rejection strength above 1",
    withChange((w) => ((w.staffFeedback.rejection as Record<string, number>).timing = 2)),
    "staffFeedback.rejection.timing",
  ],
  ["a fractional number of alternates", withChange((w) => (w.proposals.alternates = 2.5)), "proposals.alternates"],
  ["all weights at zero", withChange((w) => Object.keys(w.factors).forEach((name) => (w.factors[name] = 0))), "at least one factor"],
])("a weights file with %s is refused with a message naming the field", (_, content, field) => {
  const file = writeWeights("weights.json", content);
  expect(() => loadMatchingConfig({ file, reload: true })).toThrow(MatchingConfigError);
  expect(() => loadMatchingConfig({ file, reload: true })).toThrow(field);
});

test("a weights file that is not JSON, or missing, is refused naming the file", () => {
  const broken = writeWeights("broken.json", '{ "factors": { "textRelevance": 30, ');
  expect(() => loadMatchingConfig({ file: broken, reload: true })).toThrow(`${broken} is not valid JSON`);
  const missing = path.join(dir, "missing.json");
  expect(() => loadMatchingConfig({ file: missing, reload: true })).toThrow(`cannot read the matching configuration ${missing}`);
});

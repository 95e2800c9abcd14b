import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

// Staff load a catalogue file through /staff/exchange: a file with a mistake is refused with a
// report naming the record and the field, the corrected file is imported and summarized, and the
// whole catalogue downloads as an exchange file. Runs against the seeded e2e server.
const DEMO_PASSWORD = "enlace-demo-2026";
const STAFF = "staff@enlace.demo";

const consoleErrors: string[] = [];

test.beforeEach(({ page }) => {
  consoleErrors.length = 0;
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    // The refused upload is answered with a 400 on purpose.
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) return;
    consoleErrors.push(`${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
});
test.afterEach(() => {
  expect(consoleErrors).toEqual([]);
});

async function logIn(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/dashboard/);
}

function catalogue(suffix: string, { theme }: { theme: string }) {
  return {
    format: "cooperation-exchange/1",
    organizations: [{ key: `e2e-agency-${suffix}`, name: `Agencia de prueba ${suffix}`, country: "PE", type: "agency" }],
    offers: [
      {
        key: `e2e-offer-${suffix}`,
        organization: `e2e-agency-${suffix}`,
        title: `Ventanilla única de formalización ${suffix}`,
        summary: "Un solo lugar para formalizar una empresa en un día.",
        language: "es",
        themes: ["formalization", theme],
        modalities: ["study-visit"],
        workingLanguages: ["es"],
      },
    ],
    requests: [],
  };
}

async function uploadFile(page: Page, name: string, content: unknown) {
  await page.getByLabel("Exchange file (JSON)").setInputFiles({
    name,
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify(content, null, 2)),
  });
  await page.getByRole("button", { name: "Check and import" }).click();
}

test("staff upload a file with an error and see the report, then the corrected file and see the summary", async ({ page }) => {
  const suffix = randomBytes(3).toString("hex");
  await logIn(page, STAFF);
  await page.goto("/staff");
  await page.getByRole("link", { name: "Open: Bulk exchange" }).click();
  await expect(page).toHaveURL(/\/staff\/exchange$/);
  await expect(page.getByRole("heading", { level: 1, name: "Bulk exchange" })).toBeVisible();

  await uploadFile(page, "with-error.json", catalogue(suffix, { theme: "space-tourism" }));
  const errors = page.getByTestId("import-errors");
  await expect(errors.getByRole("heading", { name: "The file was not imported" })).toBeVisible();
  await expect(errors).toContainText("1 problem was found, so nothing was written.");
  await expect(errors.getByRole("listitem")).toHaveText([`e2e-offer-${suffix}: themes[1]: unknown theme "space-tourism"`]);
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(axe.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical").map((violation) => violation.id)).toEqual([]);

  await uploadFile(page, "corrected.json", catalogue(suffix, { theme: "regulatory-simplification" }));
  const summary = page.getByTestId("import-summary");
  await expect(summary.getByRole("heading", { name: "The file was imported" })).toBeVisible();
  await expect(page.getByTestId("import-errors")).toHaveCount(0);
  await expect(summary.getByTestId("summary-organizations").getByRole("cell")).toHaveText(["1", "0", "0"]);
  await expect(summary.getByTestId("summary-offers").getByRole("cell")).toHaveText(["1", "0", "0"]);
  await expect(summary.getByTestId("summary-requests").getByRole("cell")).toHaveText(["0", "0", "0"]);

  // The imported offer is in the catalogue's export.
  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download the exchange file (JSON)" }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/^enlace-catalogue-\d{4}-\d{2}-\d{2}\.json$/);
  const exported: { offers: Array<{ key: string; themes: string[] }> } = JSON.parse(await readFile(await download.path(), "utf8"));
  expect(exported.offers.find((offer) => offer.key === `e2e-offer-${suffix}`)?.themes).toEqual(["formalization", "regulatory-simplification"]);
});

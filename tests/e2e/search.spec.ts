import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

// The e2e server is seeded with the demo catalogue (prisma/data/demo-catalogue.json); the search
// indexes are built from it at boot. A visitor searches offers.

const consoleErrors: string[] = [];

test.beforeEach(({ page }) => {
  consoleErrors.length = 0;
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(`${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
});

test.afterEach(() => {
  expect(consoleErrors).toEqual([]);
});

function results(page: Page) {
  return page.getByTestId("search-result");
}

/** The boot-time rebuild of the indexes may still be running when the first test starts. */
async function waitForIndexedCatalogue(page: Page) {
  await expect(async () => {
    await page.goto("/search");
    await expect(results(page).first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
}

test("search as you type, filter by two facets, open a result and come back to the same filtered list", async ({ page }) => {
  await waitForIndexedCatalogue(page);

  // Spanish words, offers in any language: the thesaurus maps them.
  await page.getByTestId("search-query").fill("pequeña empresa");
  await expect(page).toHaveURL(/[?&]q=peque%C3%B1a(\+|%20)empresa/);
  await expect(page.getByTestId("search-total")).toContainText("pequeña empresa");
  await expect(results(page).first()).toBeVisible();
  await expect(results(page).first().locator("mark").first()).toBeVisible();

  await page.getByRole("checkbox", { name: /Business development centers/ }).check();
  await expect(page).toHaveURL(/theme=business-development-centers/);
  await page.getByRole("checkbox", { name: /^Study visit/ }).check();
  await expect(page).toHaveURL(/modality=study-visit/);
  await expect(page).toHaveURL(/theme=business-development-centers/);

  const filteredUrl = page.url();
  const chips = page.getByTestId("active-filters");
  await expect(chips.getByRole("link", { name: /Remove filter Theme/ })).toBeVisible();
  await expect(chips.getByRole("link", { name: /Remove filter Way of transfer/ })).toBeVisible();
  const titles = await results(page).getByRole("heading").allInnerTexts();
  expect(titles.length).toBeGreaterThan(0);

  const accessibility = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(accessibility.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical").map((violation) => violation.id)).toEqual([]);

  await results(page).first().getByRole("link").first().click();
  await expect(page).toHaveURL(/\/offers\/[0-9a-f-]{36}$/);

  await page.goBack();
  expect(page.url()).toBe(filteredUrl);
  await expect(page.getByRole("checkbox", { name: /Business development centers/ })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: /^Study visit/ })).toBeChecked();
  await expect(page.getByTestId("search-query")).toHaveValue("pequeña empresa");
  expect(await results(page).getByRole("heading").allInnerTexts()).toEqual(titles);

  // Removing a chip drops only that filter.
  await chips.getByRole("link", { name: /Remove filter Way of transfer/ }).click();
  await expect(page).not.toHaveURL(/modality=/);
  await expect(page).toHaveURL(/theme=business-development-centers/);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the search page is a plain GET form: words, a facet and a hostile value all work", async ({ page }) => {
    await waitForIndexedCatalogue(page);
    await page.getByTestId("search-query").fill("transferencias monetarias");
    await page.getByRole("checkbox", { name: /^Cash transfer programs/ }).check();
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await expect(page).toHaveURL(/q=transferencias\+monetarias/);
    await expect(page).toHaveURL(/theme=cash-transfers/);
    await expect(results(page).first()).toBeVisible();

    const response = await page.goto(`/search?q=${encodeURIComponent('"] OR [')}&theme=${encodeURIComponent('x" OR status = "draft')}&nope=1`);
    expect(response?.status()).toBe(200);
    await expect(page.getByTestId("search-ignored")).toBeVisible();
  });
});

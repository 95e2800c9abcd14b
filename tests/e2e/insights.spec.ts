import { randomBytes } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { disconnectPrisma, getPrisma } from "~/utils/db.server";

// The insights page on the e2e server (demo seed): a few cooperations of its own are added to
// the same database first, between archived offers and closed requests so no catalogue list or
// other test sees them, and the charts have flows, a funnel and shares to draw.
const DEMO_PASSWORD = "enlace-demo-2026";
const STAFF = "staff@enlace.demo";
const CHARTS = ["supply-demand", "flows", "funnel", "women-share", "countries"] as const;

const consoleErrors: string[] = [];

function watchConsole(page: Page) {
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) return;
    consoleErrors.push(`${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
}

test.beforeEach(({ page }) => {
  consoleErrors.length = 0;
  watchConsole(page);
});
test.afterEach(() => {
  expect(consoleErrors).toEqual([]);
});

test.beforeAll(async () => {
  const prisma = getPrisma();
  const suffix = randomBytes(4).toString("hex");
  const countries = ["MX", "CL", "CO", "SV", "BR"];
  const organizations = await Promise.all(
    countries.map((countryCode, index) =>
      prisma.organization.create({
        data: { key: `e2e-insights-${suffix}-${index}`, name: `Insights agency ${countryCode}`, countryCode, type: "agency", verificationStatus: "verified" },
        select: { id: true },
      }),
    ),
  );
  const pairs: Array<[number, number, "in_progress" | "completed" | "planned", string]> = [
    [0, 3, "completed", "2025-03-10T12:00:00Z"],
    [0, 3, "in_progress", "2026-02-01T12:00:00Z"],
    [1, 2, "completed", "2025-06-15T12:00:00Z"],
    [2, 4, "planned", "2026-05-20T12:00:00Z"],
    [4, 0, "in_progress", "2026-03-03T12:00:00Z"],
    [1, 3, "completed", "2026-01-12T12:00:00Z"],
  ];
  for (const [index, [provider, beneficiary, status, at]] of pairs.entries()) {
    const started = new Date(at);
    const themes = index % 2 === 0 ? ["women-economic-empowerment", "entrepreneurship"] : ["msme-finance"];
    const offer = await prisma.offer.create({
      data: {
        key: `e2e-insights-offer-${suffix}-${index}`,
        organizationId: organizations[provider].id,
        title: `Insights program ${index}`,
        summary: "A program that worked.",
        language: "es",
        themes,
        modalities: ["study-visit"],
        workingLanguages: ["es"],
        status: "archived",
        publishedAt: new Date(started.getTime() - 90 * 86_400_000),
      },
      select: { id: true },
    });
    const request = await prisma.request.create({
      data: {
        key: `e2e-insights-request-${suffix}-${index}`,
        organizationId: organizations[beneficiary].id,
        title: `Insights need ${index}`,
        summary: "A need.",
        language: "es",
        themes,
        modalities: [],
        workingLanguages: ["es"],
        status: "closed",
        publishedAt: new Date(started.getTime() - 80 * 86_400_000),
      },
      select: { id: true },
    });
    const decidedAt = new Date(started.getTime() - 40 * 86_400_000);
    const proposal = await prisma.proposal.create({
      data: {
        requestId: request.id,
        offerId: offer.id,
        status: "accepted",
        source: "manual",
        score: 80,
        sharedLanguage: true,
        factors: {},
        reasons: { en: [], es: [] },
        decidedAt,
        createdAt: new Date(started.getTime() - 60 * 86_400_000),
      },
      select: { id: true },
    });
    const answeredAt = new Date(started.getTime() - 20 * 86_400_000);
    await prisma.pairingConsent.createMany({
      data: [
        { proposalId: proposal.id, side: "requester", status: "accepted", respondedAt: answeredAt },
        { proposalId: proposal.id, side: "provider", status: "accepted", respondedAt: answeredAt },
      ],
    });
    const completedAt = status === "completed" ? new Date(started.getTime() + 120 * 86_400_000) : null;
    const cooperation = await prisma.cooperation.create({
      data: {
        proposalId: proposal.id,
        requestId: request.id,
        offerId: offer.id,
        status,
        createdAt: answeredAt,
        startedAt: status === "planned" ? null : started,
        completedAt,
      },
      select: { id: true },
    });
    if (completedAt) {
      await prisma.outcomeReport.create({
        data: {
          cooperationId: cooperation.id,
          side: "requester",
          transferred: "The model.",
          peopleTrained: 20,
          trainersCertified: 3,
          rating: 5,
          adoption: index === 0 ? "adopted" : "adapted",
          filedAt: new Date(completedAt.getTime() + 15 * 86_400_000),
        },
      });
    }
  }
});

test.afterAll(async () => {
  await disconnectPrisma();
});

async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(
    results.violations.map((violation) => `${violation.id} (${violation.impact}): ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).join(", ")})`),
  ).toEqual([]);
}

async function screenshots(page: Page, testInfo: TestInfo, name: string) {
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    const file = testInfo.outputPath(`${name}-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    await testInfo.attach(`${name}-${width}px`, { path: file, contentType: "image/png" });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("a visitor reads every chart with its description, table and CSV; axe finds nothing; screenshots at 390 and 1280 px", async ({ page }, testInfo) => {
  await page.goto("/");
  await page.getByRole("link", { name: "See where cooperation flows" }).click();
  await expect(page).toHaveURL(/\/insights$/);
  await expect(page.getByRole("heading", { level: 1, name: "Insights" })).toBeVisible();

  for (const chart of CHARTS) {
    const section = page.getByTestId(`insight-${chart}`);
    await expect(section.getByRole("heading", { level: 2 })).toBeVisible();
    await expect(page.getByTestId(`insight-${chart}-summary`)).not.toBeEmpty();
    // The SVG is one image named by its own title and description.
    const svg = section.locator('svg[role="img"]');
    await expect(svg).toHaveCount(1);
    const labelledBy = (await svg.getAttribute("aria-labelledby")) ?? "";
    expect(labelledBy.split(" ")).toHaveLength(2);
    for (const id of labelledBy.split(" ")) await expect(svg.locator(`#${id}`)).toHaveCount(1);
    await expect(svg).toHaveAttribute("viewBox", /^0 0 \d+(\.\d+)? \d+(\.\d+)?$/);
    // The table alternative opens from its summary.
    const table = section.getByRole("table");
    await expect(table).toBeHidden();
    await section.getByText("Show the data as a table").click();
    await expect(table).toBeVisible();
    // The CSV link downloads the same data.
    const href = await section.getByRole("link", { name: "Download the data (CSV)" }).getAttribute("href");
    expect(href).toMatch(new RegExp(`^/insights/${chart}\\.csv`));
    const csv = await page.request.get(href ?? "");
    expect(csv.status()).toBe(200);
    const body = await csv.body();
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  }

  // The flows of the cooperations added above: Mexico to El Salvador twice (at least: the demo
  // data may hold cooperations of its own).
  const flows = page.getByTestId("insight-flows");
  await expect(flows.locator('[data-flow="MX>SV"]')).toBeVisible();
  expect(Number(await flows.locator('[data-cell="MX>SV"]').getAttribute("data-value"))).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId("insight-organizations")).toHaveCount(0);

  await expectNoAxeViolations(page);
  await screenshots(page, testInfo, "insights");
});

test("the flows filter by theme and year without JavaScript, and a bad year is explained", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: "en-US" });
  const page = await context.newPage();
  watchConsole(page);
  await page.goto("/insights");
  const flows = page.getByTestId("insight-flows");
  await flows.getByLabel("Year the cooperation started").selectOption("2025");
  await flows.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/year=2025/);
  await expect(flows.locator('[data-cell="MX>SV"]')).toHaveAttribute("data-value", /^[1-9]\d*$/);
  await expect(flows.getByText("Showing 2025.")).toBeVisible();
  await expect(flows.getByRole("link", { name: "Download the data (CSV)" })).toHaveAttribute("href", "/insights/flows.csv?year=2025");

  await flows.getByLabel("Theme").selectOption({ label: "Women's economic empowerment" });
  await flows.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/theme=women-economic-empowerment/);
  await expect(flows.locator('[data-flow="BR>MX"]')).toHaveCount(0);

  const response = await page.goto("/insights?year=soon");
  expect(response?.status()).toBe(400);
  await expect(page.getByTestId("flows-filter-problem")).toContainText("“soon”");
  await context.close();
});

test("in Spanish, country names and labels follow the reader; staff see the organizations", async ({ browser }, testInfo) => {
  const context = await browser.newContext({ locale: "es-ES" });
  const page = await context.newPage();
  watchConsole(page);
  await page.goto("/insights");
  await expect(page.getByRole("heading", { level: 1, name: "Indicadores" })).toBeVisible();
  const countries = page.getByTestId("insight-countries");
  await countries.getByText("Ver los datos en una tabla").click();
  await expect(countries.getByRole("rowheader", { name: "México" })).toBeVisible();
  await expect(countries.getByRole("rowheader", { name: "Brasil" })).toBeVisible();
  await expectNoAxeViolations(page);
  await context.close();

  const staffContext = await browser.newContext({ locale: "en-US" });
  const staff = await staffContext.newPage();
  watchConsole(staff);
  await staff.goto("/login");
  await staff.getByLabel("Email").fill(STAFF);
  await staff.getByLabel("Password").fill(DEMO_PASSWORD);
  await staff.getByRole("button", { name: "Log in" }).click();
  await staff.waitForURL((url) => url.pathname !== "/login");
  await staff.goto("/insights");
  await expect(staff.getByTestId("insights-staff-note")).toBeVisible();
  await expect(staff.getByTestId("funnel-attrition")).toBeVisible();
  const organizations = staff.getByTestId("insight-organizations");
  await expect(organizations.getByRole("rowheader", { name: /Insights agency MX/ }).first()).toBeVisible();
  await expectNoAxeViolations(staff);
  await screenshots(staff, testInfo, "insights-staff");
  await staffContext.close();
});

import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";

// The e2e server is seeded with the demo accounts and catalogue (prisma/seed.server.ts).
const DEMO_PASSWORD = "enlace-demo-2026";
const STAFF_EMAIL = "staff@enlace.demo";

// A page that logs an error (a failed hydration, a crashed script) fails its test. Chromium also
// logs every 4xx answer, which these tests provoke on purpose (a refused form is a 409).
const consoleErrors: string[] = [];
test.beforeEach(({ page }) => {
  consoleErrors.length = 0;
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) return;
    // Playwright's own probes of the sandboxed mail previews, not the page's doing
    // (microsoft/playwright#33343): the previews deliberately allow no script.
    if (message.text().startsWith("Blocked script execution in 'about:srcdoc'")) return;
    consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
});
test.afterEach(() => {
  expect(consoleErrors).toEqual([]);
});

async function logIn(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

async function logOut(page: Page) {
  await page.getByRole("button", { name: /Log out|Cerrar sesión/ }).click();
  await expect(page).toHaveURL(/\/login$/);
}

/** The newest mail to `address` in the staff mail viewer (a staff member must be logged in). */
async function openLatestMailTo(page: Page, address: string, subject: RegExp) {
  await page.goto(`/staff/mail?${new URLSearchParams({ to: address })}`);
  await page.getByTestId("mail-row").filter({ hasText: subject }).first().getByRole("link").click();
  await expect(page.getByTestId("mail-recipient")).toHaveText(address);
}

test("an address subscribes and confirms through the mailed link; staff compose, preview and publish a bulletin it receives in Spanish", async ({ page }) => {
  const address = `reader-${randomBytes(4).toString("hex")}@example.test`;

  // Anyone subscribes, choosing the Spanish edition.
  await page.goto("/bulletin");
  await page.getByRole("link", { name: "Subscribe by e-mail" }).click();
  await page.getByLabel("E-mail address").fill(address);
  await page.getByLabel("Language of the bulletin").selectOption("es");
  await page.getByRole("button", { name: "Subscribe" }).click();
  await expect(page.getByTestId("flash")).toContainText(`a confirmation link is on its way to it`);

  // The confirmation mail, read back from the outbox by staff, carries the link.
  await logIn(page, STAFF_EMAIL);
  await openLatestMailTo(page, address, /Confirme su suscripción/);
  await expect(page.getByTestId("mail-subject")).toHaveText("Confirme su suscripción al boletín de Enlace");
  const confirmLink = await page.getByTestId("mail-links").getByRole("link", { name: /\/bulletin\/confirm\?token=/ }).getAttribute("href");
  expect(confirmLink).toBeTruthy();
  await page.goto(confirmLink ?? "");
  await expect(page.getByTestId("subscription-outcome")).toHaveText(`Subscription confirmed: the next bulletin will arrive at ${address}.`);

  // Staff compose the issue of a month that has none yet.
  await page.goto("/staff/bulletin");
  const monthSelect = page.getByLabel("Month");
  const options = await monthSelect.locator("option").allTextContents();
  const issuesTable = page.getByTestId("bulletin-issues");
  const taken = (await issuesTable.count()) > 0 ? ((await issuesTable.textContent()) ?? "") : "";
  const month = options.find((label) => !taken.includes(label));
  expect(month, "a month without an issue among the choices").toBeTruthy();
  await monthSelect.selectOption({ label: month ?? "" });
  await page.getByRole("button", { name: "Compose" }).click();
  await expect(page.getByTestId("flash")).toContainText("Draft created from what happened since");
  await expect(page.getByTestId("issue-status")).toHaveText("Draft");

  // Prefilled from the catalogue: the demo offers were published when the instance was seeded.
  const offers = page.getByRole("group", { name: "New offers" });
  await expect(offers.getByRole("checkbox").first()).toBeChecked();

  // Edit, then preview both languages.
  const title = `Enlace bulletin E2E ${randomBytes(3).toString("hex")}`;
  await page.getByLabel("Title (English)").fill(title);
  await page.getByLabel("Introduction (Spanish)").fill("Un número de prueba.\n\nCon dos párrafos.");
  await page.getByRole("button", { name: "Save the draft" }).click();
  await expect(page.getByTestId("flash")).toHaveText("Draft saved.");
  await expect(page.frameLocator('[data-testid="preview-en"]').getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(page.frameLocator('[data-testid="preview-es"]').getByText("Con dos párrafos.")).toBeVisible();
  await expect(page.frameLocator('[data-testid="preview-es"]').getByRole("heading", { name: "Nuevas ofertas" })).toBeVisible();

  // Publish: the confirmed subscriber's mail is queued in Spanish.
  await page.getByRole("button", { name: "Publish and send" }).click();
  await expect(page.getByTestId("flash")).toHaveText(/^Published: \d+ e-mails? queued\.$/);
  await expect(page.getByTestId("issue-status")).toHaveText("Published");
  await expect(page.getByRole("button", { name: "Publish and send" })).toHaveCount(0);
  await openLatestMailTo(page, address, /Boletín de Enlace/);
  await expect(page.getByTestId("mail-text")).toContainText("Con dos párrafos.");
  await expect(page.getByTestId("mail-text")).toContainText("/bulletin/unsubscribe?token=");

  // The same month again: a clear message, nothing created.
  await page.goto("/staff/bulletin");
  await page.getByLabel("Month").selectOption({ label: month ?? "" });
  await page.getByRole("button", { name: "Compose" }).click();
  await expect(page.getByRole("alert")).toContainText("was already published on");
  await expect(page.getByRole("alert")).toContainText("nothing was changed");
  await logOut(page);

  // The public archive has it, in English and in Spanish.
  await page.goto("/bulletin");
  await page.getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(page.getByTestId("bulletin-section-offers")).toBeVisible();
  await page.getByRole("link", { name: "Leer en español" }).click();
  await expect(page.getByTestId("bulletin-issue")).toHaveAttribute("lang", "es");
  await expect(page.getByRole("heading", { level: 2, name: "Nuevas ofertas" })).toBeVisible();
  await expect(page.getByText("Con dos párrafos.")).toBeVisible();

  const feed = await page.request.get("/bulletin/rss.xml?lang=en");
  expect(feed.headers()["content-type"]).toBe("application/rss+xml; charset=utf-8");
  expect(await feed.text()).toContain(`<title>${title}</title>`);
});

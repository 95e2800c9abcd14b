import { randomBytes } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

// The e2e server is seeded with the demo accounts (prisma/seed.server.ts).
const DEMO_PASSWORD = "enlace-demo-2026";
const STAFF_EMAIL = "staff@enlace.demo";

// A page that logs an error (a failed hydration, a crashed script) fails its test. Chromium also
// logs every 4xx answer, which these tests provoke on purpose (a refused form is a 400).
const consoleErrors: string[] = [];
test.beforeEach(({ page }) => {
  consoleErrors.length = 0;
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) return;
    consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
});
test.afterEach(() => {
  expect(consoleErrors).toEqual([]);
});

async function logIn(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

async function logOut(page: Page) {
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login$/);
}

test("a new agency member signs up pending, staff approve them, and they see their verified organization", async ({ page }) => {
  const suffix = randomBytes(4).toString("hex");
  const member = {
    name: `E2E Member ${suffix}`,
    email: `e2e-member-${suffix}@example.test`,
    password: "a long e2e passphrase",
    organization: `Agencia E2E ${suffix}`,
  };

  await page.goto("/signup");
  await page.getByLabel("Your full name").fill(member.name);
  await page.getByLabel("Work email").fill(member.email);
  await page.getByLabel("Password").fill(member.password);
  await page.getByRole("radio", { name: "No, I will register it" }).check();
  await page.getByLabel("Name of the organization").fill(member.organization);
  await page.getByLabel("Country").selectOption({ label: "Peru" });
  await page.getByLabel("Type of organization").selectOption("agency");
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("flash")).toContainText("OAS staff will verify your account");
  await expect(page.getByTestId("pending-notice")).toContainText("you cannot publish them until OAS staff verify your account");
  const organizationCard = page.getByTestId("organization-card");
  await expect(organizationCard).toContainText(member.organization);
  await expect(organizationCard).toContainText("Peru");
  await expect(organizationCard).toContainText("Pending verification");
  await logOut(page);

  await page.goto("/login?redirectTo=%2Fstaff%2Faccounts");
  await logIn(page, STAFF_EMAIL, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/staff\/accounts$/);
  const request = page.getByTestId("pending-account").filter({ hasText: member.email });
  await expect(request).toContainText(member.organization);
  await request.getByRole("button", { name: `Approve the account of ${member.name}` }).click();
  await expect(page.getByTestId("flash")).toHaveText(`The account of ${member.name} was approved.`);
  await expect(page.getByTestId("pending-account").filter({ hasText: member.email })).toHaveCount(0);
  await logOut(page);

  await logIn(page, member.email, member.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("pending-notice")).toHaveCount(0);
  await expect(organizationCard).toContainText(member.organization);
  await expect(organizationCard).toContainText("Verified");
});

test("an anonymous visitor opening the dashboard is sent to log in and comes back after logging in", async ({ page }) => {
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fdashboard$/);

  await logIn(page, STAFF_EMAIL, "not the right password");
  await expect(page.getByRole("alert")).toContainText("The email or password is not correct.");
  await expect(page.getByLabel("Email")).toHaveValue(STAFF_EMAIL);
  await expect(page.getByLabel("Password")).toHaveValue("");

  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome, Demo OAS Staff");
  await expect(page.getByRole("link", { name: "Accounts waiting for review" })).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a sign-up with a short password comes back with the error and what was typed, except the password", async ({ page }) => {
    const email = `e2e-nojs-${randomBytes(4).toString("hex")}@example.test`;
    await page.goto("/signup");
    await page.getByLabel("Your full name").fill("Sin JavaScript");
    await page.getByLabel("Work email").fill(email);
    await page.getByLabel("Password").fill("too short");
    await page.getByRole("radio", { name: "No, I will register it" }).check();
    await page.getByLabel("Name of the organization").fill("Agencia Sin JS");
    await page.getByLabel("Country").selectOption({ label: "Chile" });
    await page.getByLabel("Type of organization").selectOption("ministry");
    await page.getByRole("button", { name: "Create account" }).click();

    await expect(page).toHaveURL(/\/signup$/);
    const password = page.getByLabel("Password");
    await expect(password).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByText("Use at least 12 characters.")).toBeVisible();
    await expect(password).toHaveValue("");
    await expect(page.getByLabel("Work email")).toHaveValue(email);
    await expect(page.getByLabel("Name of the organization")).toHaveValue("Agencia Sin JS");
    await expect(page.getByLabel("Country")).toHaveValue("CL");
  });
});

test("the log-in, sign-up and password pages pass an accessibility check, errors shown", async ({ page }) => {
  const check = async () => {
    const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21aa"]).analyze();
    expect(violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target).join(", ")}`)).toEqual([]);
  };

  await page.goto("/signup");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Enter your name.")).toBeVisible();
  await check();

  await page.goto("/login");
  await logIn(page, "nobody@example.test", "whatever it may be");
  await expect(page.getByRole("alert")).toContainText("The email or password is not correct.");
  await check();

  await logIn(page, STAFF_EMAIL, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/account/password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Enter your password.").first()).toBeVisible();
  await check();
});

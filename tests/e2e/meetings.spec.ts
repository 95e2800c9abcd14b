import { randomBytes } from "node:crypto";
import { expect, test, type Browser, type Page } from "@playwright/test";

// The e2e server is seeded with the demo accounts (prisma/seed.server.ts).
const DEMO_PASSWORD = "enlace-demo-2026";
const STAFF_EMAIL = "staff@enlace.demo";
const MEMBER_EMAIL = "elsalvador@enlace.demo";

// A page that logs an error (a failed hydration, a crashed script) fails its test. Chromium also
// logs every 4xx answer, which these tests provoke on purpose (a refused form is a 400).
const consoleErrors: string[] = [];
function watchConsole(page: Page) {
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) return;
    consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
}
test.beforeEach(({ page }) => {
  consoleErrors.length = 0;
  watchConsole(page);
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

/** "2027-03-10" for a day `days` from now, in UTC. */
function dayFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

async function meetingTimeIn(browser: Browser, baseURL: string, path: string, timezoneId: string): Promise<string> {
  const context = await browser.newContext({ baseURL, timezoneId, locale: "en-US" });
  try {
    const page = await context.newPage();
    watchConsole(page);
    await page.goto(path);
    const time = page.getByTestId("meeting-time").first();
    // Rendered in UTC on the server, then in the device's zone once the page runs.
    await expect(time).toHaveAttribute("data-time-zone", timezoneId);
    return (await time.textContent()) ?? "";
  } finally {
    await context.close();
  }
}

test("staff schedule a meeting, it shows in each viewer's time zone, and a member registers", async ({ page, browser, baseURL }) => {
  const title = `Quarterly MSME dialogue ${randomBytes(3).toString("hex")}`;
  const day = dayFromNow(45);
  await logIn(page, STAFF_EMAIL);

  // A start in the past is refused, naming the field.
  await page.goto("/meetings");
  await page.getByRole("link", { name: "Schedule a meeting" }).click();
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Date and time", { exact: true }).fill(`${dayFromNow(-2)}T15:00`);
  await page.getByLabel("Time zone of the date and time").selectOption("UTC");
  await page.getByRole("checkbox", { name: "Entrepreneurship and start-ups" }).check();
  await page.getByLabel("Agenda").fill("1. Welcome\n2. Business development centers: what worked");
  await page.getByLabel("Link to join (video call)").fill("https://meet.example.org/enlace-dialogue");
  await page.getByRole("button", { name: "Schedule the meeting" }).click();
  await expect(page.getByLabel("Date and time", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("The meeting must start in the future.")).toBeVisible();
  await expect(page).toHaveURL(/\/meetings\/new$/);

  await page.getByLabel("Date and time", { exact: true }).fill(`${day}T15:00`);
  await page.getByRole("button", { name: "Schedule the meeting" }).click();
  await expect(page.getByTestId("flash")).toHaveText("Meeting scheduled.");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  const meetingPath = new URL(page.url()).pathname;
  expect(meetingPath).toMatch(/^\/meetings\/[0-9a-f-]{36}$/);
  await logOut(page);

  // 15:00 UTC is 09:00 in Mexico City (UTC-6 all year) and midnight the next day in Tokyo (UTC+9).
  const base = baseURL ?? "";
  const mexico = await meetingTimeIn(browser, base, meetingPath, "America/Mexico_City");
  const tokyo = await meetingTimeIn(browser, base, meetingPath, "Asia/Tokyo");
  const [year, month, date] = day.split("-").map(Number);
  const sameDay = new Intl.DateTimeFormat("en-US", { dateStyle: "full", timeZone: "UTC" }).format(new Date(Date.UTC(year, month - 1, date)));
  const nextDay = new Intl.DateTimeFormat("en-US", { dateStyle: "full", timeZone: "UTC" }).format(new Date(Date.UTC(year, month - 1, date + 1)));
  expect(mexico).toContain(sameDay);
  expect(mexico).toMatch(/9:00\s?AM \(America\/Mexico City, GMT-6\)/);
  expect(tokyo).toContain(nextDay);
  expect(tokyo).toMatch(/12:00\s?AM \(Asia\/Tokyo, GMT\+9\)/);

  // A member registers (the member's interface is in Spanish) and gets the link to join.
  await logIn(page, MEMBER_EMAIL);
  await page.goto(meetingPath);
  await expect(page.getByTestId("meeting-link")).toHaveCount(0);
  await page.getByRole("button", { name: "Inscribirme" }).click();
  await expect(page.getByTestId("flash")).toHaveText("Quedó inscrito en esta reunión.");
  await expect(page.getByTestId("registered-note")).toBeVisible();
  await expect(page.getByTestId("meeting-link")).toHaveAttribute("href", "https://meet.example.org/enlace-dialogue");
  await expect(page.getByTestId("registration-count")).toHaveText("1 participante inscrito");

  // The calendar file is there for the registered member, with the link to join.
  const calendar = await page.request.get(`${meetingPath}/calendar.ics`);
  expect(calendar.headers()["content-type"]).toBe("text/calendar; charset=utf-8");
  const ics = (await calendar.text()).replace(/\r\n /g, "");
  expect(ics).toContain(`DTSTART:${day.replaceAll("-", "")}T150000Z`);
  expect(ics).toContain("https://meet.example.org/enlace-dialogue");

  // The registration is in the member's notifications.
  await page.goto("/notifications");
  await expect(page.getByTestId("notification").first()).toContainText(`Está inscrito en «${title}»`);
});

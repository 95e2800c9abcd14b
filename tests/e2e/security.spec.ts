import { expect, test, type Page } from "@playwright/test";

// The e2e server runs in production mode (tests/setup/e2e-global-setup.ts), so these are the
// headers a deployment sends. Decision record: docs/decisions/009-security-headers.md.
const DEMO_PASSWORD = "enlace-demo-2026";
const STAFF_EMAIL = "staff@enlace.demo";

type Violation = { directive: string; blockedURI: string; sample: string; page: string; source: string };

// Chromium logs a CSP violation as a console error too; the event names the directive.
const consoleErrors: string[] = [];
test.beforeEach(async ({ page }) => {
  consoleErrors.length = 0;
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) return;
    consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  // Kept in sessionStorage so that violations on every page of a journey add up across navigations.
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const seen: unknown = JSON.parse(sessionStorage.getItem("csp-violations") ?? "[]");
      const list = Array.isArray(seen) ? seen : [];
      list.push({
        directive: event.violatedDirective,
        blockedURI: event.blockedURI,
        sample: event.sample,
        page: location.pathname,
        source: `${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`,
      });
      sessionStorage.setItem("csp-violations", JSON.stringify(list));
    });
  });
});
test.afterEach(() => {
  expect(consoleErrors).toEqual([]);
});

async function violationsOn(page: Page): Promise<Violation[]> {
  const stored = await page.evaluate(() => sessionStorage.getItem("csp-violations") ?? "[]");
  const parsed: unknown = JSON.parse(stored);
  return Array.isArray(parsed) ? parsed.filter(isViolation) : [];
}

function isViolation(value: unknown): value is Violation {
  return typeof value === "object" && value !== null && "directive" in value && "blockedURI" in value;
}

function nonceOf(policy: string | undefined): string {
  const match = /script-src [^;]*'nonce-([A-Za-z0-9+/=]+)'/.exec(policy ?? "");
  if (!match?.[1]) throw new Error(`no script nonce in the policy: ${policy}`);
  return match[1];
}

test("every page answer carries the CSP with a fresh nonce that every script tag uses, and the other security headers", async ({ request }) => {
  const first = await request.get("/");
  const second = await request.get("/");
  expect(first.status()).toBe(200);
  const headers = first.headers();
  const policy = headers["content-security-policy"];
  for (const directive of [
    "default-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
  ]) {
    expect(policy.split("; ")).toContain(directive);
  }
  // Inline style attributes only (e-mail previews, decision 009); never inline scripts or <style>.
  expect(policy.split("; ")).toContain("style-src-attr 'unsafe-inline'");
  expect(policy.split("; ").filter((directive) => directive.includes("unsafe-"))).toEqual(["style-src-attr 'unsafe-inline'"]);
  // Production: no websocket for the dev server's live reload.
  expect(policy).not.toContain("ws:");
  expect(headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["permissions-policy"]).toContain("camera=()");
  expect(headers["x-powered-by"]).toBeUndefined();

  const nonce = nonceOf(policy);
  expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  expect(nonceOf(second.headers()["content-security-policy"])).not.toBe(nonce);

  const html = await first.text();
  const scriptTags = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scriptTags.length).toBeGreaterThan(2);
  for (const tag of scriptTags) expect(tag).toContain(`nonce="${nonce}"`);
  expect(html).not.toMatch(/<style\b/);
  expect(html).not.toMatch(/\sstyle="/);
});

test("static files and data requests carry the headers too", async ({ request }) => {
  for (const path of ["/favicon.svg", "/healthz", "/offers?_data=routes%2Foffers._index"]) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    expect(response.headers()["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(response.headers()["x-content-type-options"], path).toBe("nosniff");
  }
});

test("a form post from another site is refused with 403 before it reaches the app; the same site's post is not", async ({ request, baseURL }) => {
  const form = { email: "nobody@example.test", password: "not the password" };
  const crossOrigin = await request.post("/login", { form, headers: { Origin: "https://evil.example" }, maxRedirects: 0 });
  expect(crossOrigin.status()).toBe(403);
  expect(await crossOrigin.text()).toContain("Cross-origin request refused");

  const crossReferer = await request.post("/logout", { form: {}, headers: { Referer: "https://evil.example/page" }, maxRedirects: 0 });
  expect(crossReferer.status()).toBe(403);

  const opaque = await request.post("/set-language", { form: { locale: "es" }, headers: { Origin: "null" }, maxRedirects: 0 });
  expect(opaque.status()).toBe(403);

  const sameOrigin = await request.post("/login", { form, headers: { Origin: baseURL ?? "" }, maxRedirects: 0 });
  expect(sameOrigin.status()).toBe(400);
});

test("pages hydrate and navigate under the CSP without a single violation", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "Log in" }).first().click();
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Email").fill(STAFF_EMAIL);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  // Client-side navigation only works when the nonce'd scripts ran.
  for (const path of ["/offers", "/search?q=agua", "/meetings", "/meetings/new", "/bulletin", "/insights", "/staff", "/staff/accounts", "/staff/exchange", "/notifications"]) {
    await page.goto(path);
    await expect(page.locator("main")).toBeVisible();
  }
  await page.goto("/offers");
  const hydrated = await page.evaluate(() => "__remixContext" in window && "__remixRouter" in window);
  expect(hydrated).toBe(true);
  expect(await violationsOn(page)).toEqual([]);
});

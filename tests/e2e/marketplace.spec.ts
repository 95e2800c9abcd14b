import { randomBytes } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";

// The e2e server is seeded with the demo catalogue and accounts (prisma/seed.server.ts). Both
// member accounts prefer Spanish, so once logged in they see the interface in Spanish.
const DEMO_PASSWORD = "enlace-demo-2026";
const EL_SALVADOR = "elsalvador@enlace.demo";
const HONDURAS = "honduras@enlace.demo";
const SCREENSHOTS = "test-results/screenshots";

// A page that logs an error (a failed hydration, a crashed script) fails its test. Chromium also
// logs every 4xx answer, which these tests provoke on purpose (a refused edit is a 403).
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

/** A browser of its own for each person, so their cookies (session, language) never mix. */
async function openAs(browser: Browser, email: string | null): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: "en-US" });
  const page = await context.newPage();
  watchConsole(page);
  if (email) {
    await page.goto("/login");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page).toHaveURL(/\/dashboard/);
  }
  return { context, page };
}

async function expectNoSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(
    serious.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).join(", ")})`),
  ).toEqual([]);
}

async function screenshots(page: Page, name: string) {
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.screenshot({ path: `${SCREENSHOTS}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("a member drafts an offer in Spanish and publishes it; a visitor finds and reads it; another agency cannot edit it", async ({ browser }) => {
  const title = `Red de centros de desarrollo empresarial ${randomBytes(3).toString("hex")}`;

  // El Salvador's member writes the offer; the interface speaks Spanish to them.
  const member = await openAs(browser, EL_SALVADOR);
  await member.page.goto("/offers/new");
  await expect(member.page.locator("html")).toHaveAttribute("lang", "es");
  await member.page.getByLabel("Título").fill(title);
  await member.page.getByLabel("Resumen").fill("Una red nacional de centros que acompaña a las micro y pequeñas empresas.");
  await member.page.getByLabel("Idioma del texto").selectOption("es");
  await member.page
    .getByRole("textbox", { name: "Descripción" })
    .fill("Cada centro ofrece asesoría y capacitación. Las ventas de las empresas atendidas crecieron 18 % en dos años.");
  await member.page.getByRole("checkbox", { name: "Centros de desarrollo empresarial (modelo SBDC)" }).check();
  await member.page.getByRole("checkbox", { name: "Visita de estudio" }).check();
  await member.page.getByRole("checkbox", { name: "Misión de expertos" }).check();
  await member.page.getByRole("group", { name: "Idiomas de trabajo" }).getByRole("checkbox", { name: "Español" }).check();
  await member.page.getByRole("button", { name: "Guardar borrador" }).click();

  await expect(member.page).toHaveURL(/\/offers\/[0-9a-f-]{36}$/);
  const offerUrl = new URL(member.page.url()).pathname;
  await expect(member.page.getByTestId("flash")).toContainText("Borrador guardado");
  await expect(member.page.getByTestId("status-badge")).toContainText("Borrador");
  await expect(member.page.getByRole("heading", { level: 1 })).toHaveText(title);

  // A draft is not public yet.
  const visitor = await openAs(browser, null);
  expect((await visitor.page.goto(offerUrl))?.status()).toBe(404);

  await member.page.getByRole("button", { name: "Publicar" }).click();
  await expect(member.page.getByTestId("flash")).toContainText("Publicada");
  await expect(member.page.getByTestId("status-badge")).toHaveCount(0);

  // An anonymous visitor filters the public list, finds the offer and reads it.
  await visitor.page.goto("/offers");
  await visitor.page.getByRole("combobox", { name: "Theme" }).selectOption({ label: "Business development centers (SBDC model)" });
  await visitor.page.getByRole("combobox", { name: "Country" }).selectOption({ label: "El Salvador" });
  await visitor.page.getByRole("button", { name: "Apply filters" }).click();
  await expect(visitor.page).toHaveURL(/theme=business-development-centers/);
  await visitor.page.getByRole("link", { name: title }).click();
  await expect(visitor.page).toHaveURL(new RegExp(`${offerUrl}$`));
  const heading = visitor.page.getByRole("heading", { level: 1 });
  await expect(heading).toHaveText(title);
  await expect(heading).toHaveAttribute("lang", "es");
  await expect(visitor.page.getByTestId("language-tag").first()).toContainText("es");
  await expect(visitor.page.getByTestId("evidence-badge")).toContainText("Results reported");
  await expect(visitor.page.getByTestId("last-confirmed")).toContainText(String(new Date().getUTCFullYear()));
  await expect(visitor.page.getByRole("link", { name: "Edit" })).toHaveCount(0);
  await expect(visitor.page.getByTestId("request-this-program")).toHaveCount(0);

  // Honduras's member may ask for the program, never edit it.
  const other = await openAs(browser, HONDURAS);
  await other.page.goto(offerUrl);
  await expect(other.page.getByRole("link", { name: "Editar" })).toHaveCount(0);
  await expect(other.page.getByTestId("request-this-program")).toBeVisible();
  const editResponse = await other.page.goto(`${offerUrl}/edit`);
  expect(editResponse?.status()).toBe(403);
  await expect(other.page.getByRole("textbox", { name: "Título" })).toHaveCount(0);
  const refused = await other.page.request.post(offerUrl, { form: { intent: "archive" }, headers: { Origin: new URL(other.page.url()).origin } });
  expect(refused.status()).toBe(403);

  await member.page.reload();
  await expect(member.page.getByRole("heading", { level: 1 })).toHaveText(title);
  for (const session of [member, visitor, other]) await session.context.close();
});

test("a member drafts a request and publishes it; verified members read it, visitors must log in, another agency cannot edit it", async ({ browser }) => {
  const title = `Fortalecer los centros de atención a emprendedores ${randomBytes(3).toString("hex")}`;

  const member = await openAs(browser, HONDURAS);
  await member.page.goto("/requests/new");
  await member.page.getByLabel("Título").fill(title);
  await member.page.getByLabel("Resumen").fill("Necesitamos apoyo para diseñar una red de centros de atención a emprendedores.");
  await member.page.getByLabel("Idioma del texto").selectOption("es");
  await member.page.getByRole("checkbox", { name: "Emprendimiento" }).check();
  await member.page.getByRole("group", { name: "Idiomas de trabajo" }).getByRole("checkbox", { name: "Español" }).check();
  await member.page.getByLabel("Inicio deseado").fill("2027-03-01");
  await member.page.getByLabel("Fin deseado").fill("2027-01-31");
  await member.page.getByRole("button", { name: "Guardar borrador" }).click();

  // The end before the start is refused next to the field, and what was typed stays.
  await expect(member.page.getByText("El fin no puede ser anterior al inicio.")).toBeVisible();
  await expect(member.page.getByLabel("Título")).toHaveValue(title);
  await member.page.getByLabel("Fin deseado").fill("2027-09-30");
  await member.page.getByRole("button", { name: "Guardar borrador" }).click();

  await expect(member.page).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
  const requestUrl = new URL(member.page.url()).pathname;
  await expect(member.page.getByTestId("status-badge")).toContainText("Borrador");
  await member.page.getByRole("button", { name: "Publicar" }).click();
  await expect(member.page.getByTestId("status-badge")).toContainText("Abierta");

  // Requests are not public: a visitor is asked to log in.
  const visitor = await openAs(browser, null);
  await visitor.page.goto("/requests");
  await expect(visitor.page).toHaveURL(/\/login\?redirectTo=%2Frequests$/);
  await visitor.page.goto(requestUrl);
  await expect(visitor.page).toHaveURL(/\/login\?redirectTo=/);

  // A verified member of another agency finds it in the list and reads it, but cannot edit it.
  const other = await openAs(browser, EL_SALVADOR);
  await other.page.goto("/requests");
  await other.page.getByRole("combobox", { name: "Tema" }).selectOption("entrepreneurship");
  await other.page.getByRole("button", { name: "Aplicar filtros" }).click();
  await other.page.getByRole("link", { name: title }).click();
  await expect(other.page).toHaveURL(new RegExp(`${requestUrl}$`));
  await expect(other.page.getByRole("heading", { level: 1 })).toHaveAttribute("lang", "es");
  await expect(other.page.getByText("Período deseado").or(other.page.getByText("Inicio deseado"))).toBeVisible();
  await expect(other.page.getByRole("link", { name: "Editar" })).toHaveCount(0);
  expect((await other.page.goto(`${requestUrl}/edit`))?.status()).toBe(403);

  for (const session of [member, visitor, other]) await session.context.close();
});

test("request this program starts a request prefilled from the offer", async ({ browser }) => {
  const member = await openAs(browser, HONDURAS);
  await member.page.goto("/offers?country=SV");
  const offerLink = member.page.getByTestId("offer-card").first().getByRole("heading").getByRole("link");
  const offerTitle = ((await offerLink.textContent()) ?? "").trim();
  await offerLink.click();
  await expect(member.page).toHaveURL(/\/offers\/[0-9a-f-]{36}$/);
  // The address changes before the new page is on screen: wait for its title, not the list's.
  await expect(member.page.getByRole("heading", { level: 1 })).toHaveText(offerTitle);
  await member.page.getByTestId("request-this-program").click();
  await expect(member.page).toHaveURL(/\/requests\/new\?fromOffer=/);
  await expect(member.page.getByTestId("from-offer")).toContainText(offerTitle);
  await expect(member.page.getByLabel("Título")).toHaveValue(new RegExp(offerTitle.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  await member.context.close();
});

test("switching the language changes every label of the page", async ({ page }) => {
  await page.goto("/offers");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  const english = ["Offers", "Filter", "Theme", "Country", "Way of transfer", "Language", "Apply filters", "Log in", "Sign up"];
  for (const label of english) await expect(page.getByText(label, { exact: true }).first()).toBeVisible();

  await page.getByRole("button", { name: "Español" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await expect(page).toHaveURL(/\/offers$/);
  const spanish = ["Ofertas", "Filtrar", "Tema", "País", "Modalidad de transferencia", "Idioma", "Aplicar filtros", "Iniciar sesión"];
  for (const label of spanish) await expect(page.getByText(label, { exact: true }).first()).toBeVisible();
  await expect(page.getByRole("option", { name: "Todos los temas" })).toHaveCount(1);
  await expect(page.getByRole("option", { name: "Emprendimiento" })).toHaveCount(1);

  // Nothing of the interface is left in English: every English label is gone from the page's
  // UI text (record titles and summaries keep their own language and are left out).
  const uiText = await page.evaluate(() => {
    const clone = document.body.cloneNode(true);
    if (!(clone instanceof HTMLElement)) return "";
    for (const element of clone.querySelectorAll("[lang], script, style")) element.remove();
    return clone.innerText;
  });
  for (const label of [...english, "Published", "Results reported", "Evaluated", "Described", "All themes", "Next page"]) {
    expect(uiText.split("\n").map((line) => line.trim())).not.toContain(label);
  }

  // The choice is remembered.
  await page.goto("/offers");
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await page.getByTestId("offer-card").first().getByRole("heading").getByRole("link").click();
  await expect(page.getByText("Vigencia confirmada por última vez")).toBeVisible();
  await expect(page.getByText("Last confirmed current")).toHaveCount(0);
});

test("an unknown offer answers a 404 page in the reader's language", async ({ page }) => {
  const response = await page.goto("/offers/00000000-0000-4000-8000-000000000000");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await page.getByRole("button", { name: "Español" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Página no encontrada");
});

test("home, browse, detail and form pages have no serious accessibility violation, and look finished on a phone and a desktop", async ({ browser, page }) => {
  await page.goto("/");
  await expectNoSeriousViolations(page);
  await screenshots(page, "home");

  await page.goto("/offers");
  await expectNoSeriousViolations(page);
  await screenshots(page, "offers");

  await page.getByTestId("offer-card").first().getByRole("heading").getByRole("link").click();
  await expect(page).toHaveURL(/\/offers\/[0-9a-f-]{36}$/);
  await expectNoSeriousViolations(page);
  await screenshots(page, "offer-detail");

  const member = await openAs(browser, EL_SALVADOR);
  await member.page.goto("/offers/new");
  await expectNoSeriousViolations(member.page);
  await screenshots(member.page, "offer-form");
  // The form with its errors shown, as a member sees it after a refused submission.
  await member.page.getByRole("button", { name: "Guardar borrador" }).click();
  await expect(member.page.getByText("Este campo es obligatorio.").first()).toBeVisible();
  await expectNoSeriousViolations(member.page);
  await screenshots(member.page, "offer-form-errors");

  await member.page.goto("/requests");
  await expectNoSeriousViolations(member.page);
  await screenshots(member.page, "requests");
  await member.page.getByTestId("request-card").first().getByRole("heading").getByRole("link").click();
  await expectNoSeriousViolations(member.page);
  await screenshots(member.page, "request-detail");

  await member.page.goto("/requests/new");
  await expectNoSeriousViolations(member.page);
  await screenshots(member.page, "request-form");

  await member.page.goto("/dashboard/catalogue");
  await expectNoSeriousViolations(member.page);
  await screenshots(member.page, "dashboard-catalogue");

  await member.page.goto("/countries/SV");
  await expectNoSeriousViolations(member.page);
  await screenshots(member.page, "country");
  await member.context.close();
});

import { randomBytes } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";

// The whole brokering story in Chromium, against the e2e server (demo seed, job worker with
// matching): Honduras publishes a request for small-business development centers, the matcher
// proposes El Salvador's CDMYPE model with its reasons, staff confirm, both agencies accept, the
// cooperation gets an activity, is completed, both file outcomes, and it shows on both countries'
// pages and in the audit log. Members prefer Spanish; staff English.
const DEMO_PASSWORD = "enlace-demo-2026";
const EL_SALVADOR = "elsalvador@enlace.demo";
const HONDURAS = "honduras@enlace.demo";
const STAFF = "staff@enlace.demo";
const CDMYPE_OFFER = "Modelo CDMYPE: centros de desarrollo de la micro y pequeña empresa operados con universidades";

const consoleErrors: string[] = [];

function watchConsole(page: Page) {
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    // Chromium logs every 4xx answer, which the refused rating provokes on purpose.
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) return;
    consoleErrors.push(`${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
}

test.beforeEach(() => {
  consoleErrors.length = 0;
});
test.afterEach(() => {
  expect(consoleErrors).toEqual([]);
});

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

const SCREENSHOTS = "test-results/screenshots";

/** No serious accessibility violation, and a full-page picture at a phone's and a desktop's width. */
async function checkPage(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(serious.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).join(", ")})`)).toEqual([]);
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.screenshot({ path: `${SCREENSHOTS}/brokering-${name}-${width}.png`, fullPage: true });
  }
}

async function fileOutcome(page: Page, { rating, adoption }: { rating: string; adoption: string }) {
  await page.getByLabel("Qué se transfirió").fill("El modelo de centros: convenio con universidades, perfil y certificación de asesores, registro de clientes.");
  await page.getByLabel("Personas capacitadas").fill("24");
  await page.getByLabel("Formadores certificados").fill("4");
  await page.getByLabel("Valoración (1 a 5)").fill(rating);
  await page.getByLabel("¿El país solicitante adoptó o adaptó el programa?").selectOption({ label: adoption });
  await page.getByRole("button", { name: "Presentar el informe" }).click();
}

test("Honduras asks, the matcher proposes El Salvador's CDMYPE model, staff confirm, both accept, the cooperation runs and reports its outcomes", async ({ browser }) => {
  test.setTimeout(180_000);
  const title = `Red nacional de centros de desarrollo empresarial para pequeñas empresas ${randomBytes(3).toString("hex")}`;

  // 1. Honduras publishes the request.
  const honduras = await openAs(browser, HONDURAS);
  await honduras.page.goto("/requests/new");
  await honduras.page.getByLabel("Título").fill(title);
  await honduras.page
    .getByLabel("Resumen")
    .fill("Buscamos asistencia técnica para crear una red de centros de desarrollo empresarial para la micro y pequeña empresa, operados con universidades, según el modelo SBDC.");
  await honduras.page.getByLabel("Idioma del texto").selectOption("es");
  await honduras.page.getByRole("checkbox", { name: "Centros de desarrollo empresarial (modelo SBDC)" }).check();
  await honduras.page.getByRole("group", { name: "Idiomas de trabajo" }).getByRole("checkbox", { name: "Español" }).check();
  await honduras.page.getByLabel("Inicio deseado").fill("2027-03-01");
  await honduras.page.getByLabel("Fin deseado").fill("2027-12-31");
  await honduras.page.getByRole("button", { name: "Guardar borrador" }).click();
  await expect(honduras.page).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
  const requestId = new URL(honduras.page.url()).pathname.split("/").pop() ?? "";
  await honduras.page.getByRole("button", { name: "Publicar" }).click();
  await expect(honduras.page.getByTestId("status-badge")).toContainText("Abierta");

  // 2. The matching job proposes El Salvador's offer within seconds; staff find it on the request's view.
  const staff = await openAs(browser, STAFF);
  const proposalLink = staff.page.locator('a[href^="/staff/pairings/"]', { hasText: CDMYPE_OFFER }).first();
  await expect(async () => {
    await staff.page.goto(`/staff/pairings/requests/${requestId}`);
    await expect(proposalLink).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 90_000, intervals: [1_000, 2_000] });
  await proposalLink.click();
  await expect(staff.page).toHaveURL(/\/staff\/pairings\/[0-9a-f-]{36}$/);
  const pairingPath = new URL(staff.page.url()).pathname;
  const pairingId = pairingPath.split("/").pop() ?? "";
  await expect(staff.page.getByTestId("pairing-request")).toContainText(title);
  await expect(staff.page.getByTestId("pairing-offer")).toContainText(CDMYPE_OFFER);
  // Its reasons, in the staff member's language, and the factor breakdown.
  await expect(staff.page.getByTestId("pairing-reasons").getByRole("listitem").first()).toBeVisible();
  await expect(staff.page.getByTestId("factor-table")).toContainText("Theme fit");
  await expect(staff.page.getByTestId("pairing-status")).toHaveText("Proposed");
  await checkPage(staff.page, "staff-pairing");

  // 3. Staff confirm, with a note to the agencies and an internal note.
  await staff.page.getByLabel("Note to the agencies (optional)").fill("CONAMYPE can host a study visit in the first quarter.");
  await staff.page.getByLabel("Internal note (optional)").first().fill("Checked with the desk officer: strong fit.");
  await staff.page.getByRole("button", { name: "Confirm and ask both agencies" }).click();
  await expect(staff.page.getByTestId("flash")).toContainText("Pairing confirmed");
  await expect(staff.page.getByTestId("pairing-status")).toHaveText("Confirmed, awaiting the agencies");

  // 4. El Salvador accepts from its dashboard; it reads the note to the agencies, never the internal one.
  const elSalvador = await openAs(browser, EL_SALVADOR);
  await elSalvador.page.getByTestId("dashboard-pairings").getByRole("link", { name: new RegExp(title) }).click();
  await expect(elSalvador.page).toHaveURL(new RegExp(`/pairings/${pairingId}$`));
  await expect(elSalvador.page.getByTestId("agency-note")).toHaveText("CONAMYPE can host a study visit in the first quarter.");
  await expect(elSalvador.page.getByText("Checked with the desk officer")).toHaveCount(0);
  await expect(elSalvador.page.getByTestId("pairing-reasons").getByRole("listitem").first()).toBeVisible();
  await checkPage(elSalvador.page, "agency-pairing");
  await elSalvador.page.getByRole("button", { name: "Aceptar" }).click();
  await expect(elSalvador.page.getByTestId("flash")).toContainText("Aceptó el emparejamiento");

  // 5. Honduras accepts: both did, the cooperation starts.
  await honduras.page.goto(`/pairings/${pairingId}`);
  await honduras.page.getByRole("button", { name: "Aceptar" }).click();
  await expect(honduras.page).toHaveURL(/\/cooperations\/[0-9a-f-]{36}$/);
  const cooperationPath = new URL(honduras.page.url()).pathname;
  await expect(honduras.page.getByTestId("flash")).toContainText("Ambas agencias aceptaron");
  await expect(honduras.page.getByTestId("cooperation-status")).toHaveText("Planificada");

  // 6. An activity, then in progress, then completed.
  await honduras.page.getByText("Añadir una actividad").click();
  await honduras.page.getByLabel("Título de la actividad").fill("Visita de estudio a CDMYPE en San Salvador");
  await honduras.page.getByLabel("Modalidad").selectOption("study-visit");
  await honduras.page.getByLabel("Comienza el").fill("2027-03-08");
  await honduras.page.getByLabel("Termina el").fill("2027-03-12");
  await honduras.page.getByLabel("Lugar").fill("San Salvador");
  await honduras.page.getByLabel("Participantes").fill("8");
  await honduras.page.getByRole("button", { name: "Guardar la actividad" }).click();
  await expect(honduras.page.getByTestId("flash")).toContainText("Actividad añadida");
  await expect(honduras.page.getByTestId("activities")).toContainText("Visita de estudio a CDMYPE en San Salvador");
  await expect(honduras.page.getByTestId("activities")).toContainText("Visita de estudio");
  await honduras.page.getByRole("button", { name: "Iniciar la cooperación" }).click();
  await expect(honduras.page.getByTestId("cooperation-status")).toHaveText("En curso");
  await honduras.page.getByRole("button", { name: "Marcar como concluida" }).click();
  await expect(honduras.page.getByTestId("cooperation-status")).toHaveText("Concluida");

  // 7. Both file their outcome report; a rating of 7 is refused next to the field.
  await fileOutcome(honduras.page, { rating: "7", adoption: "Adaptó el programa" });
  await expect(honduras.page.getByText("La valoración es un número entero de 1 a 5.")).toBeVisible();
  await honduras.page.getByLabel("Valoración (1 a 5)").fill("5");
  await honduras.page.getByRole("button", { name: "Presentar el informe" }).click();
  await expect(honduras.page.getByTestId("flash")).toContainText("Informe de resultados presentado");
  await elSalvador.page.goto(cooperationPath);
  await fileOutcome(elSalvador.page, { rating: "4", adoption: "Adaptó el programa" });
  await expect(elSalvador.page.getByTestId("flash")).toContainText("Informe de resultados presentado");
  await expect(elSalvador.page.getByTestId("outcomes")).toContainText("Valoración: 5 de 5");
  await expect(elSalvador.page.getByTestId("outcomes")).toContainText("Valoración: 4 de 5");

  // 8. The cooperation shows on both countries' pages, for anyone.
  const visitor = await openAs(browser, null);
  for (const code of ["HN", "SV"]) {
    await visitor.page.goto(`/countries/${code}`);
    await expect(visitor.page.getByTestId("cooperations").locator(`a[href="${cooperationPath}"]`)).toHaveText(CDMYPE_OFFER);
  }

  // 9. Staff see every step in the audit log, who and from what to what.
  await staff.page.goto(cooperationPath);
  const audit = staff.page.getByTestId("audit-log");
  for (const action of [
    "Confirmed by staff",
    "Accepted by the offering agency",
    "Accepted by the requesting agency",
    "Cooperation started",
    "Activity added",
    "Work began",
    "Completed",
    "Outcome report filed by the requesting agency",
    "Outcome report filed by the offering agency",
  ]) {
    await expect(audit.getByRole("cell", { name: action, exact: true })).toBeVisible();
  }
  await expect(audit.getByRole("row").filter({ has: staff.page.getByRole("cell", { name: "Completed", exact: true }) })).toContainText("in progress → completed");
  await checkPage(staff.page, "cooperation");
  await staff.page.goto("/staff/pairings?country=HN&sort=age");
  await expect(staff.page.getByTestId("pairing-queue")).toBeVisible();
  await checkPage(staff.page, "queue");
  // The agencies see no audit log (it holds internal notes).
  await expect(honduras.page.getByTestId("audit-log")).toHaveCount(0);

  for (const session of [honduras, staff, elSalvador, visitor]) await session.context.close();
});

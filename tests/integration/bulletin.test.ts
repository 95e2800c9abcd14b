// The bulletin: double opt-in subscriptions, composing an issue from what happened since the
// last one, publishing it once in English and Spanish to confirmed readers through the mail
// outbox (over a real SMTP server), the public archive and RSS feed, and one-click unsubscribe.
import { randomInt } from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import { action as subscribeAction } from "~/routes/bulletin.subscribe";
import { loader as confirmLoader } from "~/routes/bulletin.confirm";
import { action as unsubscribeAction, loader as unsubscribeLoader } from "~/routes/bulletin.unsubscribe";
import { loader as archiveLoader } from "~/routes/bulletin._index";
import { loader as issueLoader } from "~/routes/bulletin.$month";
import { loader as rssLoader } from "~/routes/bulletin.rss[.]xml";
import { action as composeAction, loader as staffListLoader } from "~/routes/staff.bulletin._index";
import { action as issueAction, loader as staffIssueLoader } from "~/routes/staff.bulletin.$id";
import { getPrisma } from "~/utils/db.server";
import { fieldErrors, getRequest, insertOffer, insertRequest, postRequest, respond } from "../factories/catalogue";
import { createLoggedInUser, createOrganization, uniqueEmail, uniqueSuffix } from "../factories/users";
import { discardQueuedMailJobs, ensureJobQueue, mailRowsTo, runMailJobs, startSmtpServer, useSmtpUrl, type TestSmtpServer } from "./mail-helpers";

let smtp: TestSmtpServer;
let staffCookie: string;

beforeAll(async () => {
  await ensureJobQueue();
  smtp = await startSmtpServer();
  staffCookie = (await createLoggedInUser({ role: "staff" })).cookie;
});

afterAll(async () => {
  useSmtpUrl(undefined);
  await smtp?.stop();
});

// Every test composes its own month, far from today's and from each other's.
function uniqueMonth(): string {
  return `${2200 + randomInt(7000)}-${String(1 + randomInt(12)).padStart(2, "0")}`;
}

function tokenFrom(text: string, path: "/bulletin/confirm" | "/bulletin/unsubscribe"): string {
  const match = new RegExp(`${path}\\?token=([A-Za-z0-9_-]+)`).exec(text);
  if (!match) throw new Error(`no ${path} link in:\n${text}`);
  return match[1];
}

async function subscribe(email: string, locale: "en" | "es") {
  return respond(subscribeAction, postRequest("/bulletin/subscribe", { email, locale }));
}

/** Subscribes and confirms through the link of the confirmation mail; returns the unsubscribe token. */
async function confirmedSubscriber(locale: "en" | "es") {
  const email = uniqueEmail(`reader-${locale}`);
  await subscribe(email, locale);
  const [mail] = await mailRowsTo(email);
  const confirmed = await respond(confirmLoader, getRequest(`/bulletin/confirm?token=${tokenFrom(mail.text, "/bulletin/confirm")}`));
  expect(confirmed.status).toBe(200);
  const subscriber = await getPrisma().bulletinSubscriber.findUniqueOrThrow({ where: { email }, select: { id: true, unsubscribeToken: true } });
  return { email, ...subscriber };
}

async function compose(month: string) {
  return respond(composeAction, postRequest("/staff/bulletin", { intent: "compose", month }, { cookie: staffCookie }));
}

async function composedIssueId(month: string): Promise<string> {
  const response = await compose(month);
  expect(response.status).toBe(302);
  const location = response.headers.get("Location") ?? "";
  expect(location).toMatch(/^\/staff\/bulletin\/[0-9a-f-]{36}$/);
  return location.slice("/staff/bulletin/".length);
}

async function publish(issueId: string) {
  return respond(issueAction, postRequest(`/staff/bulletin/${issueId}`, { intent: "publish" }, { cookie: staffCookie }), { id: issueId });
}

function subscriberStatuses() {
  return getPrisma().bulletinSubscriber.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true, confirmToken: true, unsubscribeToken: true } });
}

// ---------------------------------------------------------------------------------------
// Subscribing

test("subscribing mails a confirmation link in the chosen language; the link confirms the address", async () => {
  const email = uniqueEmail("subscriber");

  const response = await subscribe(email.toUpperCase(), "es");

  expect(response.status).toBe(302);
  const subscriber = await getPrisma().bulletinSubscriber.findUniqueOrThrow({ where: { email }, select: { status: true, locale: true } });
  expect(subscriber).toEqual({ status: "pending", locale: "es" });
  const [mail] = await mailRowsTo(email);
  expect(mail).toMatchObject({ template: "bulletin-confirm", locale: "es", subject: "Confirme su suscripción al boletín de Enlace" });

  const confirmed = await respond(confirmLoader, getRequest(`/bulletin/confirm?token=${tokenFrom(mail.text, "/bulletin/confirm")}`));

  expect(confirmed.status).toBe(200);
  expect((await confirmed.json()).message).toContain(email);
  expect((await getPrisma().bulletinSubscriber.findUniqueOrThrow({ where: { email }, select: { status: true } })).status).toBe("confirmed");
});

test("asking again within the hour sends no second mail, and a confirmed address gets none", async () => {
  const email = uniqueEmail("repeat");
  await subscribe(email, "en");
  await subscribe(email, "en");
  expect(await mailRowsTo(email)).toHaveLength(1);

  const reader = await confirmedSubscriber("en");
  await subscribe(reader.email, "es");
  expect(await mailRowsTo(reader.email)).toHaveLength(1);
});

test("a bad address answers 400 naming the field and stores nothing", async () => {
  const before = await getPrisma().bulletinSubscriber.count();

  const response = await respond(subscribeAction, postRequest("/bulletin/subscribe", { email: "not-an-address", locale: "es" }));

  expect(response.status).toBe(400);
  expect(await fieldErrors(response)).toEqual({ email: ["bulletin:validation.invalidEmail"] });
  expect(await getPrisma().bulletinSubscriber.count()).toBe(before);
});

test("a forged confirmation token gets a clear message and changes nothing", async () => {
  await subscribe(uniqueEmail("pending"), "en");
  const before = await subscriberStatuses();

  const response = await respond(confirmLoader, getRequest(`/bulletin/confirm?token=${"A".repeat(43)}`));

  expect(response.status).toBe(400);
  expect((await response.json()).message).toMatch(/not valid, so nothing was changed/);
  expect(await subscriberStatuses()).toEqual(before);
});

// ---------------------------------------------------------------------------------------
// Composing and publishing

test("only staff compose; the draft is prefilled with what happened since the last issue", async () => {
  const member = await createLoggedInUser();
  const refused = await respond(composeAction, postRequest("/staff/bulletin", { intent: "compose", month: uniqueMonth() }, { cookie: member.cookie }));
  expect(refused.status).toBe(403);

  const organization = await createOrganization({ countryCode: "SV" });
  const token = uniqueSuffix();
  const offer = await insertOffer({ organizationId: organization.id, title: `Centros de desarrollo ${token}`, language: "es" });
  const request = await insertRequest({ organizationId: organization.id, title: `Need ${token}` });
  const draftOffer = await insertOffer({ organizationId: organization.id, status: "draft", title: `Draft ${token}` });
  const meeting = await getPrisma().meeting.create({
    data: { title: `Quarterly ${token}`, startsAt: new Date(Date.now() + 30 * 86_400_000), themes: ["entrepreneurship"], agenda: "1. Intro", link: "https://meet.example/x" },
    select: { id: true },
  });

  const id = await composedIssueId(uniqueMonth());

  const issue = await getPrisma().bulletinIssue.findUniqueOrThrow({ where: { id }, select: { status: true, highlights: true, titleEs: true } });
  expect(issue.status).toBe("draft");
  expect(issue.titleEs).toMatch(/^Boletín de Enlace — /);
  const text = JSON.stringify(issue.highlights);
  expect(text).toContain(offer.id);
  expect(text).toContain(request.id);
  expect(text).toContain(meeting.id);
  expect(text).not.toContain(draftOffer.id);
  expect(text).toContain("El Salvador");
});

test("editing keeps what staff ticked; an empty title answers 400 naming the field", async () => {
  const organization = await createOrganization();
  const kept = await insertOffer({ organizationId: organization.id });
  const dropped = await insertOffer({ organizationId: organization.id });
  const id = await composedIssueId(uniqueMonth());
  const issue = await getPrisma().bulletinIssue.findUniqueOrThrow({ where: { id }, select: { highlights: true } });
  const fields = { intent: "save", titleEn: "Edited", titleEs: "Editado", introEn: "Hello", introEs: "Hola" };

  const bad = await respond(issueAction, postRequest(`/staff/bulletin/${id}`, { ...fields, titleEn: " " }, { cookie: staffCookie }), { id });
  expect(bad.status).toBe(400);
  expect(await fieldErrors(bad)).toEqual({ titleEn: ["bulletin:validation.required"] });
  expect(await getPrisma().bulletinIssue.findUniqueOrThrow({ where: { id }, select: { highlights: true } })).toEqual(issue);

  expect(JSON.stringify(issue.highlights)).toContain(kept.id);
  expect(JSON.stringify(issue.highlights)).toContain(dropped.id);
  const saved = await respond(issueAction, postRequest(`/staff/bulletin/${id}`, { ...fields, keepOffers: [kept.id] }, { cookie: staffCookie }), { id });

  expect(saved.status).toBe(302);
  const after = await getPrisma().bulletinIssue.findUniqueOrThrow({ where: { id }, select: { titleEn: true, highlights: true } });
  expect(after.titleEn).toBe("Edited");
  expect(JSON.stringify(after.highlights)).toContain(kept.id);
  expect(JSON.stringify(after.highlights)).not.toContain(dropped.id);
});

test("the preview renders the e-mail in both languages", async () => {
  const id = await composedIssueId(uniqueMonth());

  const response = await respond(staffIssueLoader, getRequest(`/staff/bulletin/${id}`, { cookie: staffCookie }), { id });

  expect(response.status).toBe(200);
  const { previews } = await response.json();
  expect(previews.en).toContain('<html lang="en">');
  expect(previews.en).toContain("Enlace bulletin — ");
  expect(previews.es).toContain('<html lang="es">');
  expect(previews.es).toContain("Boletín de Enlace — ");
});

test("publishing sends one mail per confirmed reader in the reader's language, over SMTP, with one-click unsubscribe", async () => {
  // Readers and mail other test files left in the shared database would be sent too.
  await getPrisma().bulletinSubscriber.updateMany({ where: { status: "confirmed" }, data: { status: "unsubscribed" } });
  await discardQueuedMailJobs();
  useSmtpUrl(smtp.url);
  const english = await confirmedSubscriber("en");
  const spanish = await confirmedSubscriber("es");
  const pendingEmail = uniqueEmail("still-pending");
  await subscribe(pendingEmail, "en");
  const leaving = await confirmedSubscriber("en");
  await respond(unsubscribeLoader, getRequest(`/bulletin/unsubscribe?token=${leaving.unsubscribeToken}`));
  const month = uniqueMonth();
  const id = await composedIssueId(month);
  const confirmed = await getPrisma().bulletinSubscriber.count({ where: { status: "confirmed" } });

  const response = await publish(id);

  expect(response.status).toBe(302);
  const mails = await getPrisma().mailMessage.findMany({ where: { dedupeKey: { startsWith: `bulletin:${id}:` } }, select: { recipient: true, locale: true, subject: true } });
  expect(mails).toHaveLength(confirmed);
  const recipients = mails.map((mail) => mail.recipient);
  expect(recipients).toEqual(expect.arrayContaining([english.email, spanish.email]));
  expect(recipients).not.toContain(pendingEmail);
  expect(recipients).not.toContain(leaving.email);
  expect(mails.find((mail) => mail.recipient === spanish.email)).toMatchObject({ locale: "es", subject: expect.stringMatching(/^Boletín de Enlace — /) });
  expect(mails.find((mail) => mail.recipient === english.email)).toMatchObject({ locale: "en", subject: expect.stringMatching(/^Enlace bulletin — /) });

  await runMailJobs();

  // The reader's confirmation mail goes out in the same run; the bulletin arrives once besides it.
  const bulletins = smtp.messagesTo(spanish.email).filter((mail) => mail.subject !== "Confirme su suscripción al boletín de Enlace");
  expect(bulletins).toHaveLength(1);
  const [received] = bulletins;
  expect(received.subject).toMatch(/^Boletín de Enlace — /);
  const headerLines = new Map(received.headerLines.map((line) => [line.key, line.line]));
  expect(headerLines.get("list-unsubscribe")).toContain(`/bulletin/unsubscribe?token=${spanish.unsubscribeToken}`);
  expect(headerLines.get("list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
  expect(received.text).toContain(`/bulletin/${month}?lang=es`);
});

test("publishing twice, or composing the same month again, gets a clear message and changes nothing", async () => {
  await confirmedSubscriber("en");
  const month = uniqueMonth();
  const id = await composedIssueId(month);
  expect((await publish(id)).status).toBe(302);
  const mailsBefore = await getPrisma().mailMessage.count();
  const issueBefore = await getPrisma().bulletinIssue.findUniqueOrThrow({ where: { id } });
  const issuesBefore = await getPrisma().bulletinIssue.count();

  const again = await publish(id);
  const recomposed = await compose(month);

  expect(again.status).toBe(409);
  expect((await again.json()).error).toMatch(/already published on .*: nothing was changed and nothing was sent again/);
  expect(recomposed.status).toBe(409);
  const body = await recomposed.json();
  expect(body.result.error[""]).toEqual([expect.stringMatching(/^The bulletin for .+ was already published on .+: nothing was changed\.$/)]);
  expect(await getPrisma().mailMessage.count()).toBe(mailsBefore);
  expect(await getPrisma().bulletinIssue.count()).toBe(issuesBefore);
  expect(await getPrisma().bulletinIssue.findUniqueOrThrow({ where: { id } })).toEqual(issueBefore);
});

test("two publications of one draft at once send its mails once", async () => {
  await confirmedSubscriber("es");
  const id = await composedIssueId(uniqueMonth());

  const responses = await Promise.all([publish(id), publish(id)]);

  expect(responses.map((response) => response.status).sort()).toEqual([302, 409]);
  const confirmed = await getPrisma().bulletinSubscriber.count({ where: { status: "confirmed" } });
  expect(await getPrisma().mailMessage.count({ where: { dedupeKey: { startsWith: `bulletin:${id}:` } } })).toBe(confirmed);
});

// ---------------------------------------------------------------------------------------
// The public archive and the feed

test("a published issue is in the archive, readable in English and Spanish, and in the RSS feed; a draft is not", async () => {
  const organization = await createOrganization();
  const offer = await insertOffer({ organizationId: organization.id, title: `Archived & <listed> ${uniqueSuffix()}` });
  const month = uniqueMonth();
  const id = await composedIssueId(month);
  const draftMonth = uniqueMonth();
  await composedIssueId(draftMonth);
  expect((await respond(issueLoader, getRequest(`/bulletin/${draftMonth}`), { month: draftMonth })).status).toBe(404);
  await publish(id);

  const archive = await (await respond(archiveLoader, getRequest("/bulletin"))).json();
  expect(archive.issues.map((issue: { month: string }) => issue.month)).toContain(month);
  expect(archive.issues.map((issue: { month: string }) => issue.month)).not.toContain(draftMonth);

  const english = await (await respond(issueLoader, getRequest(`/bulletin/${month}?lang=en`), { month })).json();
  const spanish = await (await respond(issueLoader, getRequest(`/bulletin/${month}?lang=es`), { month })).json();
  expect(english.edition).toMatchObject({ locale: "en", month, title: expect.stringMatching(/^Enlace bulletin/) });
  expect(spanish.edition).toMatchObject({ locale: "es", month, title: expect.stringMatching(/^Boletín de Enlace/) });
  expect(JSON.stringify(english.edition.sections)).toContain(offer.title);

  const feed = await respond(rssLoader, getRequest("/bulletin/rss.xml?lang=es"));
  expect(feed.headers.get("Content-Type")).toBe("application/rss+xml; charset=utf-8");
  const xml = await feed.text();
  expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<rss version="2.0"/);
  expect(xml).toContain("<language>es</language>");
  expect(xml).toContain(`<link>http://localhost/bulletin/${month}?lang=es</link>`);
  expect(xml).toContain("Archived &amp;amp; &amp;lt;listed&amp;gt;");
  expect(xml).not.toContain("<listed>");
  expect(xml).not.toContain(draftMonth);
});

test("the staff pages are for staff only", async () => {
  const member = await createLoggedInUser();
  expect((await respond(staffListLoader, getRequest("/staff/bulletin", { cookie: member.cookie }))).status).toBe(403);
  expect((await respond(staffListLoader, getRequest("/staff/bulletin", { cookie: staffCookie }))).status).toBe(200);
  const anonymous = await respond(staffListLoader, getRequest("/staff/bulletin"));
  expect(anonymous.status).toBe(302);
});

// ---------------------------------------------------------------------------------------
// Leaving

test("the unsubscribe link unsubscribes in one click, and the page can undo it", async () => {
  const reader = await confirmedSubscriber("es");

  const response = await respond(unsubscribeLoader, getRequest(`/bulletin/unsubscribe?token=${reader.unsubscribeToken}`));

  expect(response.status).toBe(200);
  expect((await response.json()).message).toContain(reader.email);
  expect((await getPrisma().bulletinSubscriber.findUniqueOrThrow({ where: { id: reader.id } })).status).toBe("unsubscribed");

  const undo = await respond(unsubscribeAction, postRequest("/bulletin/unsubscribe", { intent: "resubscribe", token: reader.unsubscribeToken }));
  expect(undo.status).toBe(200);
  expect((await getPrisma().bulletinSubscriber.findUniqueOrThrow({ where: { id: reader.id } })).status).toBe("confirmed");
});

test("a mail program's RFC 8058 one-click POST unsubscribes", async () => {
  const reader = await confirmedSubscriber("en");
  const request = new Request(`http://localhost/bulletin/unsubscribe?token=${reader.unsubscribeToken}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: "List-Unsubscribe=One-Click",
  });

  const response = await respond(unsubscribeAction, request);

  expect(response.status).toBe(200);
  expect((await getPrisma().bulletinSubscriber.findUniqueOrThrow({ where: { id: reader.id } })).status).toBe("unsubscribed");
});

test("a forged unsubscribe token gets a clear message and changes nothing", async () => {
  await confirmedSubscriber("en");
  const before = await subscriberStatuses();
  const forged = "forged_" + "x".repeat(40);

  const viaLink = await respond(unsubscribeLoader, getRequest(`/bulletin/unsubscribe?token=${forged}`));
  const viaPost = await respond(
    unsubscribeAction,
    new Request(`http://localhost/bulletin/unsubscribe?token=${forged}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    }),
  );
  const viaUndo = await respond(unsubscribeAction, postRequest("/bulletin/unsubscribe", { intent: "resubscribe", token: forged }));
  const withoutToken = await respond(unsubscribeLoader, getRequest("/bulletin/unsubscribe"));

  expect([viaLink.status, viaPost.status, viaUndo.status, withoutToken.status]).toEqual([400, 400, 400, 400]);
  expect((await viaLink.json()).message).toBe(
    "This unsubscribe link is not valid, so nothing was changed. Copy the whole link from the bulletin, or write to the OAS team.",
  );
  expect(await subscriberStatuses()).toEqual(before);
});

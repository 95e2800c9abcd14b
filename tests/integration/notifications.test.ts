// The notification center: notify() in the caller's transaction, texts in the reader's language,
// only one's own notifications, mark read, and the unread count for the header.
import { beforeAll, expect, test } from "vitest";
import { localeCookie } from "~/i18n/i18next.server";
import { countUnreadNotifications, notify, NotificationKindError } from "~/models/notification.server";
import { action, loader } from "~/routes/notifications";
import { getPrisma } from "~/utils/db.server";
import { getRequest, postRequest, respond } from "../factories/catalogue";
import { createLoggedInUser, createUser, uniqueSuffix } from "../factories/users";
import { ensureJobQueue, mailRowsTo } from "./mail-helpers";

beforeAll(async () => {
  await ensureJobQueue();
});

async function notifyRegistered(userIds: string[], title: string, options: { mail?: boolean; link?: string } = {}) {
  return getPrisma().$transaction((tx) =>
    notify(tx, {
      userIds,
      kind: "meetings:notifications.registered",
      params: { title, when: "2031-03-10 15:00 UTC" },
      link: options.link ?? "/meetings",
      mail: options.mail,
    }),
  );
}

type ListedNotification = { id: string; title: string; body: string | null; read: boolean; link: string | null };

async function listed(cookie: string, language: "en" | "es" = "en"): Promise<{ unread: number; notifications: ListedNotification[] }> {
  const languageCookie = await localeCookie.serialize(language);
  const response = await respond(loader, getRequest("/notifications", { cookie: `${cookie}; ${languageCookie.split(";")[0]}` }));
  expect(response.status).toBe(200);
  return response.json();
}

test("notify creates one notification per user, skips unknown ids and repeats, and counts as unread", async () => {
  const [first, second] = await Promise.all([createUser(), createUser()]);
  const unknown = "00000000-0000-4000-8000-00000000dead";

  const { notificationIds } = await notifyRegistered([first.id, second.id, first.id, unknown], `T ${uniqueSuffix()}`);

  expect(notificationIds).toHaveLength(2);
  expect(await countUnreadNotifications({ userId: first.id })).toBe(1);
  expect(await countUnreadNotifications({ userId: second.id })).toBe(1);
});

test("a mistyped kind or an off-site link is refused and writes nothing", async () => {
  const user = await createUser();
  await expect(
    getPrisma().$transaction((tx) => notify(tx, { userIds: [user.id], kind: "meetings:notifications.nope", params: {} })),
  ).rejects.toThrow(NotificationKindError);
  await expect(
    getPrisma().$transaction((tx) => notify(tx, { userIds: [user.id], kind: "meetings:notifications.registered", link: "https://evil.example/" })),
  ).rejects.toThrow(NotificationKindError);
  expect(await countUnreadNotifications({ userId: user.id })).toBe(0);
});

test("a notification rolled back with its transaction never appears", async () => {
  const user = await createUser();
  await expect(
    getPrisma().$transaction(async (tx) => {
      await notify(tx, { userIds: [user.id], kind: "meetings:notifications.concluded", params: { title: "x" }, mail: true });
      throw new Error("rolled back on purpose");
    }),
  ).rejects.toThrow("rolled back on purpose");
  expect(await countUnreadNotifications({ userId: user.id })).toBe(0);
  expect(await mailRowsTo(user.email)).toEqual([]);
});

test("the center shows the reader's notifications in the reader's current language", async () => {
  const { user, cookie } = await createLoggedInUser({ preferredLanguage: "en" });
  const title = `Foro ${uniqueSuffix()}`;
  await notifyRegistered([user.id], title);

  const english = await listed(cookie, "en");
  const spanish = await listed(cookie, "es");

  expect(english.notifications.map((notification) => notification.title)).toEqual([`You are registered for “${title}”`]);
  expect(spanish.notifications.map((notification) => notification.title)).toEqual([`Está inscrito en «${title}»`]);
  expect(spanish.notifications[0].body).toContain("2031-03-10 15:00 UTC");
  expect(english.unread).toBe(1);
});

test("asking for mail also queues one mail per user in their preferred language", async () => {
  const spanish = await createUser({ preferredLanguage: "es" });
  const title = `Reunión ${uniqueSuffix()}`;

  await notifyRegistered([spanish.id], title, { mail: true });

  const rows = await mailRowsTo(spanish.email);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ locale: "es", subject: `Está inscrito en «${title}»`, template: "notification" });
});

test("the center needs a signed-in user and lists nobody else's notifications", async () => {
  const anonymous = await respond(loader, getRequest("/notifications"));
  expect(anonymous.status).toBe(302);
  expect(anonymous.headers.get("Location")).toContain("/login");

  const other = await createUser();
  await notifyRegistered([other.id], `Other ${uniqueSuffix()}`);
  const { cookie } = await createLoggedInUser();
  expect((await listed(cookie)).notifications).toEqual([]);
});

test("opening a notification marks it read and goes to its link; someone else's cannot be opened or marked", async () => {
  const { user, cookie } = await createLoggedInUser();
  const { notificationIds } = await notifyRegistered([user.id], `Open ${uniqueSuffix()}`, { link: "/meetings/abc" });
  const [id] = notificationIds;

  const stranger = await createLoggedInUser();
  const foreignOpen = await respond(action, postRequest("/notifications", { intent: "open", id }, { cookie: stranger.cookie }));
  const foreignRead = await respond(action, postRequest("/notifications", { intent: "read", id }, { cookie: stranger.cookie }));
  expect(foreignOpen.headers.get("Location")).toBe("/notifications");
  expect(foreignRead.headers.get("Location")).toBe("/notifications");
  expect(await countUnreadNotifications({ userId: user.id })).toBe(1);

  const opened = await respond(action, postRequest("/notifications", { intent: "open", id }, { cookie }));

  expect(opened.status).toBe(302);
  expect(opened.headers.get("Location")).toBe("/meetings/abc");
  expect(await countUnreadNotifications({ userId: user.id })).toBe(0);
});

test("mark all read clears the unread count; bad input answers 400 naming the field", async () => {
  const { user, cookie } = await createLoggedInUser();
  await notifyRegistered([user.id], `A ${uniqueSuffix()}`);
  await notifyRegistered([user.id], `B ${uniqueSuffix()}`);
  expect(await countUnreadNotifications({ userId: user.id })).toBe(2);

  const bad = await respond(action, postRequest("/notifications", { intent: "read", id: "not-a-uuid" }, { cookie }));
  expect(bad.status).toBe(400);
  expect(await bad.json()).toEqual({ error: "id: not a valid value" });

  const response = await respond(action, postRequest("/notifications", { intent: "read-all" }, { cookie }));

  expect(response.status).toBe(302);
  expect(await countUnreadNotifications({ userId: user.id })).toBe(0);
  const { notifications } = await listed(cookie);
  expect(notifications.map((notification) => notification.read)).toEqual([true, true]);
});

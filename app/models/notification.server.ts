/**
 * In-app notifications (the notification center at /notifications) and, on request, the same
 * message by e-mail through the mail outbox.
 *
 * A notification's `kind` is the i18n key under which its texts live: "namespace:path" with a
 * `title` string and an optional `body` string in every UI language, e.g. "mail:notifications.
 * kinds.meetingRegistered" -> { title: "You are registered for “{{title}}”", body: "…" }. Its
 * `params` fill the {{placeholders}}. The text is produced when shown, so the reader sees it in
 * their current language; the e-mail is rendered in the recipient's preferredLanguage.
 */
import type { Prisma } from "~/generated/prisma/client";
import { enqueueMails, type MailRequest } from "~/jobs/mail.server";
import { findMessage, isMessageKey, type MessageParams } from "~/mail/messages";
import { getPrisma, type TransactionClient } from "~/utils/db.server";

export type NotifyInput = {
  /** Who is told; unknown ids are skipped, repeated ids notified once. */
  userIds: readonly string[];
  /** The i18n key of the texts, "namespace:path" (see above). */
  kind: string;
  params?: MessageParams;
  /** Where the notification leads: a path on this site ("/meetings/…"). */
  link?: string | null;
  /** Also send an e-mail to each user, in their preferred language. */
  mail?: boolean;
};

export class NotificationKindError extends Error {
  override name = "NotificationKindError";
}

/**
 * Creates one notification per user, inside the caller's transaction, so the notifications (and
 * their mails) exist exactly when the change they announce is committed. Returns the ids created.
 */
export async function notify(tx: TransactionClient, input: NotifyInput): Promise<{ notificationIds: string[] }> {
  const params = input.params ?? {};
  // A mistyped kind would show its raw key to every recipient: refuse it where it is written.
  if (!isMessageKey(input.kind) || findMessage("en", `${input.kind}.title`, params) === undefined) {
    throw new NotificationKindError(`notify: no text "${input.kind}.title" in the English resources`);
  }
  const link = input.link ?? null;
  if (link !== null && !isSitePath(link)) throw new NotificationKindError(`notify: link must be a path on this site, got "${link}"`);
  const userIds = [...new Set(input.userIds)];
  if (userIds.length === 0) return { notificationIds: [] };

  const users = await tx.user.findMany({
    where: { id: { in: userIds } },
    select: { id: true, email: true, preferredLanguage: true },
  });
  const created = await tx.notification.createManyAndReturn({
    data: users.map((user) => ({ userId: user.id, kind: input.kind, params, link })),
    select: { id: true, userId: true },
  });

  if (input.mail) {
    const usersById = new Map(users.map((user) => [user.id, user]));
    const mails: MailRequest[] = created.flatMap((notification) => {
      const user = usersById.get(notification.userId);
      if (!user) return [];
      return [
        {
          template: "notification",
          params: { kind: input.kind, params, link },
          to: user.email,
          locale: user.preferredLanguage,
          dedupeKey: `notification:${notification.id}`,
        },
      ];
    });
    await enqueueMails(tx, mails);
  }
  return { notificationIds: created.map((notification) => notification.id) };
}

function isSitePath(link: string): boolean {
  return link.startsWith("/") && !link.startsWith("//") && !link.startsWith("/\\");
}

// ---------------------------------------------------------------------------------------
// The reader's side

// Stored params are what notify() wrote; anything else (a hand-edited row) is left out.
function storedParams(value: Prisma.JsonValue): MessageParams {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  const params: Record<string, string | number> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry === "string" || typeof entry === "number") params[key] = entry;
  }
  return params;
}

export type NotificationView = {
  id: string;
  title: string;
  body: string | null;
  link: string | null;
  read: boolean;
  createdAt: Date;
};

/** The user's notifications, newest first, with their texts in `locale`. */
export async function listNotifications({
  userId,
  locale,
  skip,
  take,
}: {
  userId: string;
  locale: string;
  skip: number;
  take: number;
}): Promise<{ notifications: NotificationView[]; total: number; unread: number }> {
  const prisma = getPrisma();
  const [rows, total, unread] = await Promise.all([
    prisma.notification.findMany({
      where: { userId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip,
      take,
      select: { id: true, kind: true, params: true, link: true, readAt: true, createdAt: true },
    }),
    prisma.notification.count({ where: { userId } }),
    countUnreadNotifications({ userId }),
  ]);
  return {
    total,
    unread,
    notifications: rows.map((row) => {
      const params = storedParams(row.params);
      return {
        id: row.id,
        title: findMessage(locale, `${row.kind}.title`, params) ?? row.kind,
        body: findMessage(locale, `${row.kind}.body`, params) ?? null,
        link: row.link,
        read: row.readAt !== null,
        createdAt: row.createdAt,
      };
    }),
  };
}

/** For the header badge: how many of the user's notifications are unread. */
export async function countUnreadNotifications({ userId }: { userId: string }): Promise<number> {
  return getPrisma().notification.count({ where: { userId, readAt: null } });
}

/** Marks some (ids) or all of the user's notifications read; other users' ids are ignored. */
export async function markNotificationsRead({ userId, ids }: { userId: string; ids?: readonly string[] }): Promise<number> {
  const { count } = await getPrisma().notification.updateMany({
    where: { userId, readAt: null, ...(ids ? { id: { in: [...ids] } } : {}) },
    data: { readAt: new Date() },
  });
  return count;
}

/** Marks the notification read and returns where it leads; null when it is not the user's. */
export async function openNotification({ userId, id }: { userId: string; id: string }): Promise<{ link: string | null } | null> {
  const notification = await getPrisma().notification.findFirst({ where: { id, userId }, select: { id: true, link: true, readAt: true } });
  if (!notification) return null;
  if (notification.readAt === null) await markNotificationsRead({ userId, ids: [notification.id] });
  return { link: notification.link };
}

import { expect, test } from "vitest";
import { loader as homeLoader } from "~/routes/_index";
import { findNextMeeting } from "~/models/meeting.server";
import { countPublishedOffersByTheme } from "~/models/stats.server";
import { getPrisma } from "~/utils/db.server";
import { getRequest, insertOffer } from "../factories/catalogue";
import { createOrganization } from "../factories/users";

test("the home page counts published offers per theme, leaving drafts and archived offers out", async () => {
  const organization = await createOrganization();
  await insertOffer({ organizationId: organization.id, themes: ["youth-employment", "entrepreneurship"] });
  await insertOffer({ organizationId: organization.id, themes: ["youth-employment"], status: "draft" });
  await insertOffer({ organizationId: organization.id, themes: ["youth-employment"], status: "archived" });

  const counted = await countPublishedOffersByTheme({ locale: "es" });

  const published = await getPrisma().offer.findMany({ where: { status: "published" }, select: { themes: true } });
  const expected = new Map<string, number>();
  for (const offer of published) for (const theme of offer.themes) expected.set(theme, (expected.get(theme) ?? 0) + 1);
  expect(new Map(counted.map((row) => [row.theme, row.offers]))).toEqual(expected);
  expect(counted.map((row) => row.offers)).toEqual([...counted.map((row) => row.offers)].sort((a, b) => b - a));
  expect(counted.find((row) => row.theme === "youth-employment")?.label).toBe("Empleo juvenil");
});

test("the home page shows the newest published offers", async () => {
  const organization = await createOrganization();
  const newest = await insertOffer({ organizationId: organization.id, title: "The newest program on the home page" });

  const response = await homeLoader({ request: getRequest("/"), params: {}, context: {} });
  const data = await response.json();

  expect(data.latestOffers[0]?.id).toBe(newest.id);
  expect(data.latestOffers.length).toBeLessThanOrEqual(3);
});

test("the next meeting is the first one not yet over: a meeting under way counts, ended ones (however many) do not", async () => {
  const prisma = getPrisma();
  // A random day centuries ahead: no other test and no form (two years ahead at most) schedules there.
  const now = new Date(Date.UTC(2300 + Math.floor(Math.random() * 500), Math.floor(Math.random() * 12), 1 + Math.floor(Math.random() * 28), 12));
  const minutes = (count: number) => new Date(now.getTime() + count * 60_000);
  const meeting = (title: string, startsAt: Date) => ({ title, startsAt, durationMinutes: 60, themes: ["entrepreneurship"], agenda: "Agenda", link: "https://meet.example.org/x" });
  const shortOnes = Array.from({ length: 12 }, (_, index) => ({ ...meeting(`Short ${index}`, minutes(-200 + index)), durationMinutes: 15 }));
  await prisma.meeting.createMany({
    data: [...shortOnes, meeting("Ended an hour ago", minutes(-120)), meeting("Under way", minutes(-30)), meeting("Tomorrow", minutes(24 * 60))],
  });

  expect((await findNextMeeting({ now }))?.title).toBe("Under way");
  expect((await findNextMeeting({ now: minutes(60) }))?.title).toBe("Tomorrow");
  expect(await findNextMeeting({ now: minutes(48 * 60) })).toBeNull();
});

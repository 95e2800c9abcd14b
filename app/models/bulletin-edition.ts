/**
 * What a bulletin issue says, independent of where it is shown: the highlights snapshot kept in
 * bulletin_issue.highlights (validated here when read back) and the edition of an issue in one
 * language, which the archive page, the e-mail and the RSS feed all render. Pure: no Prisma.
 */
import { z } from "zod";
import { INTL_TAG, UI_LOCALES, type UiLocale } from "~/i18n/config";
import { isVocabularyCode, vocabularyLabel } from "~/schemas/vocabulary";

const localizedText = z.object({ en: z.string(), es: z.string() });

export const bulletinRecordSchema = z.object({
  id: z.guid(),
  title: z.string(),
  summary: z.string(),
  /** The record's own language: titles are shown as their authors wrote them. */
  language: z.string(),
  organization: z.string(),
  country: localizedText,
  themes: z.array(z.string()),
});
export type BulletinRecord = z.infer<typeof bulletinRecordSchema>;

export const bulletinMeetingSchema = z.object({
  id: z.guid(),
  title: z.string(),
  startsAt: z.iso.datetime(),
  themes: z.array(z.string()),
});
export type BulletinMeeting = z.infer<typeof bulletinMeetingSchema>;

// Cooperations started or completed in the period (collectCooperationHighlights in bulletin.server.ts).
export const bulletinCooperationSchema = z.object({
  id: z.guid(),
  /** The title of the offer the cooperation replicates. */
  title: z.string(),
  /** The title's language; absent in snapshots taken before it was recorded. */
  language: z.string().optional(),
  stage: z.enum(["started", "completed"]),
  /** "Provider country → beneficiary country", as each language says it. */
  parties: localizedText,
  path: z.string().startsWith("/"),
});
export type BulletinCooperation = z.infer<typeof bulletinCooperationSchema>;

const COOPERATION_STAGE_LABELS = {
  started: { en: "Started", es: "Iniciada" },
  completed: { en: "Completed", es: "Concluida" },
} as const satisfies Record<BulletinCooperation["stage"], Record<UiLocale, string>>;

export const bulletinHighlightsSchema = z.object({
  offers: z.array(bulletinRecordSchema),
  requests: z.array(bulletinRecordSchema),
  meetings: z.array(bulletinMeetingSchema),
  cooperations: z.array(bulletinCooperationSchema).default([]),
});
export type BulletinHighlights = z.infer<typeof bulletinHighlightsSchema>;

export const BULLETIN_SECTIONS = ["offers", "requests", "cooperations", "meetings"] as const;
export type BulletinSection = (typeof BULLETIN_SECTIONS)[number];

export type BulletinEditionItem = {
  id: string;
  title: string;
  /** The language of the title, for lang="" when it differs from the edition's. */
  language: string;
  path: string;
  meta: string;
  summary: string | null;
};

export type BulletinEdition = {
  locale: UiLocale;
  month: string;
  monthLabel: string;
  title: string;
  /** The editor's text, split into paragraphs at blank lines. */
  intro: string[];
  sections: Array<{ key: BulletinSection; items: BulletinEditionItem[] }>;
};

export type BulletinIssueContent = {
  month: Date;
  titleEn: string;
  titleEs: string;
  introEn: string;
  introEs: string;
  highlights: BulletinHighlights;
};

// ---------------------------------------------------------------------------------------
// Months: an issue is named by its month, "2026-11", stored as the month's first day (UTC).

const MONTH_KEY = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function monthKey(month: Date): string {
  return month.toISOString().slice(0, 7);
}

export function parseMonthKey(value: string | null | undefined): Date | null {
  const match = value ? MONTH_KEY.exec(value) : null;
  if (!match) return null;
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
}

export function monthLabel(month: Date, locale: UiLocale): string {
  return new Intl.DateTimeFormat(INTL_TAG[locale], { month: "long", year: "numeric", timeZone: "UTC" }).format(month);
}

/** Meetings in the bulletin name their time in UTC: the mail cannot know the reader's zone. */
export function formatUtcDateTime(iso: string | Date, locale: UiLocale): string {
  const formatted = new Intl.DateTimeFormat(INTL_TAG[locale], {
    dateStyle: "full",
    timeStyle: "short",
    timeZone: "UTC",
    hourCycle: "h23",
  }).format(new Date(iso));
  return `${formatted} UTC`;
}

function themeLabels(themes: readonly string[], locale: UiLocale): string {
  return themes.flatMap((theme) => (isVocabularyCode("theme", theme) ? [vocabularyLabel("theme", theme, locale)] : [])).join(", ");
}

export function isEditionLocale(value: unknown): value is UiLocale {
  return typeof value === "string" && (UI_LOCALES as readonly string[]).includes(value);
}

export function bulletinEdition(issue: BulletinIssueContent, locale: UiLocale): BulletinEdition {
  const { highlights } = issue;
  const record = (kind: "offers" | "requests") => (item: BulletinRecord): BulletinEditionItem => ({
    id: item.id,
    title: item.title,
    language: item.language,
    path: `/${kind}/${item.id}`,
    meta: [item.organization, item.country[locale], themeLabels(item.themes, locale)].filter(Boolean).join(" · "),
    summary: item.summary || null,
  });
  const sections: BulletinEdition["sections"] = [
    { key: "offers", items: highlights.offers.map(record("offers")) },
    { key: "requests", items: highlights.requests.map(record("requests")) },
    {
      key: "cooperations",
      items: highlights.cooperations.map((cooperation) => ({
        id: cooperation.id,
        title: cooperation.title,
        language: cooperation.language ?? locale,
        path: cooperation.path,
        meta: [COOPERATION_STAGE_LABELS[cooperation.stage][locale], cooperation.parties[locale]].join(" · "),
        summary: null,
      })),
    },
    {
      key: "meetings",
      items: highlights.meetings.map((meeting) => ({
        id: meeting.id,
        title: meeting.title,
        language: locale,
        path: `/meetings/${meeting.id}`,
        meta: [formatUtcDateTime(meeting.startsAt, locale), themeLabels(meeting.themes, locale)].filter(Boolean).join(" · "),
        summary: null,
      })),
    },
  ];
  const intro = locale === "es" ? issue.introEs : issue.introEn;
  return {
    locale,
    month: monthKey(issue.month),
    monthLabel: monthLabel(issue.month, locale),
    title: locale === "es" ? issue.titleEs : issue.titleEn,
    intro: intro
      .split(/\r?\n\s*\r?\n/)
      .map((paragraph) => paragraph.trim())
      .filter(Boolean),
    sections: sections.filter((section) => section.items.length > 0),
  };
}

// The dialogue meeting forms: scheduling (staff), registering (members) and the conclusions
// (staff, after the meeting). Messages are keys of the "meetings" namespace; the key of each
// error is the field it belongs to, so a 400 always names the field.
import { z } from "zod";
import { THEME_CODES } from "~/schemas/vocabulary";
import { isTimeZone, zonedDateTimeToInstant } from "~/utils/time-zone";
import { isStorableText } from "~/schemas/text";

export const MEETING_LIMITS = { title: 200, agenda: 10_000, conclusions: 20_000, link: 2_000 } as const;
export const DEFAULT_MEETING_MINUTES = 90;
/** Quarterly meetings are planned a year or so ahead; a date beyond this is a typo (2062 for 2026). */
export const MEETING_MAX_DAYS_AHEAD = 2 * 366;

function text(maxLength: number) {
  return z
    .string({ error: "meetings:validation.required" })
    .trim()
    .min(1, { error: "meetings:validation.required" })
    .max(maxLength, { error: "meetings:validation.tooLong" })
    .refine(isStorableText, { error: "meetings:validation.invalidCharacters" });
}

const meetingFields = z.object({
  title: text(MEETING_LIMITS.title),
  /** The wall-clock date and time in `timeZone`, as <input type="datetime-local"> sends it. */
  startsAt: z
    .string({ error: "meetings:validation.required" })
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { error: "meetings:validation.invalidDateTime" }),
  timeZone: z.string({ error: "meetings:validation.required" }).refine(isTimeZone, { error: "meetings:validation.unknownTimeZone" }),
  durationMinutes: z
    .number({ error: "meetings:validation.durationRange" })
    .int({ error: "meetings:validation.durationRange" })
    .min(15, { error: "meetings:validation.durationRange" })
    .max(480, { error: "meetings:validation.durationRange" }),
  themes: z
    .array(z.enum(THEME_CODES, { error: "meetings:validation.unknownTheme" }), { error: "meetings:validation.chooseTheme" })
    .min(1, { error: "meetings:validation.chooseTheme" })
    .transform((themes) => [...new Set(themes)]),
  agenda: text(MEETING_LIMITS.agenda),
  link: z
    .url({ protocol: /^https?$/, error: "meetings:validation.invalidLink" })
    .max(MEETING_LIMITS.link, { error: "meetings:validation.tooLong" }),
});

/**
 * The scheduling form. `now` decides what "in the past" means: the browser's clock while the
 * user types, the server's when the action checks.
 */
export function scheduleMeetingSchema({ now }: { now: Date }) {
  return meetingFields.transform((value, context) => {
    const startsAtInstant = zonedDateTimeToInstant(value.startsAt, value.timeZone);
    if (!startsAtInstant) {
      context.issues.push({ code: "custom", path: ["startsAt"], message: "meetings:validation.invalidDateTime", input: value.startsAt });
      return z.NEVER;
    }
    if (startsAtInstant.getTime() <= now.getTime()) {
      context.issues.push({ code: "custom", path: ["startsAt"], message: "meetings:validation.inThePast", input: value.startsAt });
      return z.NEVER;
    }
    if (startsAtInstant.getTime() > now.getTime() + MEETING_MAX_DAYS_AHEAD * 86_400_000) {
      context.issues.push({ code: "custom", path: ["startsAt"], message: "meetings:validation.tooFarAhead", input: value.startsAt });
      return z.NEVER;
    }
    return { ...value, startsAtInstant };
  });
}
export type ScheduleMeetingData = z.output<ReturnType<typeof scheduleMeetingSchema>>;

export const meetingRegistrationSchema = z.object({
  intent: z.enum(["register", "unregister"], { error: "meetings:validation.invalidIntent" }),
});

export const meetingConclusionsSchema = z.object({
  intent: z.literal("conclusions"),
  conclusions: text(MEETING_LIMITS.conclusions),
  offerIds: z
    .array(z.guid({ error: "meetings:validation.unknownRecord" }))
    .optional()
    .transform((ids) => [...new Set(ids ?? [])]),
  requestIds: z
    .array(z.guid({ error: "meetings:validation.unknownRecord" }))
    .optional()
    .transform((ids) => [...new Set(ids ?? [])]),
});

export const timeZoneChoiceSchema = z.object({
  // empty: forget the choice and follow the device again
  timeZone: z.union([z.literal(""), z.string().refine(isTimeZone, { error: "meetings:validation.unknownTimeZone" })]),
  redirectTo: z.string().optional(),
});

export const meetingIdSchema = z.guid();

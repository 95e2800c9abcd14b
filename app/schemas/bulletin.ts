// The bulletin forms: subscribing (anyone), composing and editing an issue (staff). Messages
// are keys of the "bulletin" namespace; each error's key is the field it belongs to.
import { z } from "zod";
import { UI_LOCALES } from "~/i18n/config";
import { isStorableText } from "~/schemas/text";

export const BULLETIN_LIMITS = { title: 200, intro: 20_000, email: 254 } as const;

function text(maxLength: number) {
  return z
    .string({ error: "bulletin:validation.required" })
    .trim()
    .min(1, { error: "bulletin:validation.required" })
    .max(maxLength, { error: "bulletin:validation.tooLong" })
    .refine(isStorableText, { error: "bulletin:validation.invalidCharacters" });
}

export const subscribeSchema = z.object({
  email: z
    .string({ error: "bulletin:validation.required" })
    .trim()
    .max(BULLETIN_LIMITS.email, { error: "bulletin:validation.invalidEmail" })
    .pipe(z.email({ error: "bulletin:validation.invalidEmail" }))
    .transform((email) => email.toLowerCase()),
  locale: z.enum(UI_LOCALES, { error: "bulletin:validation.unknownLanguage" }),
});

export const composeBulletinSchema = z.object({
  intent: z.literal("compose"),
  month: z.string({ error: "bulletin:validation.required" }).regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: "bulletin:validation.invalidMonth" }),
});

const keptIds = z
  .array(z.guid({ error: "bulletin:validation.invalidValue" }))
  .optional()
  .transform((ids) => new Set(ids ?? []));

export const editBulletinSchema = z.object({
  intent: z.literal("save"),
  titleEn: text(BULLETIN_LIMITS.title),
  titleEs: text(BULLETIN_LIMITS.title),
  introEn: text(BULLETIN_LIMITS.intro),
  introEs: text(BULLETIN_LIMITS.intro),
  keepOffers: keptIds,
  keepRequests: keptIds,
  keepMeetings: keptIds,
  keepCooperations: keptIds,
});
export type EditBulletinData = z.output<typeof editBulletinSchema>;

export const bulletinIntentSchema = z.object({
  intent: z.enum(["publish", "delete"], { error: "bulletin:validation.invalidValue" }),
});

export const tokenSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{20,100}$/);

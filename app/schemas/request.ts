// The request form (create and edit). Field rules follow the cooperation exchange format:
// preferred modalities may be empty (any), dates are YYYY-MM-DD and desiredEnd is not before
// desiredStart. Text limits and message keys are those of the offer form.
import { z } from "zod";
import { REQUEST_INTENTS } from "~/models/offer-rules";
import { isCalendarDate } from "~/schemas/exchange";
import { CATALOGUE_TEXT_LIMITS, optionalText, requiredText, vocabularyCode, vocabularyList } from "~/schemas/offer";
import { LANGUAGE_CODES, MODALITY_CODES, THEME_CODES } from "~/schemas/vocabulary";

const optionalDate = z
  .string({ error: "catalogue:validation.invalidDate" })
  .trim()
  .refine(isCalendarDate, { error: "catalogue:validation.invalidDate" })
  .optional();

export const requestFormSchema = z
  .object({
    title: requiredText(CATALOGUE_TEXT_LIMITS.title, "catalogue:validation.titleTooLong"),
    summary: requiredText(CATALOGUE_TEXT_LIMITS.summary, "catalogue:validation.summaryTooLong"),
    description: optionalText(CATALOGUE_TEXT_LIMITS.description, "catalogue:validation.longTextTooLong"),
    language: vocabularyCode(LANGUAGE_CODES),
    themes: vocabularyList(THEME_CODES, { required: true }),
    modalities: vocabularyList(MODALITY_CODES, { required: false }).optional().transform((value) => value ?? []),
    workingLanguages: vocabularyList(LANGUAGE_CODES, { required: true }),
    desiredStart: optionalDate,
    desiredEnd: optionalDate,
  })
  .superRefine((request, context) => {
    // YYYY-MM-DD strings sort like the dates they name.
    if (request.desiredStart && request.desiredEnd && request.desiredEnd < request.desiredStart) {
      context.addIssue({ code: "custom", path: ["desiredEnd"], message: "catalogue:validation.endBeforeStart" });
    }
  });

export type RequestFormInput = z.input<typeof requestFormSchema>;
export type RequestFormData = z.output<typeof requestFormSchema>;

export const requestIntentSchema = z.object({
  intent: z.enum(REQUEST_INTENTS, { error: "catalogue:validation.unknownCode" }),
  redirectTo: z.string().optional(),
});

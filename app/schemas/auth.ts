// The forms of accounts and sign-in. Each schema serves the page (conform, in the browser) and
// the action (on the server). Messages are i18n keys ("namespace:key") that ErrorList translates.
import { z } from "zod";
import { isStorableText } from "~/schemas/text";
import { ORGANIZATION_TYPE_CODES } from "~/schemas/vocabulary";

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;
export const REFUSAL_REASON_MAX_LENGTH = 1000;

const emailSchema = z
  .string({ error: "auth:validation.emailRequired" })
  .trim()
  .toLowerCase()
  .max(254, { error: "auth:validation.emailInvalid" })
  .pipe(z.email({ error: "auth:validation.emailInvalid" }));

// No trimming: spaces are part of a password.
const newPasswordSchema = z
  .string({ error: "auth:validation.passwordRequired" })
  .min(PASSWORD_MIN_LENGTH, { error: "auth:validation.passwordTooShort" })
  .max(PASSWORD_MAX_LENGTH, { error: "auth:validation.passwordTooLong" });

const enteredPasswordSchema = z
  .string({ error: "auth:validation.passwordRequired" })
  .max(PASSWORD_MAX_LENGTH, { error: "auth:validation.passwordTooLong" });

export const loginSchema = z.object({
  email: emailSchema,
  password: enteredPasswordSchema,
  redirectTo: z.string().optional(),
});

const accountSchema = z.object({
  name: z
    .string({ error: "auth:validation.nameRequired" })
    .trim()
    .min(1, { error: "auth:validation.nameRequired" })
    .max(120, { error: "auth:validation.nameTooLong" })
    .refine(isStorableText, { error: "auth:validation.invalidCharacters" }),
  email: emailSchema,
  password: newPasswordSchema,
});

export const ORGANIZATION_CHOICES = ["existing", "new"] as const;

const organizationChoiceSchema = z.discriminatedUnion(
  "organizationChoice",
  [
    z.object({
      organizationChoice: z.literal("existing"),
      organizationId: z.uuid({ error: "auth:validation.organizationRequired" }),
    }),
    z.object({
      organizationChoice: z.literal("new"),
      organizationName: z
        .string({ error: "auth:validation.organizationNameRequired" })
        .trim()
        .min(2, { error: "auth:validation.organizationNameRequired" })
        .max(200, { error: "auth:validation.organizationNameTooLong" })
        .refine(isStorableText, { error: "auth:validation.invalidCharacters" }),
      countryCode: z
        .string({ error: "auth:validation.countryRequired" })
        .regex(/^[A-Z]{2}$/, { error: "auth:validation.countryRequired" }),
      organizationType: z.enum(ORGANIZATION_TYPE_CODES, { error: "auth:validation.organizationTypeRequired" }),
    }),
  ],
  { error: "auth:validation.organizationChoiceRequired" },
);

// An intersection rather than one discriminated union of whole forms, so a form without an
// organization choice still gets a message for each of its other fields.
export const signupSchema = z.intersection(accountSchema, organizationChoiceSchema);

export const changePasswordSchema = z
  .object({
    currentPassword: enteredPasswordSchema,
    newPassword: newPasswordSchema,
  })
  .refine((value) => value.newPassword !== value.currentPassword, {
    path: ["newPassword"],
    error: "auth:validation.passwordUnchanged",
  });

export const reviewAccountSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("approve"), userId: z.uuid() }),
    z.object({
      intent: z.literal("refuse"),
      userId: z.uuid(),
      reason: z
        .string({ error: "auth:validation.refusalReasonRequired" })
        .trim()
        .min(1, { error: "auth:validation.refusalReasonRequired" })
        .max(REFUSAL_REASON_MAX_LENGTH, { error: "auth:validation.refusalReasonTooLong" })
        .refine(isStorableText, { error: "auth:validation.invalidCharacters" }),
    }),
  ],
  { error: "auth:validation.reviewIntentRequired" },
);

import { describe, expect, it } from "vitest";
import { reviewAccountSchema, signupSchema } from "~/schemas/auth";

// PostgreSQL text cannot hold U+0000, so these fields must refuse it in validation, not in the database.
describe("account forms refuse the NUL character with a message on the field", () => {
  const validSignup = {
    name: "Ana Pérez",
    email: "ana@example.org",
    password: "correct horse battery",
    organizationChoice: "new",
    organizationName: "Agencia de Cooperación",
    countryCode: "SV",
    organizationType: "agency",
  };

  it("accepts a valid sign-up (the baseline the other cases change one field of)", () => {
    const result = signupSchema.safeParse(validSignup);
    expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
  });

  it.each(["name", "organizationName"] as const)("sign-up %s", (field) => {
    const result = signupSchema.safeParse({ ...validSignup, [field]: "Agencia\0X" });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toContainEqual(
      expect.objectContaining({ path: [field], message: "auth:validation.invalidCharacters" }),
    );
  });

  it("refusal reason", () => {
    const result = reviewAccountSchema.safeParse({
      intent: "refuse",
      userId: "0b9d2a4e-3c1f-4e8a-9f57-2d6c1b0a7e31",
      reason: "not an agency\0",
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toContainEqual(
      expect.objectContaining({ path: ["reason"], message: "auth:validation.invalidCharacters" }),
    );
  });
});

import { useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { signUp } from "~/auth/credentials.server";
import { redirectWithFlash } from "~/auth/flash.server";
import { countSignupAttempt, getClientIp } from "~/auth/rate-limit.server";
import { getOptionalUser } from "~/auth/session.server";
import { ConformForm, FormErrors, RadioGroupField, SelectField, TextField } from "~/components/forms";
import { DEFAULT_UI_LOCALE, isUiLocale } from "~/i18n/config";
import { i18nServer } from "~/i18n/i18next.server";
import { listCountryOptions, listJoinableOrganizations } from "~/models/organization.server";
import { signupSchema } from "~/schemas/auth";
import { vocabularyOptions } from "~/schemas/vocabulary";

async function getUiLocale(request: Request) {
  const locale = await i18nServer.getLocale(request);
  return isUiLocale(locale) ? locale : DEFAULT_UI_LOCALE;
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Enlace` : "Enlace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getOptionalUser(request)) throw redirect("/dashboard");
  const locale = await getUiLocale(request);
  const [t, countries, organizations] = await Promise.all([
    i18nServer.getFixedT(request, "auth"),
    listCountryOptions({ locale }),
    listJoinableOrganizations({ locale }),
  ]);
  return json({
    title: t("signup.title"),
    countries,
    organizations,
    organizationTypes: vocabularyOptions("organizationType", locale),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: signupSchema });
  if (submission.status !== "success") {
    return json({ result: submission.reply({ hideFields: ["password"] }) }, { status: 400 });
  }
  const attempt = await countSignupAttempt({ ip: getClientIp({ request, context }) });
  if (!attempt.allowed) {
    const t = await i18nServer.getFixedT(request, "auth");
    return json(
      { result: submission.reply({ formErrors: [t("signup.rateLimited", { count: Math.ceil(attempt.retryAfterSeconds / 60) })], hideFields: ["password"] }) },
      { status: 429, headers: { "Retry-After": String(attempt.retryAfterSeconds) } },
    );
  }
  const { name, email, password, ...choice } = submission.value;
  const outcome = await signUp({
    name,
    email,
    password,
    preferredLanguage: await getUiLocale(request),
    organization:
      choice.organizationChoice === "existing"
        ? { kind: "existing", organizationId: choice.organizationId }
        : { kind: "new", name: choice.organizationName, countryCode: choice.countryCode, type: choice.organizationType },
  });
  if (!outcome.ok) {
    const message =
      outcome.field === "email"
        ? "auth:signup.emailTaken"
        : outcome.field === "organizationId"
          ? "auth:signup.organizationUnavailable"
          : "auth:signup.countryUnavailable";
    return json(
      { result: submission.reply({ fieldErrors: { [outcome.field]: [message] }, hideFields: ["password"] }) },
      { status: 400 },
    );
  }
  const t = await i18nServer.getFixedT(request, "auth");
  return redirectWithFlash("/dashboard", t("signup.created"), { headers: { "Set-Cookie": outcome.sessionCookie } });
}

export default function SignupPage() {
  const { countries, organizations, organizationTypes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("auth");
  const [form, fields] = useForm({
    id: "signup",
    lastResult: actionData?.result,
    defaultValue: { organizationChoice: organizations.length > 0 ? undefined : "new" },
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate({ formData }) {
      return parseWithZod(formData, { schema: signupSchema });
    },
  });

  // Without JavaScript (or before a choice is made) both parts show and the radio buttons
  // decide; with it, only the chosen part shows.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const choice = fields.organizationChoice.value;
  const hideExisting = hydrated && choice === "new";
  const hideNew = hydrated && choice === "existing";

  return (
    <div className="container stack">
      <h1>{t("signup.title")}</h1>
      <p className="muted">{t("signup.intro")}</p>
      <div className="card">
        <ConformForm form={form} method="post" className="form">
          <FormErrors form={form} />
          <TextField meta={fields.name} label={t("signup.name")} autoComplete="name" />
          <TextField
            meta={fields.email}
            type="email"
            label={t("signup.email")}
            hint={t("signup.emailHint")}
            autoComplete="email"
          />
          <TextField
            meta={fields.password}
            type="password"
            label={t("signup.password")}
            hint={t("signup.passwordHint")}
            autoComplete="new-password"
            noDefaultValue
          />

          <h2>{t("signup.organizationLegend")}</h2>
          <RadioGroupField
            meta={fields.organizationChoice}
            label={t("signup.organizationChoice")}
            options={[
              { value: "existing", label: t("signup.choiceExisting") },
              { value: "new", label: t("signup.choiceNew") },
            ]}
          />

          <fieldset className="stack" hidden={hideExisting}>
            <legend className="field__label">{t("signup.existingLegend")}</legend>
            {organizations.length > 0 ? (
              <SelectField
                meta={fields.organizationId}
                label={t("signup.organizationId")}
                placeholder={t("signup.organizationIdPlaceholder")}
                options={organizations}
              />
            ) : (
              <p className="muted">{t("signup.noOrganizations")}</p>
            )}
          </fieldset>

          <fieldset className="stack" hidden={hideNew}>
            <legend className="field__label">{t("signup.newLegend")}</legend>
            <TextField meta={fields.organizationName} label={t("signup.organizationName")} autoComplete="organization" />
            <SelectField
              meta={fields.countryCode}
              label={t("signup.countryCode")}
              placeholder={t("signup.countryPlaceholder")}
              options={countries}
            />
            <SelectField
              meta={fields.organizationType}
              label={t("signup.organizationType")}
              placeholder={t("signup.organizationTypePlaceholder")}
              options={organizationTypes}
            />
          </fieldset>

          <div className="form-actions">
            <button type="submit" className="button button--primary" disabled={navigation.state === "submitting"}>
              {t("signup.submit")}
            </button>
          </div>
        </ConformForm>
      </div>
      <p>
        {t("signup.haveAccount")} <Link to="/login">{t("signup.logInLink")}</Link>
      </p>
    </div>
  );
}

import { useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { logIn } from "~/auth/credentials.server";
import { getFlash } from "~/auth/flash.server";
import { getClientIp } from "~/auth/rate-limit.server";
import { getOptionalUser } from "~/auth/session.server";
import { FlashMessage } from "~/components/flash";
import { ConformForm, FormErrors, TextField } from "~/components/forms";
import { isUiLocale } from "~/i18n/config";
import { i18nServer, localeCookie } from "~/i18n/i18next.server";
import { loginSchema } from "~/schemas/auth";
import { safeRedirectPath } from "~/utils/redirect";

const AFTER_LOGIN = "/dashboard";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Enlace` : "Enlace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = safeRedirectPath(new URL(request.url).searchParams.get("redirectTo"), AFTER_LOGIN);
  if (await getOptionalUser(request)) throw redirect(redirectTo);
  const [t, { flash, headers }] = await Promise.all([i18nServer.getFixedT(request, "auth"), getFlash(request)]);
  return json({ title: t("login.title"), redirectTo, flash }, { headers });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: loginSchema });
  if (submission.status !== "success") {
    return json({ result: submission.reply({ hideFields: ["password"] }) }, { status: 400 });
  }
  const { email, password, redirectTo } = submission.value;
  const outcome = await logIn({ email, password, ip: getClientIp({ request, context }) });

  if (!outcome.ok) {
    if (outcome.problem === "rate-limited") {
      const t = await i18nServer.getFixedT(request, "auth");
      const minutes = Math.ceil(outcome.retryAfterSeconds / 60);
      return json(
        { result: submission.reply({ formErrors: [t("login.rateLimited", { count: minutes })], hideFields: ["password"] }) },
        { status: 429, headers: { "Retry-After": String(outcome.retryAfterSeconds) } },
      );
    }
    const message = outcome.problem === "refused" ? "auth:login.refused" : "auth:login.invalidCredentials";
    return json(
      { result: submission.reply({ formErrors: [message], hideFields: ["password"] }) },
      { status: outcome.problem === "refused" ? 403 : 400 },
    );
  }

  const headers = new Headers();
  headers.append("Set-Cookie", outcome.sessionCookie);
  if (isUiLocale(outcome.preferredLanguage)) {
    headers.append("Set-Cookie", await localeCookie.serialize(outcome.preferredLanguage));
  }
  return redirect(safeRedirectPath(redirectTo, AFTER_LOGIN), { headers });
}

export default function LoginPage() {
  const { redirectTo, flash } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("auth");
  // Each refused attempt empties the password field (the server never sends it back; with
  // JavaScript the page is not reloaded, so the field is remounted instead).
  const [attempts, setAttempts] = useState(0);
  useEffect(() => {
    if (actionData) setAttempts((count) => count + 1);
  }, [actionData]);
  const [form, fields] = useForm({
    id: "login",
    lastResult: actionData?.result,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate({ formData }) {
      return parseWithZod(formData, { schema: loginSchema });
    },
  });

  return (
    <div className="container stack">
      <FlashMessage flash={flash} />
      <h1>{t("login.title")}</h1>
      <p className="muted">{t("login.intro")}</p>
      <div className="card">
        <ConformForm form={form} method="post" className="form">
          <FormErrors form={form} />
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <TextField meta={fields.email} type="email" label={t("login.email")} autoComplete="email" />
          <TextField
            key={attempts}
            meta={fields.password}
            type="password"
            label={t("login.password")}
            autoComplete="current-password"
            noDefaultValue
          />
          <div className="form-actions">
            <button type="submit" className="button button--primary" disabled={navigation.state === "submitting"}>
              {t("login.submit")}
            </button>
          </div>
        </ConformForm>
      </div>
      <p>
        {t("login.noAccount")} <Link to="/signup">{t("login.signUpLink")}</Link>
      </p>
    </div>
  );
}

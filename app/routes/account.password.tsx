import { useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { changePassword } from "~/auth/credentials.server";
import { redirectWithFlash } from "~/auth/flash.server";
import { requireUser } from "~/auth/guards.server";
import { getClientIp } from "~/auth/rate-limit.server";
import { ConformForm, FormErrors, TextField } from "~/components/forms";
import { i18nServer } from "~/i18n/i18next.server";
import { changePasswordSchema } from "~/schemas/auth";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Enlace` : "Enlace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const t = await i18nServer.getFixedT(request, "auth");
  return json({ title: t("password.title"), email: user.email });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const submission = parseWithZod(await request.formData(), { schema: changePasswordSchema });
  const hideFields = ["currentPassword", "newPassword"];
  if (submission.status !== "success") {
    return json({ result: submission.reply({ hideFields }) }, { status: 400 });
  }
  const outcome = await changePassword({
    userId: user.id,
    email: user.email,
    currentPassword: submission.value.currentPassword,
    newPassword: submission.value.newPassword,
    ip: getClientIp({ request, context }),
  });
  const t = await i18nServer.getFixedT(request, "auth");
  if (!outcome.ok) {
    if (outcome.problem === "rate-limited") {
      const minutes = Math.ceil(outcome.retryAfterSeconds / 60);
      return json(
        { result: submission.reply({ formErrors: [t("login.rateLimited", { count: minutes })], hideFields }) },
        { status: 429, headers: { "Retry-After": String(outcome.retryAfterSeconds) } },
      );
    }
    return json(
      { result: submission.reply({ fieldErrors: { currentPassword: ["auth:password.wrongCurrentPassword"] }, hideFields }) },
      { status: 400 },
    );
  }
  return redirectWithFlash("/dashboard", t("password.changed"), { headers: { "Set-Cookie": outcome.sessionCookie } });
}

export default function ChangePasswordPage() {
  const { email } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("auth");
  const [form, fields] = useForm({
    id: "change-password",
    lastResult: actionData?.result,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate({ formData }) {
      return parseWithZod(formData, { schema: changePasswordSchema });
    },
  });
  return (
    <div className="container stack">
      <h1>{t("password.title")}</h1>
      <p className="muted">{t("password.intro")}</p>
      <div className="card">
        <ConformForm form={form} method="post" className="form">
          <FormErrors form={form} />
          {/* Lets password managers file the new password under the right account. */}
          <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
          <TextField
            meta={fields.currentPassword}
            type="password"
            label={t("password.currentPassword")}
            autoComplete="current-password"
            noDefaultValue
          />
          <TextField
            meta={fields.newPassword}
            type="password"
            label={t("password.newPassword")}
            hint={t("password.newPasswordHint")}
            autoComplete="new-password"
            noDefaultValue
          />
          <div className="form-actions">
            <button type="submit" className="button button--primary" disabled={navigation.state === "submitting"}>
              {t("password.submit")}
            </button>
          </div>
        </ConformForm>
      </div>
    </div>
  );
}

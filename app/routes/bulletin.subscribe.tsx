import { useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getFlash, redirectWithFlash } from "~/auth/flash.server";
import { FlashMessage } from "~/components/flash";
import { ConformForm, FormErrors, SelectField, TextField } from "~/components/forms";
import { i18nServer } from "~/i18n/i18next.server";
import { messageLocale } from "~/mail/messages";
import { requestBulletinSubscription } from "~/models/bulletin.server";
import { subscribeSchema } from "~/schemas/bulletin";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Enlace` : "Enlace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const locale = messageLocale(await i18nServer.getLocale(request));
  const [t, { flash, headers }] = await Promise.all([i18nServer.getFixedT(request, "bulletin"), getFlash(request)]);
  return json({ title: t("subscribe.title"), locale, flash }, { headers });
}

export async function action({ request }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: subscribeSchema });
  if (submission.status !== "success") return json({ result: submission.reply() }, { status: 400 });
  const { email, locale } = submission.value;
  await requestBulletinSubscription({ email, locale, now: new Date() });
  const t = await i18nServer.getFixedT(request, "bulletin");
  return redirectWithFlash("/bulletin/subscribe", { type: "success", text: t("subscribe.sent", { email }) });
}

export default function SubscribePage() {
  const { locale, flash } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("bulletin");
  const { t: tc } = useTranslation();
  const [form, fields] = useForm({
    id: "bulletin-subscribe",
    lastResult: actionData?.result,
    defaultValue: { locale },
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate({ formData }) {
      return parseWithZod(formData, { schema: subscribeSchema });
    },
  });
  return (
    <div className="container stack">
      <FlashMessage flash={flash} />
      <p>
        <Link to="/bulletin">← {t("issue.backToArchive")}</Link>
      </p>
      <h1>{t("subscribe.title")}</h1>
      <p className="muted">{t("subscribe.intro")}</p>
      <div className="card">
        <ConformForm form={form} method="post" className="form">
          <FormErrors form={form} />
          <TextField meta={fields.email} label={t("subscribe.email")} type="email" autoComplete="email" inputMode="email" />
          <SelectField
            meta={fields.locale}
            label={t("subscribe.language")}
            options={[
              { value: "en", label: tc("language.en") },
              { value: "es", label: tc("language.es") },
            ]}
          />
          <div className="form-actions">
            <button type="submit" className="button button--primary" disabled={navigation.state === "submitting"}>
              {t("subscribe.submit")}
            </button>
          </div>
        </ConformForm>
      </div>
    </div>
  );
}

import { useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getFlash, redirectWithFlash } from "~/auth/flash.server";
import { requireStaff } from "~/auth/guards.server";
import { FlashMessage } from "~/components/flash";
import { ConformForm, FormErrors, SelectField } from "~/components/forms";
import { INTL_TAG } from "~/i18n/config";
import { i18nServer } from "~/i18n/i18next.server";
import { messageLocale } from "~/mail/messages";
import { monthKey, monthLabel, parseMonthKey } from "~/models/bulletin-edition";
import { composeBulletinIssue, countConfirmedSubscribers, listBulletinIssues } from "~/models/bulletin.server";
import { composeBulletinSchema } from "~/schemas/bulletin";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Enlace` : "Enlace" }];

// Staff compose the current month's issue, or catch up on the previous month, or prepare the next.
function monthChoices(now: Date): Date[] {
  return [-1, 0, 1, 2].map((offset) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)));
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const locale = messageLocale(await i18nServer.getLocale(request));
  const [t, { flash, headers }, issues, subscribers] = await Promise.all([
    i18nServer.getFixedT(request, "bulletin"),
    getFlash(request),
    listBulletinIssues({ publishedOnly: false }),
    countConfirmedSubscribers(),
  ]);
  const now = new Date();
  const dateFormat = new Intl.DateTimeFormat(INTL_TAG[locale], { dateStyle: "medium", timeZone: "UTC" });
  return json(
    {
      title: t("staff.title"),
      flash,
      subscribers,
      defaultMonth: monthKey(monthChoices(now)[1]),
      months: monthChoices(now).map((month) => ({ value: monthKey(month), label: monthLabel(month, locale) })),
      issues: issues.map((issue) => ({
        id: issue.id,
        month: monthKey(issue.month),
        monthLabel: monthLabel(issue.month, locale),
        title: locale === "es" ? issue.titleEs : issue.titleEn,
        status: issue.status,
        publishedLabel: issue.publishedAt ? dateFormat.format(issue.publishedAt) : null,
      })),
    },
    { headers },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request);
  const submission = parseWithZod(await request.formData(), { schema: composeBulletinSchema });
  if (submission.status !== "success") return json({ result: submission.reply() }, { status: 400 });
  const month = parseMonthKey(submission.value.month);
  if (!month) return json({ result: submission.reply({ fieldErrors: { month: ["bulletin:validation.invalidMonth"] } }) }, { status: 400 });

  const locale = messageLocale(await i18nServer.getLocale(request));
  const [t, en, es] = await Promise.all([
    i18nServer.getFixedT(request, "bulletin"),
    i18nServer.getFixedT("en", "bulletin"),
    i18nServer.getFixedT("es", "bulletin"),
  ]);
  const now = new Date();
  const outcome = await composeBulletinIssue({
    month,
    actorId: staff.id,
    now,
    texts: {
      titleEn: en("defaults.title", { month: monthLabel(month, "en") }),
      titleEs: es("defaults.title", { month: monthLabel(month, "es") }),
      introEn: en("defaults.intro", { month: monthLabel(month, "en") }),
      introEs: es("defaults.intro", { month: monthLabel(month, "es") }),
    },
  });
  const dateFormat = new Intl.DateTimeFormat(INTL_TAG[locale], { dateStyle: "long", timeZone: "UTC" });
  if (outcome.ok) {
    return redirectWithFlash(`/staff/bulletin/${outcome.id}`, t("staff.composed", { since: dateFormat.format(outcome.periodStart) }));
  }
  if (outcome.reason === "month-drafted") {
    return redirectWithFlash(`/staff/bulletin/${outcome.id}`, { type: "info", text: t("staff.monthDrafted", { month: monthLabel(month, locale) }) });
  }
  const message = t("staff.monthPublished", {
    month: monthLabel(month, locale),
    date: outcome.publishedAt ? dateFormat.format(outcome.publishedAt) : "",
  });
  return json({ result: submission.reply({ formErrors: [message] }) }, { status: 409 });
}

export default function StaffBulletinPage() {
  const { flash, subscribers, months, defaultMonth, issues } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("bulletin");
  const [form, fields] = useForm({
    id: "compose-bulletin",
    lastResult: actionData?.result,
    defaultValue: { month: defaultMonth },
    shouldValidate: "onSubmit",
    onValidate({ formData }) {
      return parseWithZod(formData, { schema: composeBulletinSchema });
    },
  });
  return (
    <div className="container stack">
      <FlashMessage flash={flash} />
      <header>
        <h1>{t("staff.title")}</h1>
        <p className="muted">{t("staff.intro")}</p>
        <p data-testid="subscriber-count">{t("staff.subscribers", { count: subscribers })}</p>
      </header>
      <section className="card" aria-labelledby="compose-heading">
        <h2 id="compose-heading">{t("staff.composeHeading")}</h2>
        <ConformForm form={form} method="post" className="form">
          <FormErrors form={form} />
          <input type="hidden" name="intent" value="compose" />
          <SelectField meta={fields.month} label={t("staff.month")} hint={t("staff.monthHint")} options={months} />
          <div className="form-actions">
            <button type="submit" className="button button--primary" disabled={navigation.state === "submitting"}>
              {t("staff.compose")}
            </button>
          </div>
        </ConformForm>
      </section>
      <section aria-labelledby="issues-heading">
        <h2 id="issues-heading">{t("staff.issuesHeading")}</h2>
        {issues.length === 0 ? <p>{t("staff.noIssues")}</p> : null}
        {issues.length > 0 ? (
          <div className="table-wrap">
            <table className="table" data-testid="bulletin-issues">
              <thead>
                <tr>
                  <th scope="col">{t("staff.monthColumn")}</th>
                  <th scope="col">{t("staff.titleColumn")}</th>
                  <th scope="col">{t("staff.statusColumn")}</th>
                  <th scope="col">{t("staff.publishedColumn")}</th>
                </tr>
              </thead>
              <tbody>
                {issues.map((issue) => (
                  <tr key={issue.id}>
                    <td>{issue.monthLabel}</td>
                    <td>
                      <Link to={`/staff/bulletin/${issue.id}`}>{issue.title}</Link>
                    </td>
                    <td>
                      <span className={issue.status === "published" ? "badge badge--success" : "badge badge--warning"}>
                        {t(`staff.statuses.${issue.status}`)}
                      </span>
                    </td>
                    <td>{issue.publishedLabel ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </div>
  );
}

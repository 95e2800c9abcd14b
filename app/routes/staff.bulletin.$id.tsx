import { useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { getFlash, redirectWithFlash } from "~/auth/flash.server";
import { requireStaff } from "~/auth/guards.server";
import { FlashMessage } from "~/components/flash";
import { CheckboxGroupField, ConformForm, FormErrors, TextAreaField, TextField } from "~/components/forms";
import { INTL_TAG } from "~/i18n/config";
import { i18nServer } from "~/i18n/i18next.server";
import { messageLocale } from "~/mail/messages";
import { renderMail } from "~/mail/render.server";
import { bulletinEdition, formatUtcDateTime, monthKey, monthLabel } from "~/models/bulletin-edition";
import {
  countConfirmedSubscribers,
  deleteBulletinDraft,
  getBulletinIssue,
  publishBulletinIssue,
  unsubscribeUrl,
  updateBulletinDraft,
} from "~/models/bulletin.server";
import { BULLETIN_LIMITS, bulletinIntentSchema, editBulletinSchema } from "~/schemas/bulletin";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.issue.title} · Enlace` : "Enlace" }];

function parseId(value: string | undefined): string {
  const parsed = z.guid().safeParse(value);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  return parsed.data;
}

// A preview's unsubscribe link goes nowhere: it shows where subscribers will find theirs.
const PREVIEW_TOKEN = "preview-only-not-a-real-token";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const id = parseId(params.id);
  const issue = await getBulletinIssue({ id });
  if (!issue) throw new Response("Not found", { status: 404 });
  const locale = messageLocale(await i18nServer.getLocale(request));
  const [{ flash, headers }, subscribers, previewEn, previewEs] = await Promise.all([
    getFlash(request),
    countConfirmedSubscribers(),
    renderMail({ template: "bulletin-issue", locale: "en", params: { edition: bulletinEdition(issue, "en"), unsubscribeUrl: unsubscribeUrl(PREVIEW_TOKEN) } }),
    renderMail({ template: "bulletin-issue", locale: "es", params: { edition: bulletinEdition(issue, "es"), unsubscribeUrl: unsubscribeUrl(PREVIEW_TOKEN) } }),
  ]);
  const dateFormat = new Intl.DateTimeFormat(INTL_TAG[locale], { dateStyle: "long", timeZone: "UTC" });
  const option = (item: { id: string; title: string }) => ({ value: item.id, label: item.title });
  const { highlights } = issue;
  return json(
    {
      issue: {
        id: issue.id,
        month: monthKey(issue.month),
        monthLabel: monthLabel(issue.month, locale),
        title: locale === "es" ? issue.titleEs : issue.titleEn,
        status: issue.status,
        titleEn: issue.titleEn,
        titleEs: issue.titleEs,
        introEn: issue.introEn,
        introEs: issue.introEs,
        periodFrom: dateFormat.format(issue.periodStart),
        periodTo: dateFormat.format(issue.periodEnd),
        publishedLabel: issue.publishedAt ? dateFormat.format(issue.publishedAt) : null,
      },
      choices: {
        offers: highlights.offers.map(option),
        requests: highlights.requests.map(option),
        cooperations: highlights.cooperations.map(option),
        meetings: highlights.meetings.map((meeting) => ({ value: meeting.id, label: `${meeting.title} (${formatUtcDateTime(meeting.startsAt, locale)})` })),
      },
      subscribers,
      previews: { en: previewEn.html, es: previewEs.html },
      flash,
    },
    { headers },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request);
  const id = parseId(params.id);
  const formData = await request.formData();
  const t = await i18nServer.getFixedT(request, "bulletin");
  const locale = messageLocale(await i18nServer.getLocale(request));
  const dateFormat = new Intl.DateTimeFormat(INTL_TAG[locale], { dateStyle: "long", timeZone: "UTC" });
  const here = `/staff/bulletin/${id}`;

  if (formData.get("intent") === "save") {
    const submission = parseWithZod(formData, { schema: editBulletinSchema });
    if (submission.status !== "success") return json({ result: submission.reply() }, { status: 400 });
    const outcome = await updateBulletinDraft({ id, data: submission.value });
    if (outcome.ok) return redirectWithFlash(here, t("staff.saved"));
    if (outcome.reason === "not-found") throw new Response("Not found", { status: 404 });
    const issue = await getBulletinIssue({ id });
    const date = issue?.publishedAt ? dateFormat.format(issue.publishedAt) : "";
    return json({ result: submission.reply({ formErrors: [t("staff.alreadyPublished", { date })] }) }, { status: 409 });
  }

  const parsed = bulletinIntentSchema.safeParse({ intent: formData.get("intent") });
  if (!parsed.success) return json({ result: null, error: "intent: not a valid action" }, { status: 400 });
  if (parsed.data.intent === "delete") {
    const outcome = await deleteBulletinDraft({ id });
    if (outcome.ok) return redirectWithFlash("/staff/bulletin", t("staff.deleted"));
    if (outcome.reason === "not-found") throw new Response("Not found", { status: 404 });
    const issue = await getBulletinIssue({ id });
    const date = issue?.publishedAt ? dateFormat.format(issue.publishedAt) : "";
    return json({ result: null, error: t("staff.alreadyPublished", { date }) }, { status: 409 });
  }
  const outcome = await publishBulletinIssue({ id, actorId: staff.id, now: new Date() });
  if (outcome.ok) return redirectWithFlash(here, t("staff.published", { count: outcome.queued }));
  if (outcome.reason === "not-found") throw new Response("Not found", { status: 404 });
  const date = outcome.publishedAt ? dateFormat.format(outcome.publishedAt) : "";
  return json({ result: null, error: t("staff.alreadyPublished", { date }) }, { status: 409 });
}

export default function StaffBulletinIssuePage() {
  const { issue, choices, subscribers, previews, flash } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("bulletin");
  const { t: tc } = useTranslation();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const actionError = actionData && "error" in actionData ? actionData.error : null;
  return (
    <div className="container stack">
      <FlashMessage flash={flash} />
      <p>
        <Link to="/staff/bulletin">← {t("staff.title")}</Link>
      </p>
      <header>
        <h1>{issue.title}</h1>
        <p className="cluster">
          <span className={issue.status === "published" ? "badge badge--success" : "badge badge--warning"} data-testid="issue-status">
            {t(`staff.statuses.${issue.status}`)}
          </span>
          <span className="muted">{t("staff.period", { from: issue.periodFrom, to: issue.periodTo })}</span>
        </p>
      </header>
      {actionError ? (
        <div className="alert alert--danger" role="alert">
          {actionError}
        </div>
      ) : null}

      {issue.status === "draft" ? (
        <EditDraftForm issue={issue} choices={choices} lastResult={actionData && "result" in actionData ? actionData.result : null} />
      ) : (
        <div className="alert alert--success">
          <p>{t("staff.publishedNote", { date: issue.publishedLabel ?? "" })}</p>
          <Link to={`/bulletin/${issue.month}`}>{t("staff.viewPublic")}</Link>
        </div>
      )}

      <section aria-labelledby="preview-heading" className="stack">
        <h2 id="preview-heading">{t("staff.previewHeading")}</h2>
        <p className="muted">{t("staff.previewIntro")}</p>
        <div className="bulletin-previews">
          {(["en", "es"] as const).map((language) => (
            <figure key={language} className="bulletin-preview">
              <figcaption>{tc(`language.${language}`)}</figcaption>
              {/* sandboxed: previewed HTML runs no script and cannot reach this page */}
              <iframe
                className="mail-frame"
                title={t("staff.previewFrame", { language: tc(`language.${language}`) })}
                sandbox=""
                srcDoc={previews[language]}
                data-testid={`preview-${language}`}
              />
            </figure>
          ))}
        </div>
      </section>

      {issue.status === "draft" ? (
        <section aria-labelledby="publish-heading" className="card stack">
          <h2 id="publish-heading">{t("staff.publishHeading")}</h2>
          <p>{t("staff.publishIntro", { count: subscribers })}</p>
          <div className="form-actions">
            <Form method="post">
              <button type="submit" name="intent" value="publish" className="button button--primary" disabled={busy}>
                {t("staff.publish")}
              </button>
            </Form>
            <Form method="post">
              <button type="submit" name="intent" value="delete" className="button button--danger" disabled={busy}>
                {t("staff.deleteDraft")}
              </button>
            </Form>
          </div>
        </section>
      ) : null}
    </div>
  );
}

type Choice = { value: string; label: string };

function EditDraftForm({
  issue,
  choices,
  lastResult,
}: {
  issue: { titleEn: string; titleEs: string; introEn: string; introEs: string };
  choices: { offers: Choice[]; requests: Choice[]; cooperations: Choice[]; meetings: Choice[] };
  lastResult: SubmissionResult<string[]> | null | undefined;
}) {
  const { t } = useTranslation("bulletin");
  const navigation = useNavigation();
  const values = (list: Choice[]) => list.map((choice) => choice.value);
  const [form, fields] = useForm({
    id: "edit-bulletin",
    lastResult,
    defaultValue: {
      titleEn: issue.titleEn,
      titleEs: issue.titleEs,
      introEn: issue.introEn,
      introEs: issue.introEs,
      keepOffers: values(choices.offers),
      keepRequests: values(choices.requests),
      keepCooperations: values(choices.cooperations),
      keepMeetings: values(choices.meetings),
    },
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate({ formData }) {
      return parseWithZod(formData, { schema: editBulletinSchema });
    },
  });
  const sections = [
    { field: fields.keepOffers, label: t("sections.offers"), options: choices.offers },
    { field: fields.keepRequests, label: t("sections.requests"), options: choices.requests },
    { field: fields.keepCooperations, label: t("sections.cooperations"), options: choices.cooperations },
    { field: fields.keepMeetings, label: t("sections.meetings"), options: choices.meetings },
  ].filter((section) => section.options.length > 0);
  return (
    <section aria-labelledby="edit-heading" className="card">
      <h2 id="edit-heading">{t("staff.editHeading")}</h2>
      <ConformForm form={form} method="post" className="form bulletin-form">
        <FormErrors form={form} />
        <input type="hidden" name="intent" value="save" />
        <div className="grid-2">
          <TextField meta={fields.titleEn} label={t("staff.titleEn")} />
          <TextField meta={fields.titleEs} label={t("staff.titleEs")} />
          <TextAreaField meta={fields.introEn} label={t("staff.introEn")} hint={t("staff.introHint")} rows={6} maxLength={BULLETIN_LIMITS.intro} />
          <TextAreaField meta={fields.introEs} label={t("staff.introEs")} hint={t("staff.introHint")} rows={6} maxLength={BULLETIN_LIMITS.intro} />
        </div>
        <h3>{t("staff.keepHeading")}</h3>
        {sections.length === 0 ? <p className="muted">{t("staff.noHighlights")}</p> : <p className="muted">{t("staff.keepHint")}</p>}
        {sections.map((section) => (
          <CheckboxGroupField key={section.field.name} meta={section.field} label={section.label} options={section.options} />
        ))}
        <div className="form-actions">
          <button type="submit" className="button button--secondary" disabled={navigation.state === "submitting"}>
            {t("staff.save")}
          </button>
        </div>
      </ConformForm>
    </section>
  );
}

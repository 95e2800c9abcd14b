import { useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getFlash, redirectWithFlash } from "~/auth/flash.server";
import { requireStaff } from "~/auth/guards.server";
import { FlashMessage } from "~/components/flash";
import { ConformForm, FormErrors, TextAreaField } from "~/components/forms";
import { INTL_TAG, isUiLocale } from "~/i18n/config";
import { i18nServer } from "~/i18n/i18next.server";
import { approveAccount, countPendingAccounts, listPendingAccounts, refuseAccount } from "~/models/user.server";
import { REFUSAL_REASON_MAX_LENGTH, reviewAccountSchema } from "~/schemas/auth";
import { isVocabularyCode, vocabularyLabel } from "~/schemas/vocabulary";

const PAGE_SIZE = 100;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Enlace` : "Enlace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const locale = await i18nServer.getLocale(request);
  const [t, { flash, headers }, accounts, total] = await Promise.all([
    i18nServer.getFixedT(request, "auth"),
    getFlash(request),
    listPendingAccounts({ locale, limit: PAGE_SIZE }),
    countPendingAccounts(),
  ]);
  const dateFormat = new Intl.DateTimeFormat(isUiLocale(locale) ? INTL_TAG[locale] : "en-US", {
    dateStyle: "medium",
    timeZone: "UTC",
  });
  return json(
    {
      title: t("review.title"),
      flash,
      total,
      accounts: accounts.map((account) => ({
        id: account.id,
        name: account.name,
        email: account.email,
        requestedOn: dateFormat.format(account.createdAt),
        organization: account.organization
          ? {
              name: account.organization.name,
              countryName: account.organization.countryName,
              typeLabel: isVocabularyCode("organizationType", account.organization.type)
                ? vocabularyLabel("organizationType", account.organization.type, locale)
                : account.organization.type,
              isNew: account.organization.verificationStatus === "pending",
            }
          : null,
      })),
    },
    { headers },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const reviewer = await requireStaff(request);
  const submission = parseWithZod(await request.formData(), { schema: reviewAccountSchema });
  if (submission.status !== "success") {
    const userId = typeof submission.payload.userId === "string" ? submission.payload.userId : null;
    return json({ result: submission.reply(), userId }, { status: 400 });
  }
  const review = submission.value;
  const outcome =
    review.intent === "approve"
      ? await approveAccount({ userId: review.userId, reviewerId: reviewer.id })
      : await refuseAccount({ userId: review.userId, reviewerId: reviewer.id, reason: review.reason });
  const t = await i18nServer.getFixedT(request, "auth");
  if (!outcome.ok) {
    return redirectWithFlash("/staff/accounts", { type: "warning", text: t("review.alreadyReviewed") });
  }
  const text = review.intent === "approve" ? t("review.approved", { name: outcome.name }) : t("review.refused", { name: outcome.name });
  return redirectWithFlash("/staff/accounts", text);
}

export default function PendingAccountsPage() {
  const { flash, accounts, total } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("auth");
  return (
    <div className="container stack">
      <FlashMessage flash={flash} />
      <h1>{t("review.title")}</h1>
      <p className="muted">{t("review.intro")}</p>
      {accounts.length === 0 ? <p data-testid="no-pending-accounts">{t("review.empty")}</p> : null}
      {total > accounts.length ? <p>{t("review.shownOf", { shown: accounts.length, total })}</p> : null}
      <ul className="card-list">
        {accounts.map((account) => (
          <li key={account.id} className="card" data-testid="pending-account" aria-labelledby={`account-${account.id}`}>
            <h2 id={`account-${account.id}`} className="card__title">
              {account.name}
            </h2>
            <p className="card__meta">
              {account.email} · {t("review.requestedOn")} {account.requestedOn}
            </p>
            <p>
              <strong>{t("review.organization")}:</strong>{" "}
              {account.organization ? (
                <>
                  {account.organization.name} ({account.organization.countryName}, {account.organization.typeLabel}){" "}
                  {account.organization.isNew ? <span className="badge badge--warning">{t("review.newOrganization")}</span> : null}
                </>
              ) : (
                t("review.noOrganization")
              )}
            </p>
            <div className="grid-2">
              <Form method="post">
                <input type="hidden" name="intent" value="approve" />
                <input type="hidden" name="userId" value={account.id} />
                <button type="submit" className="button button--primary" aria-label={t("review.approveLabel", { name: account.name })}>
                  {t("review.approve")}
                </button>
              </Form>
              <RefuseForm
                userId={account.id}
                name={account.name}
                lastResult={actionData?.userId === account.id ? actionData.result : undefined}
              />
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

function RefuseForm({ userId, name, lastResult }: { userId: string; name: string; lastResult?: SubmissionResult<string[]> }) {
  const { t } = useTranslation("auth");
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: `refuse-${userId}`,
    lastResult,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate({ formData }) {
      return parseWithZod(formData, { schema: reviewAccountSchema });
    },
  });
  return (
    <ConformForm form={form} method="post" className="form">
      <FormErrors form={form} />
      <input type="hidden" name="intent" value="refuse" />
      <input type="hidden" name="userId" value={userId} />
      <TextAreaField
        meta={fields.reason}
        label={t("review.reason")}
        hint={t("review.reasonHint")}
        rows={3}
        maxLength={REFUSAL_REASON_MAX_LENGTH}
      />
      <div className="form-actions">
        <button
          type="submit"
          className="button button--danger"
          aria-label={t("review.refuseLabel", { name })}
          disabled={navigation.state === "submitting"}
        >
          {t("review.refuse")}
        </button>
      </div>
    </ConformForm>
  );
}

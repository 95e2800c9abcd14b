import { useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getFlash, redirectWithFlash } from "~/auth/flash.server";
import { requireStaff } from "~/auth/guards.server";
import { AuditLog } from "~/components/brokering/audit-log";
import { CooperationList } from "~/components/brokering/cooperation-list";
import { refusalResponse } from "~/components/brokering/errors.server";
import { useCatalogueFormat } from "~/components/catalogue/format";
import { FlashMessage } from "~/components/flash";
import { ConformForm, ErrorList, FormErrors, SelectField, TextAreaField } from "~/components/forms";
import { i18nServer } from "~/i18n/i18next.server";
import { messageLocale } from "~/mail/messages";
import { REJECTION_REASON_CODES, REJECTION_REASON_LABELS } from "~/matching/decisions";
import { listAuditEvents, type AuditEntityType } from "~/models/audit.server";
import { listOrganizationCooperations } from "~/models/cooperation.server";
import { decidePairing, getStaffPairing } from "~/models/pairing.server";
import { BROKERING_LIMITS, isDeclineReason, isFactorName, pairingIdSchema, staffDecisionSchema } from "~/schemas/brokering";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Enlace` : "Enlace" }];

function parseId(value: string | undefined): string {
  const parsed = pairingIdSchema.safeParse(value);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  return parsed.data;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request);
  const id = parseId(params.id);
  const locale = messageLocale(await i18nServer.getLocale(request));
  const pairing = await getStaffPairing({ id, locale });
  if (!pairing) throw new Response("Not found", { status: 404 });
  const entities: Array<{ entityType: AuditEntityType; entityId: string }> = [{ entityType: "proposal", entityId: pairing.id }];
  if (pairing.cooperation) entities.push({ entityType: "cooperation", entityId: pairing.cooperation.id });
  const [{ flash, headers }, audit, requesterHistory, providerHistory] = await Promise.all([
    getFlash(request),
    listAuditEvents({ entities }),
    listOrganizationCooperations({ organizationId: pairing.request.organization.id, locale }),
    listOrganizationCooperations({ organizationId: pairing.offer.organization.id, locale }),
  ]);
  const nextAlternate = pairing.status === "declined" ? (pairing.alternates.find((alternate) => alternate.status === "proposed") ?? null) : null;
  return json(
    {
      title: `${pairing.request.title} — ${pairing.offer.title}`,
      flash,
      locale,
      pairing: {
        ...pairing,
        decidedAt: pairing.decidedAt?.toISOString() ?? null,
        createdAt: pairing.createdAt.toISOString(),
        consents: pairing.consents.map((consent) => ({ ...consent, respondedAt: consent.respondedAt?.toISOString() ?? null })),
      },
      nextAlternate,
      audit: audit.map((event) => ({ ...event, createdAt: event.createdAt.toISOString() })),
      requesterHistory,
      providerHistory,
      reasonOptions: REJECTION_REASON_CODES.map((code) => ({ value: code, label: REJECTION_REASON_LABELS[code][locale === "es" ? "es" : "en"] })),
    },
    { headers },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request);
  const id = parseId(params.id);
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: staffDecisionSchema });
  const form = String(formData.get("intent") ?? "");
  if (submission.status !== "success") return json({ form, result: submission.reply(), error: null }, { status: 400 });
  try {
    await decidePairing({ proposalId: id, staff, decision: submission.value });
  } catch (error) {
    return refusalResponse(error, form);
  }
  const t = await i18nServer.getFixedT(request, "brokering");
  return redirectWithFlash(`/staff/pairings/${id}`, t(submission.value.intent === "confirm" ? "flash.confirmed" : "flash.rejected"));
}

function DecisionForms({ version, reasonOptions }: { version: number; reasonOptions: ReadonlyArray<{ value: string; label: string }> }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("brokering");
  const [confirmForm, confirmFields] = useForm({
    id: "confirm-pairing",
    lastResult: actionData?.form === "confirm" ? actionData.result : undefined,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: staffDecisionSchema }),
  });
  const [rejectForm, rejectFields] = useForm({
    id: "reject-pairing",
    lastResult: actionData?.form === "reject" ? actionData.result : undefined,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: staffDecisionSchema }),
  });
  const busy = navigation.state === "submitting";
  return (
    <section aria-labelledby="decide-heading" className="stack">
      <h2 id="decide-heading">{t("pairing.decide")}</h2>
      {actionData?.error ? (
        <div role="alert" className="alert alert--danger" data-testid="decision-error">
          <ErrorList errors={[actionData.error]} />
        </div>
      ) : null}
      <div className="grid-2">
        <div className="card">
          <ConformForm form={confirmForm} method="post" className="form">
            <FormErrors form={confirmForm} />
            <input type="hidden" name="intent" value="confirm" />
            <input type="hidden" name="version" value={version} />
            <TextAreaField meta={confirmFields.agencyNote} label={t("pairing.agencyNote")} hint={t("pairing.agencyNoteHint")} maxLength={BROKERING_LIMITS.note} rows={3} />
            <TextAreaField meta={confirmFields.internalNote} label={t("pairing.internalNote")} hint={t("pairing.internalNoteHint")} maxLength={BROKERING_LIMITS.note} rows={2} />
            <div className="form-actions">
              <button type="submit" className="button button--primary" disabled={busy}>
                {t("pairing.confirm")}
              </button>
            </div>
          </ConformForm>
        </div>
        <div className="card">
          <ConformForm form={rejectForm} method="post" className="form">
            <FormErrors form={rejectForm} />
            <input type="hidden" name="intent" value="reject" />
            <input type="hidden" name="version" value={version} />
            <SelectField meta={rejectFields.reason} label={t("pairing.reason")} options={reasonOptions} placeholder="" />
            <TextAreaField meta={rejectFields.internalNote} label={t("pairing.internalNote")} hint={t("pairing.internalNoteHint")} maxLength={BROKERING_LIMITS.note} rows={2} />
            <div className="form-actions">
              <button type="submit" className="button button--secondary" disabled={busy}>
                {t("pairing.reject")}
              </button>
            </div>
          </ConformForm>
        </div>
      </div>
    </section>
  );
}

type RecordSide = {
  id: string;
  title: string;
  summary: string;
  themes: string[];
  modalities: string[];
  workingLanguages: string[];
  organization: { id: string; name: string; countryName: string };
};

function RecordCard({ record, kind }: { record: RecordSide; kind: "request" | "offer" }) {
  const { t } = useTranslation("brokering");
  const format = useCatalogueFormat();
  return (
    <article className="card stack" aria-labelledby={`${kind}-heading`} data-testid={`pairing-${kind}`}>
      <p className="muted">{t(`pairing.${kind}`)}</p>
      <h2 id={`${kind}-heading`} className="card__title">
        <Link to={`/${kind === "request" ? "requests" : "offers"}/${record.id}`}>{record.title}</Link>
      </h2>
      <p>
        <Link to={`/organizations/${record.organization.id}`}>{record.organization.name}</Link> · {record.organization.countryName}
      </p>
      <p>{record.summary}</p>
      <dl className="detail-list">
        <dt>{t("pairing.themes")}</dt>
        <dd>{record.themes.map((code) => format.label("theme", code)).join(", ")}</dd>
        <dt>{t("pairing.modalities")}</dt>
        <dd>{record.modalities.map((code) => format.label("modality", code)).join(", ") || "—"}</dd>
        <dt>{t("pairing.languages")}</dt>
        <dd>{record.workingLanguages.map((code) => format.label("language", code)).join(", ")}</dd>
      </dl>
    </article>
  );
}

export default function StaffPairingPage() {
  const { flash, pairing, nextAlternate, audit, requesterHistory, providerHistory, reasonOptions } = useLoaderData<typeof loader>();
  const { t } = useTranslation("brokering");
  const format = useCatalogueFormat();
  const factorLabel = (name: string) => (isFactorName(name) ? t(`factors.${name}`) : name);
  return (
    <div className="container stack">
      <FlashMessage flash={flash} />
      <p>
        <Link to="/staff/pairings">← {t("pairing.back")}</Link> · <Link to={`/staff/pairings/requests/${pairing.request.id}`}>{t("pairing.requestView")}</Link>
      </p>
      <header className="record-header">
        <div className="cluster">
          <span className="badge badge--primary" data-testid="pairing-status">{t(`status.${pairing.status}`)}</span>
          <span className="badge">{t(`source.${pairing.source}`)}</span>
        </div>
        <h1>{pairing.request.title} — {pairing.offer.title}</h1>
      </header>
      {nextAlternate ? (
        <div className="alert alert--warning" data-testid="next-alternate">
          {t("pairing.declinedSuggest")}{" "}
          <Link to={`/staff/pairings/${nextAlternate.id}`}>
            {nextAlternate.offer.title} ({nextAlternate.offer.organization.countryName}, {nextAlternate.score.toFixed(1)})
          </Link>
        </div>
      ) : null}
      <div className="grid-2">
        <RecordCard record={pairing.request} kind="request" />
        <RecordCard record={pairing.offer} kind="offer" />
      </div>
      <section aria-labelledby="score-heading" className="card stack">
        <h2 id="score-heading">
          {t("pairing.score")}: <span data-testid="pairing-score">{t("pairing.scoreOf", { score: pairing.score.toFixed(1) })}</span>
        </h2>
        <h3>{t("pairing.reasons")}</h3>
        <ul data-testid="pairing-reasons">
          {pairing.reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
        {!pairing.sharedLanguage ? <p className="alert alert--warning">{t("pairing.noSharedLanguage")}</p> : null}
        {pairing.factors.length > 0 ? (
          <div className="table-wrap">
            <table className="table" data-testid="factor-table">
              <caption>{t("pairing.factors")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("pairing.factor")}</th>
                  <th scope="col">{t("pairing.value")}</th>
                  <th scope="col">{t("pairing.weight")}</th>
                  <th scope="col">{t("pairing.points")}</th>
                </tr>
              </thead>
              <tbody>
                {pairing.factors.map((factor) => (
                  <tr key={factor.name}>
                    <th scope="row">{factorLabel(factor.name)}</th>
                    <td>{factor.value.toFixed(2)}</td>
                    <td>{factor.weight}</td>
                    <td>{factor.points.toFixed(1)}</td>
                  </tr>
                ))}
                {pairing.feedbackPoints !== null ? (
                  <tr>
                    <th scope="row">{t("factors.feedback")}</th>
                    <td />
                    <td />
                    <td>{pairing.feedbackPoints.toFixed(1)}</td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      {pairing.status === "proposed" ? (
        <DecisionForms version={pairing.version} reasonOptions={reasonOptions} />
      ) : (
        <section aria-labelledby="decision-heading" className="card stack">
          <h2 id="decision-heading">{t("pairing.decide")}</h2>
          {pairing.decidedBy && pairing.decidedAt ? <p>{t("pairing.decided", { name: pairing.decidedBy, date: format.date(pairing.decidedAt) })}</p> : null}
          {pairing.rejectionReason ? (
            <p>
              {t("pairing.rejectionReason", {
                reason: reasonOptions.find((option) => option.value === pairing.rejectionReason)?.label ?? pairing.rejectionReason,
              })}
            </p>
          ) : null}
          {pairing.agencyNote ? <p>{t("pairing.agencyNoteShown", { note: pairing.agencyNote })}</p> : null}
          {pairing.decisionNote ? <p>{t("pairing.internalNoteShown", { note: pairing.decisionNote })}</p> : null}
          {pairing.consents.length > 0 ? (
            <>
              <h3>{t("pairing.answers")}</h3>
              <ul data-testid="consents">
                {pairing.consents.map((consent) => (
                  <li key={consent.side}>
                    {t(`side.${consent.side}`)}: {t(`consentStatus.${consent.status}`)}
                    {consent.respondedBy && consent.respondedAt ? ` (${t("pairing.answeredBy", { name: consent.respondedBy, date: format.date(consent.respondedAt) })})` : ""}
                    {isDeclineReason(consent.declineReason) ? ` · ${t(`declineReasons.${consent.declineReason}`)}` : ""}
                    {consent.declineNote ? ` · ${consent.declineNote}` : ""}
                  </li>
                ))}
              </ul>
              <p>
                <Link to={`/pairings/${pairing.id}`}>{t("pairing.agencyView")}</Link>
              </p>
            </>
          ) : null}
          {pairing.cooperation ? (
            <p>
              <Link to={`/cooperations/${pairing.cooperation.id}`} className="button button--secondary">
                {t("pairing.cooperation")}
              </Link>
            </p>
          ) : null}
        </section>
      )}
      <section aria-labelledby="alternates-heading" className="stack">
        <h2 id="alternates-heading">{t("pairing.alternates")}</h2>
        {pairing.alternates.length === 0 ? (
          <p className="empty-state">{t("pairing.noAlternates")}</p>
        ) : (
          <ol className="link-list" data-testid="alternates">
            {pairing.alternates.map((alternate) => (
              <li key={alternate.id}>
                <Link to={`/staff/pairings/${alternate.id}`}>{alternate.offer.title}</Link>{" "}
                <span className="muted">
                  · {alternate.offer.organization.name} ({alternate.offer.organization.countryName}) · {alternate.score.toFixed(1)} · {t(`status.${alternate.status}`)}
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>
      <div className="grid-2">
        <div className="stack">
          <h2>{t("pairing.history", { organization: pairing.request.organization.name })}</h2>
          <CooperationList cooperations={requesterHistory} headingId="requester-history" headingLevel={3} />
        </div>
        <div className="stack">
          <h2>{t("pairing.history", { organization: pairing.offer.organization.name })}</h2>
          <CooperationList cooperations={providerHistory} headingId="provider-history" headingLevel={3} />
        </div>
      </div>
      <AuditLog events={audit} headingId="pairing-audit" />
    </div>
  );
}


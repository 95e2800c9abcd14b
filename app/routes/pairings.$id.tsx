import { useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getFlash, redirectWithFlash } from "~/auth/flash.server";
import { requireUser } from "~/auth/guards.server";
import { refusalResponse } from "~/components/brokering/errors.server";
import { FlashMessage } from "~/components/flash";
import { ConformForm, ErrorList, FormErrors, SelectField, TextAreaField } from "~/components/forms";
import { i18nServer } from "~/i18n/i18next.server";
import { messageLocale } from "~/mail/messages";
import { getAgencyPairing, respondToPairing } from "~/models/pairing.server";
import { BROKERING_LIMITS, consentSchema, DECLINE_REASON_CODES, pairingIdSchema } from "~/schemas/brokering";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Enlace` : "Enlace" }];

function parseId(value: string | undefined): string {
  const parsed = pairingIdSchema.safeParse(value);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  return parsed.data;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = parseId(params.id);
  const locale = messageLocale(await i18nServer.getLocale(request));
  // Unconfirmed proposals and other agencies' pairings do not exist for this reader.
  const pairing = await getAgencyPairing({ id, viewer: user, locale });
  if (!pairing) throw new Response("Not found", { status: 404 });
  const [t, { flash, headers }] = await Promise.all([i18nServer.getFixedT(request, "brokering"), getFlash(request)]);
  const ownAnswer = pairing.viewerSide ? (pairing.consents.find((consent) => consent.side === pairing.viewerSide)?.status ?? null) : null;
  return json(
    {
      title: t("agency.title"),
      flash,
      pairing: { ...pairing, decidedAt: pairing.decidedAt?.toISOString() ?? null, consents: pairing.consents.map((consent) => ({ side: consent.side, status: consent.status })) },
      ownAnswer,
      canAnswer: pairing.status === "confirmed" && ownAnswer === "pending" && user.status === "active",
      reasonOptions: DECLINE_REASON_CODES.map((code) => ({ value: code, label: t(`declineReasons.${code}`) })),
    },
    { headers },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = parseId(params.id);
  const formData = await request.formData();
  const form = String(formData.get("intent") ?? "");
  const submission = parseWithZod(formData, { schema: consentSchema });
  if (submission.status !== "success") return json({ form, result: submission.reply(), error: null }, { status: 400 });
  let outcome: Awaited<ReturnType<typeof respondToPairing>>;
  try {
    outcome = await respondToPairing({ proposalId: id, actor: user, answer: submission.value });
  } catch (error) {
    return refusalResponse(error, form);
  }
  const t = await i18nServer.getFixedT(request, "brokering");
  if (outcome.cooperationId) return redirectWithFlash(`/cooperations/${outcome.cooperationId}`, t("flash.cooperationStarted"));
  return redirectWithFlash(`/pairings/${id}`, t(outcome.status === "declined" ? "flash.declined" : "flash.accepted"));
}

function AnswerForms({ reasonOptions }: { reasonOptions: ReadonlyArray<{ value: string; label: string }> }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("brokering");
  const [acceptForm] = useForm({ id: "accept-pairing", lastResult: actionData?.form === "accept" ? actionData.result : undefined });
  const [declineForm, declineFields] = useForm({
    id: "decline-pairing",
    lastResult: actionData?.form === "decline" ? actionData.result : undefined,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: consentSchema }),
  });
  const busy = navigation.state === "submitting";
  return (
    <div className="grid-2">
      <div className="card">
        <ConformForm form={acceptForm} method="post" className="form">
          <FormErrors form={acceptForm} />
          <input type="hidden" name="intent" value="accept" />
          <button type="submit" className="button button--primary" disabled={busy}>
            {t("agency.accept")}
          </button>
        </ConformForm>
      </div>
      <div className="card">
        <ConformForm form={declineForm} method="post" className="form">
          <FormErrors form={declineForm} />
          <input type="hidden" name="intent" value="decline" />
          <SelectField meta={declineFields.reason} label={t("agency.declineReason")} options={reasonOptions} placeholder="" />
          <TextAreaField meta={declineFields.note} label={t("agency.declineNote")} maxLength={BROKERING_LIMITS.note} rows={3} />
          <div className="form-actions">
            <button type="submit" className="button button--secondary" disabled={busy}>
              {t("agency.decline")}
            </button>
          </div>
        </ConformForm>
      </div>
    </div>
  );
}

export default function AgencyPairingPage() {
  const { flash, pairing, ownAnswer, canAnswer, reasonOptions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("brokering");
  return (
    <div className="container stack">
      <FlashMessage flash={flash} />
      <h1>{t("agency.title")}</h1>
      <p data-testid="pairing-intro">
        {t("agency.intro", {
          provider: pairing.offer.organization.name,
          providerCountry: pairing.offer.organization.countryName,
          offer: pairing.offer.title,
          requester: pairing.request.organization.name,
          requesterCountry: pairing.request.organization.countryName,
        })}
      </p>
      <div className="grid-2">
        <article className="card stack">
          <p className="muted">{t("pairing.request")}</p>
          <h2 className="card__title">
            <Link to={`/requests/${pairing.request.id}`}>{pairing.request.title}</Link>
          </h2>
          <p>{pairing.request.summary}</p>
        </article>
        <article className="card stack">
          <p className="muted">{t("pairing.offer")}</p>
          <h2 className="card__title">
            <Link to={`/offers/${pairing.offer.id}`}>{pairing.offer.title}</Link>
          </h2>
          <p>{pairing.offer.summary}</p>
        </article>
      </div>
      <section aria-labelledby="reasons-heading" className="stack">
        <h2 id="reasons-heading">{t("agency.reasons")}</h2>
        <ul data-testid="pairing-reasons">
          {pairing.reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      </section>
      {pairing.agencyNote ? (
        <section aria-labelledby="note-heading" className="card">
          <h2 id="note-heading">{t("agency.note")}</h2>
          <p data-testid="agency-note">{pairing.agencyNote}</p>
        </section>
      ) : null}
      <section aria-labelledby="answers-heading" className="stack">
        <h2 id="answers-heading">{t("agency.answers")}</h2>
        <ul data-testid="consents">
          {pairing.consents.map((consent) => (
            <li key={consent.side}>
              {t(`side.${consent.side}`)}: {t(`consentStatus.${consent.status}`)}
            </li>
          ))}
        </ul>
        {pairing.viewerSide ? <p>{t("agency.yourSide", { side: t(`side.${pairing.viewerSide}`) })}</p> : null}
        {actionData?.error ? (
          <div role="alert" className="alert alert--danger">
            <ErrorList errors={[actionData.error]} />
          </div>
        ) : null}
        {canAnswer ? <AnswerForms reasonOptions={reasonOptions} /> : null}
        {ownAnswer && ownAnswer !== "pending" && pairing.status === "confirmed" ? (
          <p className="alert">
            {t("agency.yourAnswer", { status: t(`consentStatus.${ownAnswer}`) })} {t("agency.waiting")}
          </p>
        ) : null}
        {pairing.status === "declined" ? <p className="alert alert--warning">{t("agency.declined")}</p> : null}
        {pairing.cooperation ? (
          <p className="alert alert--success">
            {t("agency.started")}{" "}
            <Link to={`/cooperations/${pairing.cooperation.id}`}>{t("agency.cooperation")}</Link>
          </p>
        ) : null}
      </section>
    </div>
  );
}

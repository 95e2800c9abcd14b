import { useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getFlash, redirectWithFlash } from "~/auth/flash.server";
import { isStaff, requireUser } from "~/auth/guards.server";
import { AuditLog } from "~/components/brokering/audit-log";
import { refusalResponse } from "~/components/brokering/errors.server";
import { useCatalogueFormat } from "~/components/catalogue/format";
import { FlashMessage } from "~/components/flash";
import { ConformForm, ErrorList, FormErrors, RadioGroupField, SelectField, TextAreaField, TextField } from "~/components/forms";
import { i18nServer } from "~/i18n/i18next.server";
import { messageLocale } from "~/mail/messages";
import { listAuditEvents } from "~/models/audit.server";
import { acceptsActivities, availableTransitions } from "~/models/brokering-rules";
import {
  addActivity,
  addDocument,
  answerFollowUp,
  fileOutcome,
  getCooperation,
  postMessage,
  transitionCooperation,
} from "~/models/cooperation.server";
import {
  activitySchema,
  ADOPTION_CODES,
  BROKERING_LIMITS,
  cooperationIntentSchema,
  cooperationTransitionSchema,
  documentSchema,
  followUpAnswerSchema,
  messageSchema,
  outcomeSchema,
  pairingIdSchema,
} from "~/schemas/brokering";
import { vocabularyOptions } from "~/schemas/vocabulary";

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
  const cooperation = await getCooperation({ id, viewer: user, locale });
  if (!cooperation) throw new Response("Not found", { status: 404 });
  const staff = isStaff(user);
  const [t, { flash, headers }, audit] = await Promise.all([
    i18nServer.getFixedT(request, "brokering"),
    getFlash(request),
    // The audit log holds internal staff notes: staff only.
    staff
      ? listAuditEvents({
          entities: [
            { entityType: "proposal", entityId: cooperation.proposalId },
            { entityType: "cooperation", entityId: cooperation.id },
          ],
        })
      : Promise.resolve(null),
  ]);
  const now = Date.now();
  const ownOutcomeFiled = cooperation.viewerSide ? cooperation.outcomes.some((outcome) => outcome.side === cooperation.viewerSide) : true;
  return json(
    {
      title: `${t("cooperation.title")}: ${cooperation.offer.title}`,
      flash,
      staff,
      canAct: (cooperation.viewerSide !== null && user.status === "active") || staff,
      canFileOutcome: cooperation.status === "completed" && cooperation.viewerSide !== null && user.status === "active" && !ownOutcomeFiled,
      transitions: availableTransitions(cooperation.status),
      acceptsActivities: acceptsActivities(cooperation.status),
      modalities: vocabularyOptions("modality", locale),
      adoptionOptions: ADOPTION_CODES.map((code) => ({ value: code, label: t(`adoption.${code}`) })),
      cooperation: {
        ...cooperation,
        startedAt: cooperation.startedAt?.toISOString() ?? null,
        completedAt: cooperation.completedAt?.toISOString() ?? null,
        cancelledAt: cooperation.cancelledAt?.toISOString() ?? null,
        createdAt: cooperation.createdAt.toISOString(),
        activities: cooperation.activities.map((activity) => ({
          ...activity,
          startsOn: activity.startsOn.toISOString(),
          endsOn: activity.endsOn.toISOString(),
        })),
        messages: cooperation.messages.map((message) => ({ ...message, createdAt: message.createdAt.toISOString() })),
        outcomes: cooperation.outcomes.map((outcome) => ({ ...outcome, filedAt: outcome.filedAt.toISOString() })),
        followUps: cooperation.followUps.map((followUp) => ({
          ...followUp,
          dueAt: followUp.dueAt.toISOString(),
          answerable:
            cooperation.viewerSide === "requester" && followUp.answeredAt === null && (followUp.remindedAt !== null || followUp.dueAt.getTime() <= now),
          remindedAt: followUp.remindedAt?.toISOString() ?? null,
          answeredAt: followUp.answeredAt?.toISOString() ?? null,
        })),
      },
      audit: audit ? audit.map((event) => ({ ...event, createdAt: event.createdAt.toISOString() })) : null,
    },
    { headers },
  );
}

type ActionAnswer = { form: string; result: SubmissionResult<string[]> | null; error: string | null };

function invalid(form: string, result: SubmissionResult<string[]>) {
  return json<ActionAnswer>({ form, result, error: null }, { status: 400 });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = parseId(params.id);
  const formData = await request.formData();
  const intent = cooperationIntentSchema.safeParse({ intent: formData.get("intent") });
  if (!intent.success) {
    return json<ActionAnswer>({ form: "", result: null, error: "brokering:validation.invalidIntent" }, { status: 400 });
  }
  const form = intent.data.intent;
  const t = await i18nServer.getFixedT(request, "brokering");
  const back = `/cooperations/${id}`;
  try {
    switch (form) {
      case "start":
      case "complete":
      case "cancel": {
        const submission = parseWithZod(formData, { schema: cooperationTransitionSchema });
        if (submission.status !== "success") return invalid(form, submission.reply());
        const value = submission.value;
        await transitionCooperation({
          id,
          actor: user,
          transition: value.intent,
          expectedVersion: value.version,
          cancelReason: value.intent === "cancel" ? value.cancelReason : null,
        });
        return redirectWithFlash(back, t(`flash.${value.intent}`));
      }
      case "activity": {
        const submission = parseWithZod(formData, { schema: activitySchema });
        if (submission.status !== "success") return invalid(form, submission.reply());
        await addActivity({ id, actor: user, activity: submission.value });
        return redirectWithFlash(back, t("flash.activity"));
      }
      case "document": {
        const submission = parseWithZod(formData, { schema: documentSchema });
        if (submission.status !== "success") return invalid(form, submission.reply());
        await addDocument({ id, actor: user, document: submission.value });
        return redirectWithFlash(back, t("flash.document"));
      }
      case "message": {
        const submission = parseWithZod(formData, { schema: messageSchema });
        if (submission.status !== "success") return invalid(form, submission.reply());
        await postMessage({ id, actor: user, body: submission.value.body });
        return redirectWithFlash(`${back}#messages`, t("flash.message"));
      }
      case "outcome": {
        const submission = parseWithZod(formData, { schema: outcomeSchema });
        if (submission.status !== "success") return invalid(form, submission.reply());
        await fileOutcome({ id, actor: user, outcome: submission.value });
        return redirectWithFlash(back, t("flash.outcome"));
      }
      case "follow-up": {
        const submission = parseWithZod(formData, { schema: followUpAnswerSchema });
        if (submission.status !== "success") return invalid(form, submission.reply());
        const value = submission.value;
        await answerFollowUp({ id, followUpId: value.followUpId, actor: user, stillInUse: value.stillInUse, note: value.note });
        return redirectWithFlash(back, t("flash.followUp"));
      }
    }
  } catch (error) {
    return refusalResponse(error, form);
  }
}

function useFormAnswer(form: string) {
  const actionData = useActionData<typeof action>();
  return actionData && actionData.form === form ? actionData : undefined;
}

function Refusal({ form }: { form: string }) {
  const answer = useFormAnswer(form);
  if (!answer?.error) return null;
  return (
    <div role="alert" className="alert alert--danger" data-testid="refusal">
      <ErrorList errors={[answer.error]} />
    </div>
  );
}

function TransitionForms({ version, transitions }: { version: number; transitions: ReadonlyArray<"start" | "complete" | "cancel"> }) {
  const { t } = useTranslation("brokering");
  const navigation = useNavigation();
  const [startForm] = useForm({ id: "start-cooperation", lastResult: useFormAnswer("start")?.result });
  const [completeForm] = useForm({ id: "complete-cooperation", lastResult: useFormAnswer("complete")?.result });
  const [cancelForm, cancelFields] = useForm({
    id: "cancel-cooperation",
    lastResult: useFormAnswer("cancel")?.result,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: cooperationTransitionSchema }),
  });
  const busy = navigation.state === "submitting";
  return (
    <div className="stack">
      <Refusal form="start" />
      <Refusal form="complete" />
      <Refusal form="cancel" />
      <div className="cluster">
        {transitions.includes("start") ? (
          <ConformForm form={startForm} method="post">
            <input type="hidden" name="intent" value="start" />
            <input type="hidden" name="version" value={version} />
            <button type="submit" className="button button--primary" disabled={busy}>
              {t("cooperation.start")}
            </button>
          </ConformForm>
        ) : null}
        {transitions.includes("complete") ? (
          <ConformForm form={completeForm} method="post">
            <input type="hidden" name="intent" value="complete" />
            <input type="hidden" name="version" value={version} />
            <button type="submit" className="button button--primary" disabled={busy}>
              {t("cooperation.complete")}
            </button>
          </ConformForm>
        ) : null}
      </div>
      {transitions.includes("cancel") ? (
        <details>
          <summary>{t("cooperation.cancel")}</summary>
          <ConformForm form={cancelForm} method="post" className="form">
            <FormErrors form={cancelForm} />
            <input type="hidden" name="intent" value="cancel" />
            <input type="hidden" name="version" value={version} />
            <TextAreaField meta={cancelFields.cancelReason} label={t("cooperation.cancelReason")} maxLength={BROKERING_LIMITS.note} rows={2} />
            <button type="submit" className="button button--secondary" disabled={busy}>
              {t("cooperation.cancel")}
            </button>
          </ConformForm>
        </details>
      ) : null}
    </div>
  );
}

function ActivityForm({ modalities }: { modalities: ReadonlyArray<{ value: string; label: string }> }) {
  const { t } = useTranslation("brokering");
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "add-activity",
    lastResult: useFormAnswer("activity")?.result,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: activitySchema }),
  });
  return (
    <details className="card" open={Boolean(useFormAnswer("activity"))}>
      <summary>{t("cooperation.addActivity")}</summary>
      <Refusal form="activity" />
      <ConformForm form={form} method="post" className="form">
        <FormErrors form={form} />
        <input type="hidden" name="intent" value="activity" />
        <TextField meta={fields.title} label={t("cooperation.activityTitle")} />
        <SelectField meta={fields.modality} label={t("cooperation.modality")} options={modalities} placeholder="" />
        <TextField meta={fields.startsOn} label={t("cooperation.startsOn")} type="date" />
        <TextField meta={fields.endsOn} label={t("cooperation.endsOn")} type="date" />
        <TextField meta={fields.place} label={t("cooperation.place")} hint={t("cooperation.placeHint")} />
        <TextField meta={fields.link} label={t("cooperation.link")} type="url" />
        <TextField meta={fields.participants} label={t("cooperation.participants")} type="number" inputMode="numeric" />
        <button type="submit" className="button button--primary" disabled={navigation.state === "submitting"}>
          {t("cooperation.saveActivity")}
        </button>
      </ConformForm>
    </details>
  );
}

function DocumentForm() {
  const { t } = useTranslation("brokering");
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "add-document",
    lastResult: useFormAnswer("document")?.result,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: documentSchema }),
  });
  return (
    <details className="card" open={Boolean(useFormAnswer("document"))}>
      <summary>{t("cooperation.addDocument")}</summary>
      <Refusal form="document" />
      <ConformForm form={form} method="post" className="form">
        <FormErrors form={form} />
        <input type="hidden" name="intent" value="document" />
        <TextField meta={fields.title} label={t("cooperation.documentTitle")} />
        <TextField meta={fields.url} label={t("cooperation.documentUrl")} type="url" />
        <button type="submit" className="button button--secondary" disabled={navigation.state === "submitting"}>
          {t("cooperation.saveDocument")}
        </button>
      </ConformForm>
    </details>
  );
}

function MessageForm() {
  const { t } = useTranslation("brokering");
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "post-message",
    lastResult: useFormAnswer("message")?.result,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: messageSchema }),
  });
  return (
    <ConformForm form={form} method="post" className="form">
      <FormErrors form={form} />
      <Refusal form="message" />
      <input type="hidden" name="intent" value="message" />
      <TextAreaField meta={fields.body} label={t("cooperation.messageBody")} maxLength={BROKERING_LIMITS.message} rows={3} />
      <button type="submit" className="button button--secondary" disabled={navigation.state === "submitting"}>
        {t("cooperation.send")}
      </button>
    </ConformForm>
  );
}

function OutcomeForm({ adoptionOptions }: { adoptionOptions: ReadonlyArray<{ value: string; label: string }> }) {
  const { t } = useTranslation("brokering");
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "file-outcome",
    lastResult: useFormAnswer("outcome")?.result,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: outcomeSchema }),
  });
  return (
    <div className="card stack">
      <h3>{t("cooperation.fileOutcome")}</h3>
      <Refusal form="outcome" />
      <ConformForm form={form} method="post" className="form">
        <FormErrors form={form} />
        <input type="hidden" name="intent" value="outcome" />
        <TextAreaField meta={fields.transferred} label={t("cooperation.transferred")} maxLength={BROKERING_LIMITS.text} rows={4} />
        <TextField meta={fields.peopleTrained} label={t("cooperation.peopleTrained")} type="number" inputMode="numeric" />
        <TextField meta={fields.trainersCertified} label={t("cooperation.trainersCertified")} type="number" inputMode="numeric" />
        <TextField meta={fields.rating} label={t("cooperation.rating")} type="number" inputMode="numeric" />
        <SelectField meta={fields.adoption} label={t("cooperation.adoptionLabel")} options={adoptionOptions} placeholder="" />
        <button type="submit" className="button button--primary" disabled={navigation.state === "submitting"}>
          {t("cooperation.submitOutcome")}
        </button>
      </ConformForm>
    </div>
  );
}

function FollowUpForm({ followUpId }: { followUpId: string }) {
  const { t } = useTranslation("brokering");
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: `follow-up-${followUpId}`,
    lastResult: useFormAnswer("follow-up")?.result,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: followUpAnswerSchema }),
  });
  return (
    <ConformForm form={form} method="post" className="form">
      <FormErrors form={form} />
      <input type="hidden" name="intent" value="follow-up" />
      <input type="hidden" name="followUpId" value={followUpId} />
      <RadioGroupField
        meta={fields.stillInUse}
        label={t("cooperation.followUpAnswer")}
        options={[
          { value: "yes", label: t("cooperation.yes") },
          { value: "no", label: t("cooperation.no") },
        ]}
      />
      <TextAreaField meta={fields.note} label={t("cooperation.followUpNote")} maxLength={BROKERING_LIMITS.note} rows={2} />
      <button type="submit" className="button button--secondary" disabled={navigation.state === "submitting"}>
        {t("cooperation.answerFollowUp")}
      </button>
    </ConformForm>
  );
}

export default function CooperationPage() {
  const { flash, staff, canAct, canFileOutcome, transitions, acceptsActivities, modalities, adoptionOptions, cooperation, audit } =
    useLoaderData<typeof loader>();
  const { t } = useTranslation("brokering");
  const format = useCatalogueFormat();
  return (
    <div className="container stack">
      <FlashMessage flash={flash} />
      <header className="record-header">
        <p className="muted">{t("cooperation.title")}</p>
        <h1>
          {t("cooperation.heading", {
            offer: cooperation.offer.title,
            provider: `${cooperation.offer.organization.name} (${cooperation.offer.organization.countryName})`,
            requester: `${cooperation.request.organization.name} (${cooperation.request.organization.countryName})`,
          })}
        </h1>
        <p>
          {t("cooperation.status")}:{" "}
          <span className="badge badge--primary" data-testid="cooperation-status">
            {t(`cooperationStatus.${cooperation.status}`)}
          </span>
        </p>
        {cooperation.startedAt ? <p>{t("cooperation.started", { date: format.date(cooperation.startedAt) })}</p> : null}
        {cooperation.completedAt ? <p>{t("cooperation.completed", { date: format.date(cooperation.completedAt) })}</p> : null}
        {cooperation.cancelledAt ? (
          <p>{t("cooperation.cancelled", { date: format.date(cooperation.cancelledAt), reason: cooperation.cancelReason ?? "" })}</p>
        ) : null}
        <p>
          <Link to={`/requests/${cooperation.request.id}`}>{cooperation.request.title}</Link> ·{" "}
          <Link to={`/offers/${cooperation.offer.id}`}>{cooperation.offer.title}</Link> ·{" "}
          <Link to={staff ? `/staff/pairings/${cooperation.proposalId}` : `/pairings/${cooperation.proposalId}`}>{t("cooperation.pairing")}</Link>
        </p>
      </header>
      {canAct && transitions.length > 0 ? <TransitionForms version={cooperation.version} transitions={transitions} /> : null}

      <section aria-labelledby="activities-heading" className="stack">
        <h2 id="activities-heading">{t("cooperation.activities")}</h2>
        {cooperation.activities.length === 0 ? (
          <p className="empty-state">{t("cooperation.noActivities")}</p>
        ) : (
          <ul className="card-list" data-testid="activities">
            {cooperation.activities.map((activity) => (
              <li key={activity.id} className="card">
                <h3 className="card__title">{activity.title}</h3>
                <p>
                  {format.label("modality", activity.modality)} · {format.date(activity.startsOn)} – {format.date(activity.endsOn)} ·{" "}
                  {t("cooperation.participantsCount", { count: activity.participants })}
                </p>
                {activity.place ? <p>{activity.place}</p> : null}
                {activity.link ? (
                  <p>
                    <a href={activity.link} rel="noopener noreferrer">
                      {activity.link}
                    </a>
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        {canAct && acceptsActivities ? <ActivityForm modalities={modalities} /> : null}
      </section>

      <section aria-labelledby="documents-heading" className="stack">
        <h2 id="documents-heading">{t("cooperation.documents")}</h2>
        {cooperation.documents.length === 0 ? (
          <p className="empty-state">{t("cooperation.noDocuments")}</p>
        ) : (
          <ul className="link-list">
            {cooperation.documents.map((document) => (
              <li key={document.id}>
                <a href={document.url} rel="noopener noreferrer">
                  {document.title}
                </a>
              </li>
            ))}
          </ul>
        )}
        {canAct && cooperation.status !== "cancelled" ? <DocumentForm /> : null}
      </section>

      <section aria-labelledby="outcomes-heading" className="stack">
        <h2 id="outcomes-heading">{t("cooperation.outcomes")}</h2>
        <p className="muted">{t("cooperation.outcomesIntro")}</p>
        <div className="grid-2" data-testid="outcomes">
          {(["requester", "provider"] as const).map((side) => {
            const outcome = cooperation.outcomes.find((candidate) => candidate.side === side);
            return (
              <div key={side} className="card stack">
                <h3>{t(`side.${side}`)}</h3>
                {outcome ? (
                  <>
                    <p>{outcome.transferred}</p>
                    <p>
                      {t("cooperation.peopleTrained")}: {format.number(outcome.peopleTrained)} · {t("cooperation.trainersCertified")}:{" "}
                      {format.number(outcome.trainersCertified)}
                    </p>
                    <p>
                      {t("cooperation.ratingValue", { rating: outcome.rating })} · {t(`adoption.${outcome.adoption}`)}
                    </p>
                  </>
                ) : (
                  <p className="empty-state">{t("cooperation.noOutcome")}</p>
                )}
              </div>
            );
          })}
        </div>
        {canFileOutcome ? <OutcomeForm adoptionOptions={adoptionOptions} /> : null}
      </section>

      {cooperation.followUps.length > 0 ? (
        <section aria-labelledby="follow-up" className="stack">
          <h2 id="follow-up">{t("cooperation.followUps")}</h2>
          <p className="muted">{t("cooperation.followUpsIntro")}</p>
          <ul className="card-list">
            {cooperation.followUps.map((followUp) => (
              <li key={followUp.id} className="card stack">
                <p>{t("cooperation.followUp", { months: followUp.months, date: format.date(followUp.dueAt) })}</p>
                {followUp.answeredAt ? (
                  <p>
                    {followUp.stillInUse ? t("cooperation.stillInUse") : t("cooperation.notInUse")}
                    {followUp.note ? ` · ${followUp.note}` : ""}
                  </p>
                ) : followUp.answerable ? (
                  <FollowUpForm followUpId={followUp.id} />
                ) : null}
              </li>
            ))}
          </ul>
          <Refusal form="follow-up" />
        </section>
      ) : null}

      <section aria-labelledby="messages" className="stack">
        <h2 id="messages">{t("cooperation.messages")}</h2>
        {cooperation.messages.length === 0 ? (
          <p className="empty-state">{t("cooperation.noMessages")}</p>
        ) : (
          <ol className="stack" data-testid="messages">
            {cooperation.messages.map((message) => (
              <li key={message.id} className="card">
                <p className="muted">
                  {message.authorName ?? "—"} · {message.authorIsStaff ? t("cooperation.staffAuthor") : message.authorOrganization} ·{" "}
                  {format.date(message.createdAt)}
                </p>
                <p className="preformatted">{message.body}</p>
              </li>
            ))}
          </ol>
        )}
        {canAct ? <MessageForm /> : null}
      </section>

      {audit ? <AuditLog events={audit} headingId="cooperation-audit" /> : null}
    </div>
  );
}

import { useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getFlash, redirectWithFlash } from "~/auth/flash.server";
import { isStaff, loginRedirectUrl, requireStaff, requireUser } from "~/auth/guards.server";
import { getOptionalUser } from "~/auth/session.server";
import { FlashMessage } from "~/components/flash";
import { CheckboxGroupField, ConformForm, FormErrors, TextAreaField } from "~/components/forms";
import { MeetingTime, TimeZonePicker, useViewerTimeZone } from "~/components/meetings/time";
import { i18nServer } from "~/i18n/i18next.server";
import { messageLocale } from "~/mail/messages";
import {
  cancelMeetingRegistration,
  getMeeting,
  listDiscussableRecords,
  recordMeetingConclusions,
  registerForMeeting,
} from "~/models/meeting.server";
import { MEETING_LIMITS, meetingConclusionsSchema, meetingIdSchema, meetingRegistrationSchema } from "~/schemas/meeting";
import { isVocabularyCode, vocabularyLabel } from "~/schemas/vocabulary";
import { listTimeZones } from "~/utils/time-zone";
import { readTimeZoneChoice } from "~/utils/time-zone-cookie.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.meeting.title} · Enlace` : "Enlace" }];

function parseId(value: string | undefined): string {
  const parsed = meetingIdSchema.safeParse(value);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  return parsed.data;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const [user, rawLocale, chosenZone, { flash, headers }] = await Promise.all([
    getOptionalUser(request),
    i18nServer.getLocale(request),
    readTimeZoneChoice(request),
    getFlash(request),
  ]);
  const locale = messageLocale(rawLocale);
  const staff = isStaff(user);
  const meeting = await getMeeting({ id, viewerId: user?.id ?? null, includeRegistrants: staff, locale });
  if (!meeting) throw new Response("Not found", { status: 404 });
  const now = Date.now();
  const started = meeting.startsAt.getTime() <= now;
  const discussable = staff && started ? await listDiscussableRecords({ themes: meeting.themes, locale }) : null;
  return json(
    {
      locale,
      flash,
      chosenZone,
      zones: listTimeZones(),
      loginUrl: loginRedirectUrl(request),
      viewer: user ? { active: user.status === "active", staff } : null,
      started,
      meeting: {
        id: meeting.id,
        title: meeting.title,
        startsAt: meeting.startsAt.toISOString(),
        durationMinutes: meeting.durationMinutes,
        themes: meeting.themes.flatMap((theme) => (isVocabularyCode("theme", theme) ? [vocabularyLabel("theme", theme, locale)] : [])),
        agenda: meeting.agenda,
        // The link to join is for participants: registered members and staff.
        link: meeting.registered || staff ? meeting.link : null,
        conclusions: meeting.conclusions,
        registrationCount: meeting.registrationCount,
        registered: meeting.registered,
        offers: meeting.offers,
        requests: meeting.requests,
        registrants: meeting.registrants.map((registrant) => ({ ...registrant, registeredAt: registrant.registeredAt.toISOString() })),
      },
      discussable: discussable
        ? {
            offers: discussable.offers.map((record) => ({ value: record.id, label: record.label })),
            requests: discussable.requests.map((record) => ({ value: record.id, label: record.label })),
            selectedOffers: meeting.offers.map((offer) => offer.id),
            selectedRequests: meeting.requests.map((request) => request.id),
          }
        : null,
    },
    { headers },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = parseId(params.id);
  const formData = await request.formData();
  const t = await i18nServer.getFixedT(request, "meetings");
  const here = `/meetings/${id}`;

  if (formData.get("intent") === "conclusions") {
    await requireStaff(request);
    const submission = parseWithZod(formData, { schema: meetingConclusionsSchema });
    if (submission.status !== "success") return json({ result: submission.reply() }, { status: 400 });
    const outcome = await recordMeetingConclusions({ meetingId: id, ...submission.value, now: new Date() });
    if (outcome.ok) return redirectWithFlash(here, t("conclusions.saved"));
    if (outcome.reason === "not-found") throw new Response("Not found", { status: 404 });
    if (outcome.reason === "not-held-yet") {
      return json({ result: submission.reply({ formErrors: [t("conclusions.notHeldYet")] }) }, { status: 409 });
    }
    return json({ result: submission.reply({ fieldErrors: { [outcome.field]: ["meetings:validation.unknownRecord"] } }) }, { status: 400 });
  }

  const user = await requireUser(request);
  const parsed = meetingRegistrationSchema.safeParse({ intent: formData.get("intent") });
  if (!parsed.success) return json({ result: null, error: "intent: not a valid action" }, { status: 400 });
  if (user.status !== "active") {
    return json({ result: null, error: t("detail.onlyActiveMembers") }, { status: 403 });
  }
  if (parsed.data.intent === "unregister") {
    const { changed } = await cancelMeetingRegistration({ meetingId: id, userId: user.id });
    return redirectWithFlash(here, changed ? t("detail.unregistered") : { type: "info", text: t("detail.notRegistered") });
  }
  const outcome = await registerForMeeting({ meetingId: id, userId: user.id, now: new Date() });
  if (outcome.ok) return redirectWithFlash(here, outcome.changed ? t("detail.registeredFlash") : { type: "info", text: t("detail.alreadyRegistered") });
  if (outcome.reason === "not-found") throw new Response("Not found", { status: 404 });
  return json({ result: null, error: t("detail.closed") }, { status: 409 });
}

export default function MeetingPage() {
  const { locale, flash, chosenZone, zones, loginUrl, viewer, started, meeting, discussable } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("meetings");
  const zone = useViewerTimeZone(chosenZone);
  const actionError = actionData && "error" in actionData ? actionData.error : null;
  return (
    <article className="container stack">
      <FlashMessage flash={flash} />
      <p>
        <Link to="/meetings">← {t("detail.backToList")}</Link>
      </p>
      <header>
        <h1>{meeting.title}</h1>
        <p className="cluster">
          {meeting.themes.map((theme) => (
            <span key={theme} className="badge">
              {theme}
            </span>
          ))}
        </p>
      </header>
      {actionError ? (
        <div className="alert alert--danger" role="alert">
          {actionError}
        </div>
      ) : null}
      <dl className="meeting-facts">
        <dt>{t("detail.when")}</dt>
        <dd>
          <MeetingTime iso={meeting.startsAt} timeZone={zone} locale={locale} />
        </dd>
        <dt>{t("detail.duration")}</dt>
        <dd>{t("time.duration", { minutes: meeting.durationMinutes })}</dd>
        <dt>{t("detail.link")}</dt>
        <dd>
          {meeting.link ? (
            <a href={meeting.link} rel="noopener noreferrer" data-testid="meeting-link">
              {meeting.link}
            </a>
          ) : (
            <span className="muted">{t("detail.linkHidden")}</span>
          )}
        </dd>
      </dl>
      <TimeZonePicker zone={zone} chosen={chosenZone} zones={zones} />
      <p className="cluster">
        <a href={`/meetings/${meeting.id}/calendar.ics`} className="button button--ghost" download>
          {t("detail.calendar")}
        </a>
        <span className="muted" data-testid="registration-count">
          {t("detail.registrations", { count: meeting.registrationCount })}
        </span>
      </p>

      {started ? null : (
        <section className="card stack" aria-label={t("detail.register")}>
          {!viewer ? (
            <p>
              <Link to={loginUrl} className="button button--primary">
                {t("detail.logInToRegister")}
              </Link>
            </p>
          ) : !viewer.active ? (
            <p>{t("detail.onlyActiveMembers")}</p>
          ) : meeting.registered ? (
            <>
              <p className="alert alert--success" data-testid="registered-note">
                {t("detail.registered")}
              </p>
              <Form method="post">
                <button type="submit" name="intent" value="unregister" className="button button--ghost" disabled={navigation.state === "submitting"}>
                  {t("detail.unregister")}
                </button>
              </Form>
            </>
          ) : (
            <Form method="post">
              <button type="submit" name="intent" value="register" className="button button--primary" disabled={navigation.state === "submitting"}>
                {t("detail.register")}
              </button>
            </Form>
          )}
        </section>
      )}

      <section aria-labelledby="agenda-heading">
        <h2 id="agenda-heading">{t("detail.agenda")}</h2>
        <div className="preformatted">{meeting.agenda}</div>
      </section>

      <section aria-labelledby="conclusions-heading" className="stack">
        <h2 id="conclusions-heading">{t("detail.conclusions")}</h2>
        {meeting.conclusions ? (
          <div className="preformatted" data-testid="meeting-conclusions">
            {meeting.conclusions}
          </div>
        ) : (
          <p className="muted">{t("detail.noConclusions")}</p>
        )}
        {meeting.offers.length > 0 ? (
          <>
            <h3>{t("detail.discussedOffers")}</h3>
            <ul data-testid="discussed-offers">
              {meeting.offers.map((offer) => (
                <li key={offer.id}>
                  <Link to={`/offers/${offer.id}`} lang={offer.language === locale ? undefined : offer.language}>
                    {offer.title}
                  </Link>{" "}
                  <span className="muted">
                    — {offer.organization} ({offer.country})
                  </span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {meeting.requests.length > 0 ? (
          <>
            <h3>{t("detail.discussedRequests")}</h3>
            <ul data-testid="discussed-requests">
              {meeting.requests.map((request) => (
                <li key={request.id}>
                  <Link to={`/requests/${request.id}`} lang={request.language === locale ? undefined : request.language}>
                    {request.title}
                  </Link>{" "}
                  <span className="muted">
                    — {request.organization} ({request.country})
                  </span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      {viewer?.staff ? (
        <section aria-labelledby="registrants-heading">
          <h2 id="registrants-heading">{t("detail.registrants")}</h2>
          {meeting.registrants.length === 0 ? <p>{t("detail.noRegistrants")}</p> : null}
          <ul data-testid="registrants">
            {meeting.registrants.map((registrant) => (
              <li key={registrant.id}>
                {registrant.name} &lt;{registrant.email}&gt;{registrant.organization ? ` — ${registrant.organization}` : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {discussable ? (
        <ConclusionsForm
          conclusions={meeting.conclusions ?? ""}
          discussable={discussable}
          lastResult={actionData && "result" in actionData ? actionData.result : null}
        />
      ) : null}
    </article>
  );
}

type Choice = { value: string; label: string };

function ConclusionsForm({
  conclusions,
  discussable,
  lastResult,
}: {
  conclusions: string;
  discussable: { offers: Choice[]; requests: Choice[]; selectedOffers: string[]; selectedRequests: string[] };
  lastResult: SubmissionResult<string[]> | null | undefined;
}) {
  const { t } = useTranslation("meetings");
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "meeting-conclusions",
    lastResult,
    defaultValue: { conclusions, offerIds: discussable.selectedOffers, requestIds: discussable.selectedRequests },
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate({ formData }) {
      return parseWithZod(formData, { schema: meetingConclusionsSchema });
    },
  });
  return (
    <section aria-labelledby="record-conclusions" className="card">
      <h2 id="record-conclusions">{t("conclusions.heading")}</h2>
      <p className="muted">{t("conclusions.intro")}</p>
      <ConformForm form={form} method="post" className="form">
        <FormErrors form={form} />
        <input type="hidden" name="intent" value="conclusions" />
        <TextAreaField meta={fields.conclusions} label={t("conclusions.field")} rows={8} maxLength={MEETING_LIMITS.conclusions} />
        {discussable.offers.length > 0 ? (
          <CheckboxGroupField meta={fields.offerIds} label={t("conclusions.offers")} options={discussable.offers} />
        ) : (
          <p className="muted">
            {t("conclusions.offers")}: {t("conclusions.none")}
          </p>
        )}
        {discussable.requests.length > 0 ? (
          <CheckboxGroupField meta={fields.requestIds} label={t("conclusions.requests")} options={discussable.requests} />
        ) : (
          <p className="muted">
            {t("conclusions.requests")}: {t("conclusions.none")}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={navigation.state === "submitting"}>
            {t("conclusions.submit")}
          </button>
        </div>
      </ConformForm>
    </section>
  );
}

import { useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { redirectWithFlash } from "~/auth/flash.server";
import { requireStaff } from "~/auth/guards.server";
import { CheckboxGroupField, ConformForm, FormErrors, SelectField, TextAreaField, TextField } from "~/components/forms";
import { i18nServer } from "~/i18n/i18next.server";
import { messageLocale } from "~/mail/messages";
import { scheduleMeeting } from "~/models/meeting.server";
import { DEFAULT_MEETING_MINUTES, MEETING_LIMITS, scheduleMeetingSchema } from "~/schemas/meeting";
import { vocabularyOptions } from "~/schemas/vocabulary";
import { isTimeZone, listTimeZones, readableTimeZone } from "~/utils/time-zone";
import { readTimeZoneChoice } from "~/utils/time-zone-cookie.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · Enlace` : "Enlace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const [t, rawLocale, chosenZone] = await Promise.all([
    i18nServer.getFixedT(request, "meetings"),
    i18nServer.getLocale(request),
    readTimeZoneChoice(request),
  ]);
  const locale = messageLocale(rawLocale);
  return json({
    title: t("schedule.title"),
    chosenZone,
    zones: listTimeZones().map((zone) => ({ value: zone, label: readableTimeZone(zone) })),
    themes: vocabularyOptions("theme", locale),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request);
  const submission = parseWithZod(await request.formData(), { schema: scheduleMeetingSchema({ now: new Date() }) });
  if (submission.status !== "success") return json({ result: submission.reply() }, { status: 400 });
  const meeting = await scheduleMeeting({ actorId: staff.id, data: submission.value });
  const t = await i18nServer.getFixedT(request, "meetings");
  return redirectWithFlash(`/meetings/${meeting.id}`, t("schedule.scheduled"));
}

export default function ScheduleMeetingPage() {
  const { chosenZone, zones, themes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("meetings");
  const [form, fields] = useForm({
    id: "schedule-meeting",
    lastResult: actionData?.result,
    defaultValue: { timeZone: chosenZone ?? "UTC", durationMinutes: String(DEFAULT_MEETING_MINUTES) },
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate({ formData }) {
      return parseWithZod(formData, { schema: scheduleMeetingSchema({ now: new Date() }) });
    },
  });
  // Without a chosen zone the server could only offer UTC; the browser knows the staff member's own.
  const timeZoneField = fields.timeZone.name;
  const untouched = !actionData && !chosenZone;
  const deviceZoneApplied = useRef(false);
  useEffect(() => {
    if (!untouched || deviceZoneApplied.current) return;
    deviceZoneApplied.current = true;
    const device = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (device && isTimeZone(device)) form.update({ name: timeZoneField, value: device });
  }, [untouched, form, timeZoneField]);
  return (
    <div className="container stack">
      <p>
        <Link to="/meetings">← {t("detail.backToList")}</Link>
      </p>
      <h1>{t("schedule.title")}</h1>
      <p className="muted">{t("schedule.intro")}</p>
      <div className="card">
        <ConformForm form={form} method="post" className="form">
          <FormErrors form={form} />
          <TextField meta={fields.title} label={t("schedule.fields.title")} />
          <TextField type="datetime-local" meta={fields.startsAt} label={t("schedule.fields.startsAt")} hint={t("schedule.fields.startsAtHint")} />
          <SelectField meta={fields.timeZone} label={t("schedule.fields.timeZone")} options={zones} />
          <TextField meta={fields.durationMinutes} label={t("schedule.fields.durationMinutes")} type="number" inputMode="numeric" />
          <CheckboxGroupField meta={fields.themes} label={t("schedule.fields.themes")} options={themes} />
          <TextAreaField meta={fields.agenda} label={t("schedule.fields.agenda")} hint={t("schedule.fields.agendaHint")} maxLength={MEETING_LIMITS.agenda} />
          <TextField meta={fields.link} label={t("schedule.fields.link")} hint={t("schedule.fields.linkHint")} type="url" />
          <div className="form-actions">
            <button type="submit" className="button button--primary" disabled={navigation.state === "submitting"}>
              {t("schedule.submit")}
            </button>
          </div>
        </ConformForm>
      </div>
    </div>
  );
}

import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getFlash } from "~/auth/flash.server";
import { isStaff } from "~/auth/guards.server";
import { getOptionalUser } from "~/auth/session.server";
import { FlashMessage } from "~/components/flash";
import { MeetingTime, TimeZonePicker, useViewerTimeZone } from "~/components/meetings/time";
import { i18nServer } from "~/i18n/i18next.server";
import { messageLocale } from "~/mail/messages";
import { listMeetings, type MeetingSummary } from "~/models/meeting.server";
import { isVocabularyCode, vocabularyLabel } from "~/schemas/vocabulary";
import { listTimeZones } from "~/utils/time-zone";
import { readTimeZoneChoice } from "~/utils/time-zone-cookie.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.title} · Enlace` : "Enlace" },
  ...(data ? [{ name: "description", content: data.description }] : []),
];

export async function loader({ request }: LoaderFunctionArgs) {
  const [user, rawLocale, chosenZone, t, { flash, headers }] = await Promise.all([
    getOptionalUser(request),
    i18nServer.getLocale(request),
    readTimeZoneChoice(request),
    i18nServer.getFixedT(request, "meetings"),
    getFlash(request),
  ]);
  const locale = messageLocale(rawLocale);
  const { upcoming, past } = await listMeetings({ now: new Date(), viewerId: user?.id ?? null });
  const view = (meeting: MeetingSummary) => ({
    id: meeting.id,
    title: meeting.title,
    startsAt: meeting.startsAt.toISOString(),
    durationMinutes: meeting.durationMinutes,
    themes: meeting.themes.flatMap((theme) => (isVocabularyCode("theme", theme) ? [vocabularyLabel("theme", theme, locale)] : [])),
    registrationCount: meeting.registrationCount,
    registered: meeting.registered,
    concluded: meeting.concluded,
  });
  return json(
    {
      title: t("list.title"),
      description: t("list.intro"),
      locale,
      flash,
      chosenZone,
      zones: listTimeZones(),
      canSchedule: isStaff(user),
      upcoming: upcoming.map(view),
      past: past.map(view),
    },
    { headers },
  );
}

export default function MeetingsPage() {
  const { locale, flash, chosenZone, zones, canSchedule, upcoming, past } = useLoaderData<typeof loader>();
  const { t } = useTranslation("meetings");
  const zone = useViewerTimeZone(chosenZone);
  return (
    <div className="container stack">
      <FlashMessage flash={flash} />
      <header className="page-header">
        <div>
          <h1>{t("list.title")}</h1>
          <p className="muted">{t("list.intro")}</p>
        </div>
        {canSchedule ? (
          <Link to="/meetings/new" className="button button--primary">
            {t("list.schedule")}
          </Link>
        ) : null}
      </header>
      <TimeZonePicker zone={zone} chosen={chosenZone} zones={zones} />
      <section aria-labelledby="upcoming-heading" className="stack">
        <h2 id="upcoming-heading">{t("list.upcoming")}</h2>
        {upcoming.length === 0 ? <p>{t("list.noUpcoming")}</p> : null}
        <MeetingList meetings={upcoming} zone={zone} locale={locale} />
      </section>
      <section aria-labelledby="past-heading" className="stack">
        <h2 id="past-heading">{t("list.past")}</h2>
        {past.length === 0 ? <p>{t("list.noPast")}</p> : null}
        <MeetingList meetings={past} zone={zone} locale={locale} />
      </section>
    </div>
  );
}

type MeetingView = {
  id: string;
  title: string;
  startsAt: string;
  durationMinutes: number;
  themes: string[];
  registrationCount: number;
  registered: boolean;
  concluded: boolean;
};

function MeetingList({ meetings, zone, locale }: { meetings: MeetingView[]; zone: string; locale: "en" | "es" }) {
  const { t } = useTranslation("meetings");
  if (meetings.length === 0) return null;
  return (
    <ul className="card-list">
      {meetings.map((meeting) => (
        <li key={meeting.id} className="card" data-testid="meeting-card" aria-labelledby={`meeting-${meeting.id}`}>
          <h3 id={`meeting-${meeting.id}`} className="card__title">
            <Link to={`/meetings/${meeting.id}`}>{meeting.title}</Link>
          </h3>
          <p className="card__meta">
            <MeetingTime iso={meeting.startsAt} timeZone={zone} locale={locale} /> · {t("time.duration", { minutes: meeting.durationMinutes })}
          </p>
          <p className="cluster">
            {meeting.themes.map((theme) => (
              <span key={theme} className="badge">
                {theme}
              </span>
            ))}
          </p>
          <p className="cluster">
            <span className="muted">{t("list.registrations", { count: meeting.registrationCount })}</span>
            {meeting.registered ? <span className="badge badge--success">{t("list.youAreRegistered")}</span> : null}
            {meeting.concluded ? <span className="badge badge--primary">{t("list.concluded")}</span> : null}
          </p>
        </li>
      ))}
    </ul>
  );
}

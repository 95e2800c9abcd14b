import { Form, useLocation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { INTL_TAG, type UiLocale } from "~/i18n/config";
import { isTimeZone, readableTimeZone, zoneOffsetLabel } from "~/utils/time-zone";
import { dateTimeFormat } from "~/utils/intl";

/**
 * The time zone meeting times are shown in: the viewer's choice (cookie) when there is one;
 * otherwise UTC while rendered on the server, then the device's zone once the browser runs.
 */
export function useViewerTimeZone(chosen: string | null): string {
  const [zone, setZone] = useState(chosen ?? "UTC");
  useEffect(() => {
    if (chosen) {
      setZone(chosen);
      return;
    }
    const device = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (device && isTimeZone(device)) setZone(device);
  }, [chosen]);
  return zone;
}

export function formatInTimeZone(iso: string, timeZone: string, locale: UiLocale): string {
  const instant = new Date(iso);
  const formatted = dateTimeFormat(INTL_TAG[locale], { dateStyle: "full", timeStyle: "short", timeZone }).format(instant);
  return timeZone === "UTC" ? `${formatted} UTC` : `${formatted} (${readableTimeZone(timeZone)}, ${zoneOffsetLabel(instant, timeZone)})`;
}

export function MeetingTime({ iso, timeZone, locale }: { iso: string; timeZone: string; locale: UiLocale }) {
  return (
    <time dateTime={iso} data-time-zone={timeZone} data-testid="meeting-time">
      {formatInTimeZone(iso, timeZone, locale)}
    </time>
  );
}

/** Says which zone times are in and lets the viewer pick another; works without JavaScript. */
export function TimeZonePicker({ zone, chosen, zones }: { zone: string; chosen: string | null; zones: readonly string[] }) {
  const { t } = useTranslation("meetings");
  const location = useLocation();
  return (
    <Form method="post" action="/meetings/time-zone" className="time-zone-picker cluster">
      <p className="muted" data-testid="time-zone-note">
        {t("time.shownIn", { zone: readableTimeZone(zone) })}
      </p>
      <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
      <label htmlFor="time-zone-choice" className="visually-hidden">
        {t("time.zoneLabel")}
      </label>
      <select id="time-zone-choice" name="timeZone" defaultValue={chosen ?? ""}>
        <option value="">{t("time.deviceZone")}</option>
        {zones.map((candidate) => (
          <option key={candidate} value={candidate}>
            {readableTimeZone(candidate)}
          </option>
        ))}
      </select>
      <button type="submit" className="button button--ghost button--small">
        {t("time.choose")}
      </button>
    </Form>
  );
}

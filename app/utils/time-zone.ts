/**
 * IANA time zones with the platform's Intl only (browser and server alike): meetings are stored
 * as instants and shown on the wall clock of whoever reads them.
 */

export function isTimeZone(value: string): boolean {
  if (value.trim() === "") return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Every zone the platform knows, UTC first. */
export function listTimeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return ["UTC", ...zones.filter((zone) => zone !== "UTC")];
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** How far the zone's wall clock is ahead of UTC at that instant, in milliseconds. */
function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((candidate) => candidate.type === type)?.value);
  const wallClock = Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"), part("second"));
  return wallClock - (instant - (((instant % 1000) + 1000) % 1000));
}

/**
 * The instant at which clocks in `timeZone` show `local` ("2027-03-10T15:00", as an
 * <input type="datetime-local"> sends it); null when `local` is not such a date and time. A time
 * skipped by a daylight-saving change moves forward with the clocks (02:30 reads as 03:30), as
 * calendar programs do.
 */
export function zonedDateTimeToInstant(local: string, timeZone: string): Date | null {
  const match = LOCAL_DATE_TIME.exec(local);
  if (!match || !isTimeZone(timeZone)) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number);
  if (hour > 23 || minute > 59) return null;
  const asIfUtc = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(asIfUtc);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  // The offsets on both sides of a daylight-saving change give at most two candidates.
  const firstGuess = asIfUtc - zoneOffsetMs(asIfUtc, timeZone);
  const candidates = [asIfUtc - zoneOffsetMs(firstGuess, timeZone), firstGuess];
  const exact = candidates.filter((candidate) => instantToZonedDateTime(new Date(candidate), timeZone) === local);
  // A repeated hour (clocks set back) means its first occurrence; a skipped one, the time after the jump.
  return new Date(exact.length > 0 ? Math.min(...exact) : Math.max(...candidates));
}

/** "2027-03-10T15:00" for the instant as clocks in `timeZone` show it (datetime-local format). */
export function instantToZonedDateTime(instant: Date, timeZone: string): string {
  const shifted = new Date(instant.getTime() + zoneOffsetMs(instant.getTime(), timeZone));
  return shifted.toISOString().slice(0, 16);
}

/** "GMT-6" style offset of the zone at that instant ("UTC" for UTC). */
export function zoneOffsetLabel(instant: Date, timeZone: string): string {
  if (timeZone === "UTC") return "UTC";
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "shortOffset" }).formatToParts(instant);
  return parts.find((part) => part.type === "timeZoneName")?.value ?? timeZone;
}

/** A zone's name as people read it: "America/Mexico City". */
export function readableTimeZone(timeZone: string): string {
  return timeZone.replaceAll("_", " ");
}

/**
 * iCalendar (RFC 5545) files for calendar programs: TEXT values escaped (section 3.3.11), lines
 * ended by CRLF and folded at 75 octets without splitting a UTF-8 character (section 3.1).
 */

export type CalendarEvent = {
  /** Globally unique and stable across downloads, so re-importing updates the same event. */
  uid: string;
  start: Date;
  end: Date;
  /** When this version of the event was written. */
  stamp: Date;
  summary: string;
  description?: string;
  location?: string;
  url?: string;
  categories?: readonly string[];
};

const MAX_LINE_OCTETS = 75;

export function escapeText(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

/** A content line folded into lines of at most 75 octets, continuation lines starting with a space. */
export function foldLine(line: string): string {
  const lines: string[] = [];
  let current = "";
  let currentOctets = 0;
  for (const character of line) {
    const octets = Buffer.byteLength(character, "utf8");
    // continuation lines carry the leading space within their 75 octets
    const limit = lines.length === 0 ? MAX_LINE_OCTETS : MAX_LINE_OCTETS - 1;
    if (currentOctets + octets > limit) {
      lines.push(current);
      current = "";
      currentOctets = 0;
    }
    current += character;
    currentOctets += octets;
  }
  lines.push(current);
  return lines.join("\r\n ");
}

/** 20270310T150000Z */
export function formatUtc(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

export function icalendar({ productId, events }: { productId: string; events: readonly CalendarEvent[] }): string {
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", `PRODID:${escapeText(productId)}`, "CALSCALE:GREGORIAN", "METHOD:PUBLISH"];
  for (const event of events) {
    lines.push(
      "BEGIN:VEVENT",
      `UID:${escapeText(event.uid)}`,
      `DTSTAMP:${formatUtc(event.stamp)}`,
      `DTSTART:${formatUtc(event.start)}`,
      `DTEND:${formatUtc(event.end)}`,
      `SUMMARY:${escapeText(event.summary)}`,
    );
    if (event.description) lines.push(`DESCRIPTION:${escapeText(event.description)}`);
    if (event.location) lines.push(`LOCATION:${escapeText(event.location)}`);
    // URL is a URI value, not TEXT: it is written as it is.
    if (event.url) lines.push(`URL:${event.url}`);
    if (event.categories && event.categories.length > 0) lines.push(`CATEGORIES:${event.categories.map(escapeText).join(",")}`);
    lines.push("END:VEVENT");
  }
  lines.push("END:VCALENDAR");
  return `${lines.map(foldLine).join("\r\n")}\r\n`;
}

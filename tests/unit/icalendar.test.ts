import fc from "fast-check";
import { expect, test } from "vitest";
import { escapeText, foldLine, icalendar } from "~/utils/icalendar";
import { instantToZonedDateTime, zonedDateTimeToInstant } from "~/utils/time-zone";

test("TEXT values escape backslashes, semicolons, commas and line breaks", () => {
  expect(escapeText("a\\b;c,d\r\ne\nf")).toBe("a\\\\b\\;c\\,d\\ne\\nf");
});

test("folding keeps every line within 75 octets, never splits a character, and unfolds to the original", () => {
  fc.assert(
    fc.property(fc.string({ unit: "grapheme", maxLength: 400 }), (value) => {
      const line = `DESCRIPTION:${value}`;
      const folded = foldLine(line);
      const lines = folded.split("\r\n");
      expect(lines.every((part) => Buffer.byteLength(part, "utf8") <= 75)).toBe(true);
      expect(lines.slice(1).every((part) => part.startsWith(" "))).toBe(true);
      expect(folded.replace(/\r\n /g, "")).toBe(line);
    }),
  );
});

test("a calendar ends every line with CRLF", () => {
  const body = icalendar({
    productId: "-//OAS//Enlace//EN",
    events: [{ uid: "u@enlace", start: new Date("2031-01-01T10:00:00Z"), end: new Date("2031-01-01T11:00:00Z"), stamp: new Date("2030-12-01T00:00:00Z"), summary: "S" }],
  });
  expect(body.split("\r\n").slice(0, 3)).toEqual(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//OAS//Enlace//EN"]);
  expect(body.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
});

test("wall-clock times convert to instants and back in zones with and without daylight saving", () => {
  expect(zonedDateTimeToInstant("2031-03-10T09:00", "America/Mexico_City")?.toISOString()).toBe("2031-03-10T15:00:00.000Z");
  expect(zonedDateTimeToInstant("2031-03-10T09:00", "Asia/Tokyo")?.toISOString()).toBe("2031-03-10T00:00:00.000Z");
  expect(zonedDateTimeToInstant("2031-07-01T12:00", "Europe/Madrid")?.toISOString()).toBe("2031-07-01T10:00:00.000Z");
  expect(zonedDateTimeToInstant("2031-12-01T12:00", "Europe/Madrid")?.toISOString()).toBe("2031-12-01T11:00:00.000Z");
  // 02:30 does not exist in New York on 9 March 2031: it moves forward with the clocks to 03:30 EDT
  expect(zonedDateTimeToInstant("2031-03-09T02:30", "America/New_York")?.toISOString()).toBe("2031-03-09T07:30:00.000Z");
  // 01:30 happens twice in New York on 2 November 2031: the first one, still EDT
  expect(zonedDateTimeToInstant("2031-11-02T01:30", "America/New_York")?.toISOString()).toBe("2031-11-02T05:30:00.000Z");
  expect(zonedDateTimeToInstant("2031-02-29T10:00", "UTC")).toBeNull();
  expect(zonedDateTimeToInstant("2031-01-01T10:00", "Mars/Olympus")).toBeNull();
  expect(instantToZonedDateTime(new Date("2031-03-10T15:00:00Z"), "America/Mexico_City")).toBe("2031-03-10T09:00");
});

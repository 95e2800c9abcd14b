import type { LoaderFunctionArgs } from "@remix-run/node";
import { isStaff } from "~/auth/guards.server";
import { getOptionalUser } from "~/auth/session.server";
import { absoluteUrl } from "~/mail/urls.server";
import { getMeeting } from "~/models/meeting.server";
import { meetingIdSchema } from "~/schemas/meeting";
import { isVocabularyCode, vocabularyLabel } from "~/schemas/vocabulary";
import { icalendar } from "~/utils/icalendar";

// The meeting as an iCalendar file (RFC 5545). The link to join is in it for participants only,
// as on the page.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = meetingIdSchema.safeParse(params.id);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const user = await getOptionalUser(request);
  const meeting = await getMeeting({ id: id.data, viewerId: user?.id ?? null, includeRegistrants: false, locale: "en" });
  if (!meeting) throw new Response("Not found", { status: 404 });
  const participant = meeting.registered || isStaff(user);
  const pageUrl = absoluteUrl(`/meetings/${meeting.id}`);
  const description = [meeting.agenda, participant ? meeting.link : null, pageUrl].filter(Boolean).join("\n\n");
  const body = icalendar({
    productId: "-//OAS//Enlace//EN",
    events: [
      {
        uid: `meeting-${meeting.id}@enlace`,
        start: meeting.startsAt,
        end: new Date(meeting.startsAt.getTime() + meeting.durationMinutes * 60_000),
        stamp: meeting.updatedAt,
        summary: meeting.title,
        description,
        location: participant ? meeting.link : pageUrl,
        url: pageUrl,
        categories: meeting.themes.flatMap((theme) => (isVocabularyCode("theme", theme) ? [vocabularyLabel("theme", theme, "en")] : [])),
      },
    ],
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `attachment; filename="enlace-meeting-${meeting.startsAt.toISOString().slice(0, 10)}.ics"`,
      // Participants' files carry the link to join.
      "Cache-Control": "private, no-store",
    },
  });
}

import type { TextSegment } from "~search/highlight";

/** Text with the matched words in <mark>; every segment is a text node, so nothing is parsed as HTML. */
export function HighlightedText({ segments }: { segments: readonly TextSegment[] }) {
  return (
    <>
      {segments.map((segment, position) =>
        segment.match ? <mark key={position}>{segment.text}</mark> : <span key={position}>{segment.text}</span>,
      )}
    </>
  );
}

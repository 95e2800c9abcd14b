/**
 * Highlighted text as plain segments. Meilisearch wraps matches in private-use markers (never in
 * HTML tags), which are split off here; the page renders each segment as a text node, inside
 * <mark> when it matched, so nothing from a document is ever interpreted as HTML.
 */
import { HIGHLIGHT_END, HIGHLIGHT_START } from "./documents";

export type TextSegment = { text: string; match: boolean };

export function toSegments(formatted: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let match = false;
  let text = "";
  for (const character of formatted) {
    if (character === HIGHLIGHT_START || character === HIGHLIGHT_END) {
      if (text) segments.push({ text, match });
      text = "";
      match = character === HIGHLIGHT_START;
      continue;
    }
    text += character;
  }
  if (text) segments.push({ text, match });
  return segments;
}

export function plainSegments(text: string): TextSegment[] {
  return text ? [{ text, match: false }] : [];
}

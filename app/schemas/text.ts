// PostgreSQL text cannot hold U+0000: a value carrying it would fail in the database (a 500)
// instead of in validation, so every free-text field refuses it with this check.
export function isStorableText(value: string): boolean {
  return !value.includes("\0");
}

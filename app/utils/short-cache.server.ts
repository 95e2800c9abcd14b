/**
 * Catalogue-wide figures that every visitor's page repeats (counts per theme, the countries with
 * offers) are computed at most once per `ttlMs` per process, and concurrent requests share the
 * one query in flight. They may lag a write by that long: acceptable for public counters and
 * filter options, never used for anything a user acts on or is authorized by.
 */
type Entry = { value: Promise<unknown>; expiresAt: number };

const entries = new Map<string, Entry>();

export const CATALOGUE_FIGURES_TTL_MS = 10_000;

export function cachedFor<T>(key: string, ttlMs: number, compute: () => Promise<T>): Promise<T> {
  const now = Date.now();
  const entry = entries.get(key);
  if (entry && entry.expiresAt > now) return entry.value as Promise<T>;
  const value = compute();
  entries.set(key, { value, expiresAt: now + ttlMs });
  // A failure is not remembered: the next request tries again.
  value.catch(() => {
    if (entries.get(key)?.value === value) entries.delete(key);
  });
  return value;
}

/** Forgets every cached figure (tests that write and then read the same page at once). */
export function clearShortCache(): void {
  entries.clear();
}

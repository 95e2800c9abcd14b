/**
 * Work that runs beside the web server in the same process: the job queue worker (search sync,
 * matching, mail). Returns the function that stops it. Filled in as those capabilities land.
 */
export async function startBackgroundWork(): Promise<() => Promise<void>> {
  return async () => {};
}

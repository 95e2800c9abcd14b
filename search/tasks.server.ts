import type { EnqueuedTask, EnqueuedTaskPromise, Meilisearch, Task } from "meilisearch";

export class SearchTaskFailedError extends Error {
  constructor(
    readonly task: Task,
    message: string,
  ) {
    super(message);
    this.name = "SearchTaskFailedError";
  }
}

/**
 * Waits until Meilisearch has processed the task and throws unless it succeeded: an enqueued task
 * is only a promise, and a job that stopped there could be marked done while the engine rejects it.
 */
export async function waitForSucceededTask(
  client: Meilisearch,
  enqueued: EnqueuedTask | EnqueuedTaskPromise,
  options: { timeoutMs?: number; allowIndexExists?: boolean } = {},
): Promise<Task> {
  const { taskUid } = await enqueued;
  const task = await client.tasks.waitForTask(taskUid, { timeout: options.timeoutMs ?? 60_000, interval: 25 });
  if (task.status === "succeeded") return task;
  if (options.allowIndexExists && task.error?.code === "index_already_exists") return task;
  const reason = task.error ? `${task.error.code}: ${task.error.message}` : `status ${task.status}`;
  throw new SearchTaskFailedError(task, `Meilisearch task ${task.uid} (${task.type} on ${task.indexUid ?? "-"}) ${reason}`);
}

/**
 * Recovering the jobs of a worker that died without shutting down (SIGKILL, out of memory, a
 * lost machine). graphile-worker 0.16 leaves such a job locked by the dead worker's id for its
 * 4-hour lock timeout: a search change or a mail would wait that long. Each live worker holds a
 * session advisory lock named after its worker id on a connection of its own; a lock nobody
 * holds means its worker is gone, and the sweep (at start and then periodically, on every
 * instance) hands that worker's jobs back with `forceUnlockWorkers`.
 *
 * A job handed back while its worker was in fact still running (its liveness connection broke,
 * e.g. during a PostgreSQL restart) runs twice: harmless, because every task is idempotent (search
 * sync reads the current rows; a mail is sent under its outbox row's lock, once).
 */
import { EventEmitter } from "node:events";
import type { WorkerEvents, WorkerUtils } from "graphile-worker";
import pg from "pg";

// First half of the two-key advisory lock: "ENLW" keeps our keys apart from other lock users.
const LOCK_NAMESPACE = 0x454e4c57;
const RECONNECT_DELAY_MS = 1_000;

export type WorkerLiveness = {
  /** Passed to graphile-worker's `run({ events })`, so the workers' ids are known as they start. */
  events: WorkerEvents;
  stop(): Promise<void>;
};

export function startWorkerLiveness({
  connectionString,
  workerUtils,
  sweepIntervalMs,
}: {
  connectionString: string;
  workerUtils: WorkerUtils;
  sweepIntervalMs: number;
}): WorkerLiveness {
  const events: WorkerEvents = new EventEmitter();
  const ownIds = new Set<string>();
  // The ids whose lock the current connection holds; emptied when the connection is lost.
  const lockedIds = new Set<string>();
  let client: pg.Client | undefined;
  let stopped = false;
  let chain: Promise<unknown> = Promise.resolve();

  async function connect(): Promise<pg.Client | undefined> {
    if (client) return client;
    const next = new pg.Client({ connectionString, application_name: "enlace-worker-liveness" });
    const forget = () => {
      // The server restarted or the network broke: the locks went with the session.
      if (client !== next) return;
      client = undefined;
      lockedIds.clear();
    };
    next.on("error", forget);
    next.on("end", forget);
    try {
      await next.connect();
    } catch {
      await next.end().catch(() => {});
      return undefined;
    }
    client = next;
    return next;
  }

  // Serialized, so a lock and an unlock of one id never cross.
  function syncLocks(): Promise<pg.Client | undefined> {
    const run = chain.then(async () => {
      const connected = await connect();
      if (!connected) return undefined;
      for (const id of ownIds) {
        if (lockedIds.has(id)) continue;
        await connected.query("select pg_advisory_lock($1, hashtext($2))", [LOCK_NAMESPACE, id]);
        lockedIds.add(id);
      }
      for (const id of [...lockedIds]) {
        if (ownIds.has(id)) continue;
        await connected.query("select pg_advisory_unlock($1, hashtext($2))", [LOCK_NAMESPACE, id]);
        lockedIds.delete(id);
      }
      return connected;
    });
    chain = run.catch(() => undefined);
    return run;
  }

  events.on("worker:create", ({ worker }) => {
    ownIds.add(worker.workerId);
    void syncLocks().catch(() => {});
  });
  events.on("worker:stop", ({ worker }) => {
    // A worker that stopped on its own (a fatal error) leaves its job locked too: the sweep frees it.
    ownIds.delete(worker.workerId);
    void syncLocks().catch(() => {});
  });

  async function sweep(): Promise<void> {
    const connected = await syncLocks();
    // Without our own locks held, our own workers could look dead to another instance's sweep;
    // checking others needs none, but a worker-less process has nothing to sweep for.
    if (!connected || ownIds.size === 0) return;
    const { rows } = await connected.query<{ locked_by: string }>(
      `select locked_by from graphile_worker._private_jobs where locked_by is not null
       union select locked_by from graphile_worker._private_job_queues where locked_by is not null`,
    );
    const dead: string[] = [];
    for (const { locked_by: id } of rows) {
      if (ownIds.has(id)) continue;
      const probe = await connected.query<{ free: boolean }>("select pg_try_advisory_lock($1, hashtext($2)) as free", [LOCK_NAMESPACE, id]);
      if (!probe.rows[0]?.free) continue;
      dead.push(id);
      await connected.query("select pg_advisory_unlock($1, hashtext($2))", [LOCK_NAMESPACE, id]);
    }
    if (dead.length === 0) return;
    await workerUtils.forceUnlockWorkers(dead);
    console.warn(`[jobs] unlocked the jobs of ${dead.length} worker(s) that stopped without shutting down: ${dead.join(", ")}`);
  }

  let running: Promise<void> | undefined;
  const tick = () => {
    if (running || stopped) return;
    running = sweep()
      .catch((error: unknown) => console.warn(`[jobs] worker liveness sweep failed: ${String(error)}`))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, Math.max(sweepIntervalMs, RECONNECT_DELAY_MS / 4));
  timer.unref();
  // The first sweep after our workers have taken their locks.
  setTimeout(tick, 250).unref();

  return {
    events,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await client?.end().catch(() => {});
      client = undefined;
    },
  };
}

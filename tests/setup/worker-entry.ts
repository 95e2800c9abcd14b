/**
 * A job-queue worker in a process of its own, for tests that kill it (SIGKILL) mid-job. It reads
 * DATABASE_URL, MEILI_* and SMTP_URL from its environment like the server, prints "worker ready"
 * once it is taking jobs, and stops gracefully on SIGTERM.
 */
import { startWorker } from "~/jobs/queue.server";

const connectionString = process.env.DATABASE_URL;
if (!connectionString) throw new Error("DATABASE_URL is not set");
const stop = await startWorker({ connectionString, concurrency: 2, pollIntervalMs: 200, recoveryIntervalMs: 250, livenessSweepIntervalMs: 500 });
console.log("worker ready");
process.once("SIGTERM", () => {
  void stop().then(() => process.exit(0));
});

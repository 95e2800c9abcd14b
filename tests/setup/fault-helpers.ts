/**
 * Pieces of the fault tests (tests/integration/faults.test.ts): a worker in a child process that
 * can be SIGKILLed, the pid of a Meilisearch started by startMeilisearch (to SIGKILL it), and an
 * SMTP server that takes responsibility for a message only when it answers 250, as RFC 5321 says,
 * so a client that dies before that reply has delivered nothing.
 */
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { promisify } from "node:util";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { repositoryRoot } from "./services";

export type WorkerProcess = { pid: number; output: string[]; exited: Promise<void>; kill(signal: NodeJS.Signals): void; stop(): Promise<void> };

export async function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  const output: string[] = [];
  const child = spawn(process.execPath, ["--import", "tsx", "tests/setup/worker-entry.ts"], {
    cwd: repositoryRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid === undefined) throw new Error("could not start the worker process");
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (line.trim() === "") continue;
        output.push(line);
        if (line.includes("worker ready")) resolve();
      }
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    void exited.then(() => reject(new Error(`the worker process exited while starting:\n${output.join("\n")}`)));
  });
  const timeout = setTimeout(() => child.kill("SIGKILL"), 60_000);
  await ready.finally(() => clearTimeout(timeout));
  return {
    pid: child.pid,
    output,
    exited,
    kill: (signal) => child.kill(signal),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The pid of the Meilisearch that startMeilisearch runs from `dataDir` (its binary is copied there). */
export async function meilisearchPid(dataDir: string): Promise<number> {
  const { stdout } = await promisify(execFile)("pgrep", ["-f", "--", `^${dataDir}/meilisearch `]);
  const pids = stdout.trim().split("\n").filter(Boolean).map(Number);
  if (pids.length !== 1) throw new Error(`expected one Meilisearch process for ${dataDir}, found ${pids.length}`);
  return pids[0];
}

export type AcceptingSmtpServer = {
  url: string;
  /** Message-IDs of the messages accepted (answered 250), in order, repeats included. */
  accepted: string[];
  /** Runs once, when the next message's data has arrived and before it is answered. */
  beforeNextReply(hook: () => Promise<void> | void): void;
  stop(): Promise<void>;
};

export async function startAcceptingSmtpServer({ replyDelayMs }: { replyDelayMs: number }): Promise<AcceptingSmtpServer> {
  const accepted: string[] = [];
  const closedSessions = new Set<string>();
  let hook: (() => Promise<void> | void) | undefined;
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS", "AUTH"],
    authOptional: true,
    logger: false,
    onClose(session) {
      closedSessions.add(session.id);
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        async (mail) => {
          const current = hook;
          hook = undefined;
          await current?.();
          await new Promise((resolve) => setTimeout(resolve, replyDelayMs));
          // The client hung up before our 250: the message was never ours to deliver.
          if (closedSessions.has(session.id)) return callback(new Error("connection closed"));
          accepted.push(mail.messageId ?? "(no Message-ID)");
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  // smtp-server reports a client's broken connection (a worker SIGKILLed mid-message, say) as an
  // "error" event on the server: without a listener that is an uncaught exception in the tests.
  server.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "ECONNRESET" && error.code !== "EPIPE") console.warn(`[smtp test server] ${error.message}`);
  });
  server.listen(0, "127.0.0.1");
  await once(server.server, "listening");
  const address = server.server.address();
  if (address === null || typeof address === "string") throw new Error("the SMTP server has no TCP address");
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    accepted,
    beforeNextReply(next) {
      hook = next;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

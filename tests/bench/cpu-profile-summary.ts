/**
 * Summarizes V8 CPU profiles (`--cpu-prof`): where the app spends its time, by function and by
 * package, self time and total (inclusive) time.
 *   tsx tests/bench/cpu-profile-summary.ts <folder or file> [--last <seconds>]
 * `--last 25` counts only the profile's last 25 seconds (e.g. the load phase of bench:load,
 * without the start-up and the job catch-up before it).
 */
import fs from "node:fs";
import path from "node:path";

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

const target = process.argv[2];
if (!target) throw new Error("usage: tsx tests/bench/cpu-profile-summary.ts <folder or .cpuprofile file> [--last <seconds>]");
const lastIndex = process.argv.indexOf("--last");
const lastSeconds = lastIndex > 0 ? Number(process.argv[lastIndex + 1]) : Number.POSITIVE_INFINITY;
if (!(lastSeconds > 0)) throw new Error("--last takes a number of seconds");
const files = fs.statSync(target).isDirectory() ? fs.readdirSync(target).filter((name) => name.endsWith(".cpuprofile")).map((name) => path.join(target, name)) : [target];

function area(url: string): string {
  if (url === "") return "(native / gc / idle)";
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const rest = url.slice(modules + "node_modules/".length).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith("node:")) return url;
  return url.replace(/^file:\/\//, "").replace(process.cwd() + "/", "");
}

for (const file of files) {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfMs = new Map<number, number>();
  const windowStart = profile.endTime - lastSeconds * 1_000_000;
  let sampledAt = profile.startTime;
  profile.samples.forEach((id, index) => {
    sampledAt += profile.timeDeltas[index] ?? 0;
    if (sampledAt >= windowStart) selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
  });
  const totalMs = (profile.endTime - Math.max(profile.startTime, windowStart)) / 1000;

  const selfByFunction = new Map<string, number>();
  const selfByArea = new Map<string, number>();
  const inclusiveByFunction = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const node = byId.get(id);
    if (!node) continue;
    const name = `${node.callFrame.functionName || "(anonymous)"} ${area(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
    selfByFunction.set(name, (selfByFunction.get(name) ?? 0) + ms);
    selfByArea.set(area(node.callFrame.url), (selfByArea.get(area(node.callFrame.url)) ?? 0) + ms);
    // Inclusive time: each ancestor frame once per sample stack.
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const frame = byId.get(current);
      if (!frame) break;
      const frameName = `${frame.callFrame.functionName || "(anonymous)"} ${area(frame.callFrame.url)}:${frame.callFrame.lineNumber + 1}`;
      if (seen.has(frameName)) continue;
      seen.add(frameName);
      inclusiveByFunction.set(frameName, (inclusiveByFunction.get(frameName) ?? 0) + ms);
    }
  }
  const top = (map: Map<string, number>, count: number) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, count).map(([name, ms]) => `  ${ms.toFixed(0).padStart(8)} ms  ${(100 * ms / totalMs).toFixed(1).padStart(5)}%  ${name}`).join("\n");
  console.log(`\n${file}: ${totalMs.toFixed(0)} ms profiled`);
  console.log(`self time by package or file:\n${top(selfByArea, 25)}`);
  console.log(`self time by function:\n${top(selfByFunction, 30)}`);
  console.log(`inclusive time by function:\n${top(inclusiveByFunction, 60)}`);
}

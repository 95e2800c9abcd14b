import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";

// Playwright cannot download its own browsers on this network; Debian's chromium works with it.
const SYSTEM_CHROMIUM_PATHS = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

/** CHROMIUM_PATH, then the system Chromium, then a browser installed by `npx playwright install`. */
export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH?.trim();
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, which does not exist.`);
    return fromEnv;
  }
  const system = SYSTEM_CHROMIUM_PATHS.find((candidate) => existsSync(candidate));
  if (system) return system;
  const playwrights = chromium.executablePath();
  return existsSync(playwrights) ? playwrights : undefined;
}

/** Like findChromium, but installs Debian's chromium when we are root on a machine with apt-get. */
export function ensureChromium(): string {
  const found = findChromium();
  if (found) return found;
  if (process.getuid?.() === 0 && existsSync("/usr/bin/apt-get")) {
    console.log("[e2e] no Chromium found; installing Debian's chromium package with apt-get");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    execFileSync("apt-get", ["update"], { stdio: "inherit", env });
    execFileSync("apt-get", ["install", "-y", "chromium"], { stdio: "inherit", env });
    const installed = findChromium();
    if (installed) return installed;
  }
  throw new Error(
    [
      "The end-to-end tests need Chromium and none was found. Any of these works:",
      "  - Debian/Ubuntu: sudo apt-get install chromium",
      "  - a machine with internet access: npx playwright install chromium",
      "  - an existing Chromium or Chrome: set CHROMIUM_PATH=/path/to/chrome",
    ].join("\n"),
  );
}

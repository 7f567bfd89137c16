/** Chromium through playwright-core (the system browser: never `playwright install`). */
import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";

const CANDIDATES = [Deno.env.get("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/chromium-browser"];

export function chromiumPath(): string | undefined {
  return CANDIDATES.find((path): path is string => !!path && existsSync(path));
}

export async function launchBrowser(): Promise<Browser> {
  return await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

export const ARTIFACTS = new URL("../.artifacts/", import.meta.url).pathname;

/** Saves a full-page screenshot under tests/.artifacts/ (git-ignored) for people to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await Deno.mkdir(ARTIFACTS, { recursive: true });
  const path = `${ARTIFACTS}${name}.png`;
  // A sticky header would otherwise be painted where the page was last scrolled to.
  await page.evaluate(() => globalThis.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true });
  return path;
}

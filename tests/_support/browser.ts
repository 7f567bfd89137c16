/** Chromium through playwright-core (the system browser: never `playwright install`). */
import { existsSync } from "node:fs";
import { assert } from "@std/assert";
import { type Browser, chromium, type Page } from "playwright-core";
import type { Stack } from "../../local/stack.ts";
import { startAuthStack } from "../integration/auth_http_client.ts";

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

/** A new browser context in `locale` (and `width` px wide, when given), signed in through the sign-in form, landed on `next`. */
export async function signedInPage(
  browser: Browser,
  stack: Stack,
  locale: "fa" | "en",
  account: { email: string; password: string },
  next: string,
  width?: number,
): Promise<Page> {
  const context = await browser.newContext({
    locale: locale === "fa" ? "fa-IR" : "en-US",
    extraHTTPHeaders: { "accept-language": locale },
    ...(width ? { viewport: { width, height: 900 } } : {}),
  });
  const page = await context.newPage();
  await page.goto(`${stack.appUrl}/signin?next=${encodeURIComponent(next)}`);
  await page.fill("#field-email", account.email);
  await page.fill("#field-password", account.password);
  await page.click("form[action='/signin'] button[type=submit]");
  await page.waitForURL((url) => url.pathname === next);
  return page;
}

/** Runs `fn` with a fresh stack and Chromium, both stopped afterwards whatever happens. */
export async function withBrowser(fn: (stack: Stack, browser: Browser) => Promise<void>) {
  const stack = await startAuthStack();
  const browser = await launchBrowser();
  try {
    await fn(stack, browser);
  } finally {
    await browser.close();
    await stack.stop();
  }
}

/** A new page in its own context, in `locale` (and `width` px wide, when given), optionally without JavaScript. */
export async function newPage(
  browser: Browser,
  locale: "fa" | "en",
  options: { javaScriptEnabled?: boolean; width?: number } = {},
): Promise<Page> {
  const context = await browser.newContext({
    locale: locale === "fa" ? "fa-IR" : "en-US",
    extraHTTPHeaders: { "accept-language": locale },
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    ...(options.width ? { viewport: { width: options.width, height: 900 } } : {}),
  });
  return await context.newPage();
}

/** No horizontal scrolling: the page fits its viewport. */
export async function assertFitsWidth(p: Page) {
  const [scroll, client] = await p.evaluate(() => [
    document.documentElement.scrollWidth,
    document.documentElement.clientWidth,
  ]);
  assert(scroll <= client, `page is ${scroll}px wide in a ${client}px viewport`);
}

import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { sql } from "kysely";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, screenshot } from "../_support/browser.ts";
import { db } from "../_support/db.ts";
import type { Stack } from "../../local/stack.ts";
import { createAccount, mailedLink, startAuthStack } from "../integration/auth_http_client.ts";

async function withBrowser(fn: (stack: Stack, browser: Browser) => Promise<void>) {
  const stack = await startAuthStack();
  const browser = await launchBrowser();
  try {
    await fn(stack, browser);
  } finally {
    await browser.close();
    await stack.stop();
  }
}

async function newPage(browser: Browser, locale: "fa" | "en", options: { javaScriptEnabled?: boolean } = {}) {
  const context = await browser.newContext({
    locale: locale === "fa" ? "fa-IR" : "en-US",
    extraHTTPHeaders: { "accept-language": locale },
    ...options,
  });
  return await context.newPage();
}

async function signInThroughForm(
  page: Page,
  stack: Stack,
  account: { email: string; password: string },
  next = "",
) {
  await page.goto(`${stack.appUrl}/signin${next ? `?next=${encodeURIComponent(next)}` : ""}`);
  await page.fill("#field-email", account.email);
  await page.fill("#field-password", account.password);
  await page.click("form[action='/signin'] button[type=submit]");
  await page.waitForURL((url) => url.pathname !== "/signin");
}

Deno.test("[e2e auth] newcomer — signs up in Persian, confirms by email, edits the profile, signs out", async () => {
  await withBrowser(async (stack, browser) => {
    const page = await newPage(browser, "fa");
    const email = `e2e-${crypto.randomUUID().slice(0, 8)}@test.pishkhan.local`;
    await page.goto(`${stack.appUrl}/auth/signup`);
    assertEquals(await page.getAttribute("html", "dir"), "rtl");
    await page.waitForSelector('[data-island="PasswordStrength"][data-hydrated="true"]');
    await page.fill("#field-full_name", "سارا رضایی");
    await page.fill("#field-email", email);
    await page.fill("#field-password", "abc");
    assertEquals(await page.getAttribute('li[data-rule="upper"]', "data-state"), "unmet");
    assertEquals(await page.getAttribute('li[data-rule="lower"]', "data-state"), "met");
    await page.fill("#field-password", "Abcdefg12345");
    for (const rule of ["length", "lower", "upper", "digit"]) {
      assertEquals(await page.getAttribute(`li[data-rule="${rule}"]`, "data-state"), "met", rule);
    }
    assertEquals((await page.textContent(".password-meter output"))?.trim(), "خوب");
    await page.fill("#field-password_confirm", "Abcdefg12345");
    await screenshot(page, "auth-signup-fa");
    await page.click("form[action='/auth/signup'] button[type=submit]");
    await page.waitForURL(/\/auth\/sent\?kind=signup$/);
    await screenshot(page, "auth-sent-fa");

    await page.goto(await mailedLink(stack, email));
    // The confirmed newcomer lands on the wallet with the first-time welcome, whose next step is the phone.
    await page.waitForURL(/\/wallet$/);
    assert(await page.isVisible("[data-welcome]"));
    await screenshot(page, "auth-welcome-fa");
    await page.click("[data-welcome] a[href='/profile#field-phone']");
    await page.waitForURL(/\/profile#field-phone$/);
    assertEquals(await page.textContent("h1"), "نمایهٔ شما");
    assertEquals(await page.inputValue("#field-full_name"), "سارا رضایی");
    await page.fill("#field-phone", "۰۹۱۲۱۲۳۴۵۶۷");
    await page.check("#field-notify_sms");
    await page.click("form[action='/profile'] button[type=submit]");
    await page.waitForURL(/notice=saved/);
    assertEquals(await page.inputValue("#field-phone"), "+989121234567");
    await screenshot(page, "auth-profile-fa");

    await page.click(".signout-form button");
    await page.waitForURL(/\/signin\?notice=signed_out$/);
    assertStringIncludes(await page.textContent("[role=status]") ?? "", "از حساب خارج شدید");
    assertEquals(new URL(page.url()).pathname, "/signin");
    await page.goto(`${stack.appUrl}/profile`);
    await page.waitForURL(/\/signin\?next=%2Fprofile$/);
    await screenshot(page, "auth-signin-fa");
  });
});

Deno.test("[e2e auth] staff — a user is refused /admin; an admin gets in, changes a role, reads the audit log", async () => {
  await withBrowser(async (stack, browser) => {
    const user = await createAccount(stack, "plain");
    const admin = await createAccount(stack, "boss");
    await sql`insert into public.user_roles (user_id, role) values (${admin.id}, 'admin')`.execute(db());

    const userPage = await newPage(browser, "en");
    await signInThroughForm(userPage, stack, user);
    assertEquals(new URL(userPage.url()).pathname, "/wallet");
    await screenshot(userPage, "auth-landing-wallet-en");
    assertEquals(await userPage.locator("a[href='/admin']").count(), 0);
    const forbidden = await userPage.goto(`${stack.appUrl}/admin`);
    assertEquals(forbidden?.status(), 403);
    assertStringIncludes(
      await userPage.textContent("main") ?? "",
      "You do not have permission to open this page.",
    );
    await screenshot(userPage, "auth-admin-forbidden-en");

    const page = await newPage(browser, "en");
    await signInThroughForm(page, stack, admin, "/admin");
    assertEquals(new URL(page.url()).pathname, "/admin");
    await page.click("a[href='/admin/users']");
    await page.fill("#users-q", user.email);
    await page.click(".search-form button");
    await page.waitForURL(/q=/);
    await screenshot(page, "auth-admin-users-en");
    await page.click(`a[href='/admin/users/${user.id}']`);
    await page.selectOption("#field-role", "agent");
    await page.click(`form[action='/admin/users/${user.id}/role'] button`);
    await page.waitForURL(/notice=role_changed/);
    assertStringIncludes(await page.textContent(".facts") ?? "", "Support agent");
    await screenshot(page, "auth-admin-user-en");
    await page.goto(`${stack.appUrl}/admin/audit?action=users.role_change`);
    assertStringIncludes(await page.textContent("table") ?? "", admin.email);
    await screenshot(page, "auth-admin-audit-en");

    await page.selectOption('select[name="locale"]', "fa");
    await page.waitForSelector('html[dir="rtl"]');
    await screenshot(page, "auth-admin-audit-fa");
    await page.goto(`${stack.appUrl}/admin/users/${user.id}`);
    await screenshot(page, "auth-admin-user-fa");
    await page.goto(`${stack.appUrl}/admin/users`);
    await screenshot(page, "auth-admin-users-fa");
  });
});

Deno.test("[e2e auth] passwordless — a magic link, then GitHub through the emulated consent page", async () => {
  await withBrowser(async (stack, browser) => {
    const account = await createAccount(stack, "linked");
    const page = await newPage(browser, "en");
    await page.goto(`${stack.appUrl}/signin`);
    await screenshot(page, "auth-signin-en");
    await page.click("a[href='/auth/magic']");
    await page.fill("#field-email", account.email);
    await page.click("form[action='/auth/magic'] button[type=submit]");
    await page.waitForURL(/\/auth\/sent\?kind=magic$/);
    await screenshot(page, "auth-sent-magic-en");
    await page.goto(await mailedLink(stack, account.email));
    await page.waitForURL(/\/wallet$/);
    assertStringIncludes(await page.textContent(".account-email") ?? "", account.email);

    const github = await newPage(browser, "fa");
    const octo = `octo-${crypto.randomUUID().slice(0, 8)}@github.local`;
    await github.goto(`${stack.appUrl}/signin`);
    await github.click("a[href='/auth/oauth/github']");
    await github.waitForSelector("#go");
    await github.fill("input[name=email]", octo);
    await github.click("#go");
    await github.waitForURL(/\/wallet$/);
    assertStringIncludes(await github.textContent(".account-email") ?? "", octo);
    const { rows } = await sql<{ provider: string }>`
      select i.provider from auth.identities i join auth.users u on u.id = i.user_id where u.email = ${octo}`
      .execute(db());
    assertEquals(rows.map((r) => r.provider), ["github"]);
  });
});

Deno.test("[e2e auth] without JavaScript — errors show next to fields and sign-in still works", async () => {
  await withBrowser(async (stack, browser) => {
    const account = await createAccount(stack, "nojs");
    const page = await newPage(browser, "fa", { javaScriptEnabled: false });
    await page.goto(`${stack.appUrl}/signin`);
    await page.fill("#field-email", "not-an-email");
    await page.click("form[action='/signin'] button[type=submit]");
    await page.waitForSelector("#field-email-error");
    assertEquals(await page.getAttribute("#field-email", "aria-describedby"), "field-email-error");
    assertEquals(await page.getAttribute("#field-email", "aria-invalid"), "true");
    await screenshot(page, "auth-signin-errors-fa");
    await page.fill("#field-email", account.email);
    await page.fill("#field-password", account.password);
    await page.click("form[action='/signin'] button[type=submit]");
    await page.waitForURL(/\/wallet$/);
    const mobile = await browser.newPage({
      viewport: { width: 390, height: 844 },
      extraHTTPHeaders: { "accept-language": "fa" },
    });
    await mobile.goto(`${stack.appUrl}/auth/signup`);
    await screenshot(mobile, "auth-signup-fa-mobile");
    const html = await (await fetch(`${stack.appUrl}/auth/signup`, { headers: { "accept-language": "fa" } }))
      .text();
    assertMatch(html, /<li data-rule="length" data-state="pending">/);
    assert(html.includes('aria-describedby="field-password-rules"'));
  });
});

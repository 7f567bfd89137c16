import { assert, assertEquals, assertMatch } from "@std/assert";
import { sql } from "kysely";
import { launchBrowser, screenshot, signedInPage } from "../_support/browser.ts";
import { db } from "../_support/db.ts";
import { createAccount, startAuthStack } from "../integration/auth_http_client.ts";

Deno.test("[e2e api keys] an admin creates a key in Persian on a phone (shown once), rotates and revokes in English", async () => {
  const stack = await startAuthStack();
  const browser = await launchBrowser();
  try {
    const admin = await createAccount(stack, "keysadmin");
    await sql`insert into public.user_roles (user_id, role) values (${admin.id}, 'admin')`.execute(db());

    const fa = await signedInPage(browser, stack, "fa", admin, "/admin/api-keys");
    await fa.setViewportSize({ width: 390, height: 844 });
    await fa.fill("#field-name", "درگاه پیامک");
    await fa.click("form[action='/admin/api-keys'] button[type=submit]");
    const shown = await fa.textContent(".api-key-once");
    const madeId = await fa.getAttribute("[data-new-api-key]", "data-new-api-key");
    assertMatch(shown ?? "", /^pk_live_[0-9a-f]{64}$/);
    await screenshot(fa, "api-keys-fa-390");
    await fa.goto(`${stack.appUrl}/admin/api-keys`);
    assertEquals(await fa.locator(".api-key-once").count(), 0, "the key is not shown again");

    const en = await signedInPage(browser, stack, "en", admin, "/admin/api-keys");
    await en.setViewportSize({ width: 1280, height: 800 });
    // Other suites leave keys in the shared test database: act on this journey's own row, by its id.

    await en.locator(`tr[data-api-key="${madeId}"] form[action$='/rotate'] button`).click();
    const rotated = await en.textContent(".api-key-once");
    assert(rotated && rotated !== shown);
    const rotatedId = await en.getAttribute("[data-new-api-key]", "data-new-api-key");
    assertEquals(await en.locator(`tr[data-api-key="${madeId}"] form`).count(), 0, "the old key is revoked");
    await en.locator(`tr[data-api-key="${rotatedId}"] form[action$='/revoke'] button`).click();
    await en.waitForURL((url) => url.searchParams.get("revoked") === rotated.slice(0, 12));
    assertEquals(
      await en.locator(`tr[data-api-key="${rotatedId}"] form`).count(),
      0,
      "the new key is revoked",
    );
    await en.fill("#field-name", "Billing service");
    await en.click("form[action='/admin/api-keys'] button[type=submit]");
    assertMatch((await en.textContent(".api-key-once")) ?? "", /^pk_live_[0-9a-f]{64}$/);
    await en.goto(`${stack.appUrl}/admin/api-keys`);
    await screenshot(en, "api-keys-en-1280");
    await fa.context().close();
    await en.context().close();
  } finally {
    await browser.close();
    await stack.stop();
  }
});

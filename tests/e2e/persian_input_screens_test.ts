import { assert } from "@std/assert";
import { sql } from "kysely";
import { launchBrowser, screenshot, signedInPage } from "../_support/browser.ts";
import { db } from "../_support/db.ts";
import { fund, randomIban } from "../_support/ledger.ts";
import { createAccount, startAuthStack } from "../integration/auth_http_client.ts";

Deno.test("[e2e persian input] the pages this work touched, fa and en, desktop and phone: no sideways scroll", async (t) => {
  const stack = await startAuthStack();
  const browser = await launchBrowser();
  try {
    const sara = await createAccount(stack, "Sara");
    const admin = await createAccount(stack, "Admin");
    await sql`insert into public.user_roles (user_id, role) values (${admin.id}, 'admin')`.execute(db());
    await fund(sara.id, 5_000_000n);
    // A withdrawal in the queue (with its bank), typed in Persian digits without IR, and an audited sign-in.
    const setup = await signedInPage(browser, stack, "fa", sara, "/wallet/withdrawals");
    await setup.fill("#withdraw-tomans", "۲۰٬۰۰۰");
    await setup.fill(
      "#withdraw-iban",
      randomIban("012").slice(2).replace(/\d/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[Number(d)]),
    );
    await setup.fill("#withdraw-reauth", sara.password);
    await setup.click("form[action='/wallet/withdrawals'] button[type=submit]");
    await setup.waitForURL(/notice=requested/);
    await setup.context().close();

    const pages: [string, "customer" | "staff"][] = [
      ["/wallet/withdrawals", "customer"],
      ["/wallet?from=1405/13/40", "customer"],
      ["/auth/code?email=someone%40example.com", "customer"],
      ["/admin/withdrawals", "staff"],
      ["/admin/audit", "staff"],
      [`/admin/users/${sara.id}`, "staff"],
      ["/admin/payments?status=cancelled", "staff"],
      ["/admin/api-keys", "staff"],
    ];
    for (const locale of ["fa", "en"] as const) {
      for (const width of [1280, 390]) {
        await t.step(`${locale} ${width}px`, async () => {
          const customer = await signedInPage(browser, stack, locale, sara, "/wallet", width);
          const staff = await signedInPage(browser, stack, locale, admin, "/admin", width);
          for (const [path, who] of pages) {
            const page = who === "customer" ? customer : staff;
            await page.goto(`${stack.appUrl}${path}`);
            const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
            assert(overflow <= width, `${path}: ${overflow}px wide on a ${width}px screen`);
            const name = path.replace(/^\//, "").replace(/\?.*$/, "").replace(/[/]/g, "-").replace(
              /-[0-9a-f-]{36}$/,
              "",
            );
            await screenshot(page, `input-${name}-${locale}-${width}`);
          }
          await customer.context().close();
          await staff.context().close();
        });
      }
    }
  } finally {
    await browser.close();
    await stack.stop();
  }
});

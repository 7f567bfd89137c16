/**
 * The help desk with the demo data of supabase/seed.sql (replayed for this test's own customer and agent), in
 * Chromium, in fa and en at 1280px and 390px: the customer's list, a ticket and the new-ticket form; the
 * agent's queue and work page. Each page: no sideways scroll, no untranslated text, and in Persian no Latin
 * digits in what the page says (numbers, dates and ticket numbers in Persian digits). Screenshots go to
 * tests/.artifacts/tickets-demo-<page>-<locale>-<width>.png.
 */
import { assert, assertEquals } from "@std/assert";
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, screenshot, signedInPage } from "../_support/browser.ts";
import type { Stack } from "../../local/stack.ts";
import { createAccount, startAuthStack } from "../integration/auth_http_client.ts";

const SEED = new URL("../../supabase/seed.sql", import.meta.url);

/** supabase/seed.sql for `customer` and `agent` instead of the seeded accounts; returns the demo tickets. */
async function replayDemo(customer: string, agent: string) {
  const sql = postgres(Deno.env.get("DATABASE_URL")!, { max: 1, onnotice: () => {} });
  try {
    await sql.begin(async (tx) => {
      await tx`select set_config('pishkhan.demo_customer', ${customer}, true),
                      set_config('pishkhan.demo_agent', ${agent}, true)`;
      await tx.unsafe(await Deno.readTextFile(SEED));
    });
    return await sql<{ id: string; status: string; subject: string }[]>`
      select t.id::text, t.status::text, t.subject from public.tickets t join auth.users u on u.id = t.customer_id
      where u.email = ${customer} order by t.id`;
  } finally {
    await sql.end();
  }
}

/** The page scrolls sideways when its content is wider than the viewport. */
async function assertNoSideScroll(page: Page, name: string) {
  const [scroll, client] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    document.documentElement.clientWidth,
  ]);
  assert(scroll <= client, `${name}: the page is ${scroll}px wide in a ${client}px viewport`);
}

/** The page's visible text outside the elements `skip` matches (scripts and styles are never text). */
async function textOutside(page: Page, skip: string): Promise<string> {
  return await page.evaluate((skip) => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const parts: string[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement?.closest(`script, style, noscript, ${skip}`)) {
        parts.push(node.textContent ?? "");
      }
    }
    return parts.join(" ");
  }, skip);
}

/**
 * Latin digits a Persian page shows of its own (numbers, dates, ticket numbers), leaving out what people wrote
 * (subjects, isolated in a bdi of their own direction; message bodies; tags) and e-mail addresses.
 */
async function latinDigits(page: Page): Promise<string[]> {
  const text = await textOutside(page, ".thread-body, .tag, bdi:not([dir])");
  return (text.match(/\S*[0-9]\S*/g) ?? []).filter((word) => !word.includes("@"));
}

/** Names that stay in Latin letters on a Persian page: the platform and file formats, and the SLA acronym. */
const LATIN_NAMES = new Set(["Supabase", "PNG", "JPEG", "WebP", "PDF", "SLA"]);

/**
 * English words of the interface left on a Persian page: text outside what people wrote (subjects isolated
 * in bdi, message bodies, tags, the options naming canned responses or agents, e-mail addresses) that is not a
 * name kept in Latin letters.
 */
async function englishWords(page: Page): Promise<string[]> {
  const text = await textOutside(page, "bdi, .thread-body, .tag, option");
  return (text.replace(/\S+@\S+/g, " ").match(/[A-Za-z]{2,}/g) ?? []).filter((word) =>
    !LATIN_NAMES.has(word)
  );
}

/** The customer ticket page's own layout rules apply (a merge once nested them where they never matched). */
async function customerTicketLayout(page: Page): Promise<string[]> {
  return await page.evaluate(() => {
    const problems: string[] = [];
    const facts = document.querySelector(".ticket-facts");
    if (facts && getComputedStyle(facts).gridTemplateColumns.split(" ").length !== 2) {
      problems.push("the facts are not two columns");
    }
    const actions = document.querySelector(".ticket-actions");
    if (actions && getComputedStyle(actions).display !== "flex") problems.push("the actions are not a row");
    const rating = document.querySelector(".rating");
    if (rating && getComputedStyle(rating).display !== "grid") {
      problems.push("the rating options are not a grid");
    }
    return problems;
  });
}

Deno.test("[e2e tickets demo] the customer's and the agent's help desk pages with the demo data, fa and en, 1280 and 390 px", async (t) => {
  const stack: Stack = await startAuthStack();
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const customer = await createAccount(stack, "demo-customer");
    const agent = await createAccount(stack, "demo-agent");
    const sql = postgres(Deno.env.get("DATABASE_URL")!, { max: 1, onnotice: () => {} });
    await sql`insert into public.user_roles (user_id, role) values (${agent.id}, 'agent')`;
    const tickets = await replayDemo(customer.email, agent.email);
    assertEquals(tickets.length, 5);
    // The queue filtered to this test's tickets (the test database holds other tests' tickets too): they move
    // to a department of their own, without the update trigger, so the demo's "last update" times stay as seeded.
    const code = `demo_${
      Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => "abcdefghij"[b % 10]).join("")
    }`;
    await sql.begin(async (tx) => {
      const [dept] = await tx<{ id: number }[]>`insert into public.ticket_departments (code, name_fa, name_en)
        values (${code}, 'میز نمایشی', 'Demo desk') returning id`;
      await tx`set local session_replication_role = replica`;
      await tx`update public.tickets set department_id = ${dept.id}
        where id = any(${tickets.map((t) => t.id)}::bigint[])`;
    });
    await sql.end();
    const pending = tickets.find((t) => t.status === "pending")!;
    const closed = tickets.find((t) => t.status === "closed")!;
    const resolved = tickets.find((t) => t.status === "resolved")!;

    const pages: { name: string; who: typeof customer; path: string }[] = [
      { name: "list", who: customer, path: "/tickets" },
      { name: "ticket", who: customer, path: `/tickets/${pending.id}` },
      { name: "ticket-closed", who: customer, path: `/tickets/${closed.id}` },
      { name: "ticket-resolved", who: customer, path: `/tickets/${resolved.id}` },
      { name: "new", who: customer, path: "/tickets/new" },
      { name: "queue", who: agent, path: `/admin/tickets?department=${code}` },
      { name: "work", who: agent, path: `/admin/tickets/${pending.id}` },
    ];
    for (const locale of ["fa", "en"] as const) {
      for (const width of [1280, 390]) {
        await t.step(`${locale} at ${width}px`, async () => {
          const problems: string[] = [];
          for (const { name, who, path } of pages) {
            const page = await signedInPage(browser!, stack, locale, who, path.split("?")[0], width);
            if (path.includes("?")) await page.goto(`${stack.appUrl}${path}`);
            await screenshot(page, `tickets-demo-${name}-${locale}-${width}`);
            await assertNoSideScroll(page, `${name} ${locale} ${width}`);
            if (name.startsWith("ticket")) {
              for (const problem of await customerTicketLayout(page)) problems.push(`${name}: ${problem}`);
            }
            if (locale === "fa") {
              const latin = await latinDigits(page);
              if (latin.length) problems.push(`${name}: Latin digits ${JSON.stringify(latin)}`);
              const english = await englishWords(page);
              if (english.length) problems.push(`${name}: English text ${JSON.stringify(english)}`);
            }
            await page.context().close();
          }
          assertEquals(problems, []);
        });
      }
    }
  } finally {
    await browser?.close();
    await stack.stop();
  }
});

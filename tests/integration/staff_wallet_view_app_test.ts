/**
 * `wallet.view_summary` over HTTP: an agent helping a customer opens their wallet summary, recent payments
 * and withdrawals (read-only, audited per look, the ticket named); a staff member without the permission and
 * a customer are refused, and so is an agent on a colleague's wallet. Every staff link on the admin home,
 * the user page and the ticket page opens for the role that sees it.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { sql } from "kysely";
import { fund, randomIban } from "../_support/ledger.ts";
import { asUser, createUser, db } from "../_support/db.ts";
import { requestWithdrawal } from "../../lib/wallet/withdrawals.ts";
import { type Client, staff, withStack } from "./auth_http_client.ts";

async function looks(target: string): Promise<{ actor_id: string; ticket: string | null }[]> {
  const { rows } = await sql<{ actor_id: string; ticket: string | null }>`
    select actor_id::text, metadata ->> 'ticket_id' as ticket from public.audit_log
    where action = 'wallet.summary_view' and target_id = ${target} order by id`.execute(db());
  return rows;
}

/** The /admin links on a page (but not forms' actions or the export files). */
function adminLinks(html: string): string[] {
  return [...new Set([...html.matchAll(/href="(\/admin[^"]*)"/g)].map((m) => m[1].replaceAll("&amp;", "&")))];
}

async function assertAllOpen(client: Client, links: string[], who: string) {
  for (const link of links) {
    const res = await client.get(link);
    await res.body?.cancel();
    assertEquals(res.status, 200, `${who}: ${link}`);
  }
}

Deno.test("[staff wallet view] an agent sees a customer's wallet read-only and audited; others are refused", async (t) => {
  await withStack(async (stack) => {
    const agent = await staff(stack, "agent");
    const auditor = await staff(stack, "auditor");
    const finance = await staff(stack, "finance");
    const admin = await staff(stack, "admin");
    const customer = await createUser("view-customer");
    await fund(customer.id, 5_000_000n);
    await asUser(
      customer.claims,
      (tx) =>
        requestWithdrawal(tx, {
          amount: 1_000_000n,
          iban: randomIban(),
          idempotencyKey: crypto.randomUUID(),
        }),
    );
    const { rows: [ticket] } = await sql<{ id: string }>`
      insert into public.tickets (customer_id, subject, body, department_id)
      select ${customer.id}, 'Where is my withdrawal?', 'It has been two days.', min(id)
      from public.ticket_departments returning id::text`.execute(db());
    const page = `/admin/users/${customer.id}/wallet`;

    await t.step(
      "the agent opens it from the ticket: balances and withdrawals, one audit entry per look",
      async () => {
        const work = await (await agent.client.get(`/admin/tickets/${ticket.id}`)).text();
        assertStringIncludes(work, `href="${page}?ticket=${ticket.id}"`);
        const res = await agent.client.get(`${page}?ticket=${ticket.id}`);
        assertEquals(res.status, 200);
        const html = await res.text();
        assertStringIncludes(html, "500,000 tomans");
        assertStringIncludes(html, "400,000 tomans");
        assertStringIncludes(html, "Recent withdrawals");
        assert(!/IR\d{24}/.test(html), "no full IBAN on the page");
        assert(!html.includes('method="post"') || !html.includes("/adjust"), "no adjustment form");
        assertEquals(await looks(customer.id), [{ actor_id: agent.id, ticket: ticket.id }]);
        const again = await agent.client.get(page);
        await again.body?.cancel();
        assertEquals((await looks(customer.id)).length, 2);
      },
    );

    await t.step(
      "refused without wallet.view_summary, and on a colleague's wallet; no audit entry",
      async () => {
        const before = (await looks(customer.id)).length;
        const byAuditor = await auditor.client.get(page);
        await byAuditor.body?.cancel();
        assertEquals(byAuditor.status, 403);
        const customerClient = await staff(stack, "user");
        const byUser = await customerClient.client.get(page);
        await byUser.body?.cancel();
        assertEquals(byUser.status, 403);
        const colleague = await agent.client.get(`/admin/users/${finance.id}/wallet`);
        await colleague.body?.cancel();
        assertEquals(colleague.status, 403);
        assertEquals((await looks(customer.id)).length, before);
        assertEquals((await looks(finance.id)).length, 0);
        const json = await agent.client.get(`/admin/users/${finance.id}/wallet`, {
          accept: "application/json",
        });
        assertEquals((await json.json()).error.code, "not_permitted");
      },
    );

    await t.step(
      "the user page links to the user's wallet, payments, withdrawals and audit trail",
      async () => {
        const forAgent = adminLinks(await (await agent.client.get(`/admin/users/${customer.id}`)).text());
        assert(forAgent.includes(page), `agent: ${forAgent}`);
        const forAdmin = adminLinks(await (await admin.client.get(`/admin/users/${customer.id}`)).text());
        for (
          const wanted of [
            `/admin/wallets/${customer.id}`,
            `/admin/withdrawals?status=all&user=${customer.id}`,
            `/admin/audit?target=${customer.id}`,
          ]
        ) {
          assert(forAdmin.includes(wanted), `admin: ${wanted} in ${forAdmin}`);
        }
        assert(forAdmin.some((l) => l.startsWith("/admin/payments?q=")), `admin: payments in ${forAdmin}`);
        await assertAllOpen(agent.client, forAgent, "agent user page");
        await assertAllOpen(admin.client, forAdmin, "admin user page");
        const forAuditor = adminLinks(await (await auditor.client.get(`/admin/users/${customer.id}`)).text());
        assert(!forAuditor.some((l) => l.includes("/wallet")), `auditor sees no wallet link: ${forAuditor}`);
        await assertAllOpen(auditor.client, forAuditor, "auditor user page");
      },
    );

    await t.step("each role's admin home offers only tools that open for it", async () => {
      for (
        const [who, client] of [["agent", agent.client], ["auditor", auditor.client], [
          "finance",
          finance.client,
        ], ["admin", admin.client]] as const
      ) {
        const links = adminLinks(await (await client.get("/admin")).text());
        assert(links.length > 1, `${who}: ${links}`);
        await assertAllOpen(client, links, `${who} admin home`);
      }
    });
  });
});

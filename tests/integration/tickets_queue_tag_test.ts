/** The staff queue's tag filter (/admin/tickets?tag=…): only tickets with the tag, kept by links and pages. */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { asUser } from "../_support/db.ts";
import { createAccount, staff, withStack } from "./auth_http_client.ts";
import { openTicket, setTags } from "../../lib/tickets/store.ts";
import { department, joinDepartment } from "../_support/tickets.ts";

const rowsOf = (page: string) => [...page.matchAll(/<tr data-ticket="(\d+)"/g)].map((m) => m[1]);

Deno.test("[tickets queue] the tag filter shows only tagged tickets; saved filters and pages keep it", async () => {
  await withStack(async (stack) => {
    const agent = await staff(stack, "agent");
    const dept = await department("tagq");
    await joinDepartment(agent.id, dept.id);
    const account = await createAccount(stack, "tag-customer");
    const claims = {
      sub: account.id,
      role: "authenticated",
      aud: "authenticated",
      email: account.email,
      user_role: "user",
    };
    const opened = [];
    for (let n = 0; n < 28; n++) {
      opened.push(
        await asUser(
          claims,
          (tx) => openTicket(tx, { subject: `tag ${n}`, body: "x", department: dept.code }),
        ),
      );
    }
    const tag = `refund${crypto.randomUUID().slice(0, 6)}`;
    // 26 tagged (more than one page), 2 not.
    const tagged = opened.slice(2);
    const agentClaims = { ...claims, sub: agent.id, email: agent.email, user_role: "agent" };
    for (const t of tagged) await asUser(agentClaims, (tx) => setTags(tx, t.id, [tag, "bank"]));

    const get = async (path: string) => {
      const res = await agent.client.get(path);
      assertEquals(res.status, 200, path);
      return await res.text();
    };
    const base = `/admin/tickets?department=${dept.code}`;
    assertEquals(rowsOf(await get(base)).length, 25);
    // Typed in any case, with spaces: tags are kept in lower case.
    const first = await get(`${base}&tag=%20${tag.toUpperCase()}%20`);
    const newest = tagged.map((t) => t.id).reverse();
    assertEquals(rowsOf(first), newest.slice(0, 25));
    assertStringIncludes(first, `id="queue-tag" type="text" name="tag" value="${tag}"`);
    assertStringIncludes(first, `<option value="${tag}">`);
    // The saved-filter links and the next page keep the tag.
    assertStringIncludes(
      first,
      `href="/admin/tickets?filter=unassigned&amp;department=${dept.code}&amp;tag=${tag}"`,
    );
    const next = first.match(/href="([^"]+)" rel="next"/)![1].replaceAll("&amp;", "&");
    assertStringIncludes(next, `tag=${tag}`);
    assertEquals(rowsOf(await get(next)), newest.slice(25));
    // A tag nobody uses: nothing; an empty tag: no filter.
    assertEquals(rowsOf(await get(`${base}&tag=nosuch${tag}`)), []);
    assertEquals(rowsOf(await get(`${base}&tag=`)).length, 25);
    assert((await agent.client.get(`${base}&tag=${"x".repeat(33)}`)).status === 400);
  });
});

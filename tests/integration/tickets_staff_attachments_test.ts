/**
 * Staff replies with files: on the agent work page (a multipart reply, as the customer's) and through the API
 * (POST /api/v1/tickets/{id}/messages with files the caller uploaded to Storage first). An agent's reply with a
 * PNG reaches the customer as a thumbnail through a signed URL; the files of an internal note never reach the
 * customer: not on the page, not in the API, and not from Storage itself (its RLS on storage.objects), with
 * the customer's own token.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { createClient } from "@supabase/supabase-js";
import { sql } from "kysely";
import { db } from "../_support/db.ts";
import { PNG } from "../_support/files.ts";
import type { Stack } from "../../local/stack.ts";
import { signedLinks } from "../../lib/tickets/attachments.ts";
import { Client, signIn } from "./auth_http_client.ts";
import { multipart } from "../_support/tickets.ts";
import { api, type Caller, caller, withApiStack } from "./wallet_api_client.ts";

/** supabase-js Storage on the ticket-attachments bucket as `who` (their access token). */
function bucketAs(stack: Stack, who: Caller) {
  return createClient(stack.gatewayUrl, stack.keys.publishableKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: { headers: { Authorization: `Bearer ${who.token}` } },
  }).storage.from("ticket-attachments");
}

async function browser(stack: Stack, who: Caller, locale: "fa" | "en") {
  const client = new Client(stack.appUrl, { "accept-language": locale });
  await signIn(client, who);
  return client;
}

/** The ticket's attachments: path, name and whether the message is an internal note. */
async function attachmentsOf(ticketId: string) {
  const { rows } = await sql<{ path: string; name: string; internal: boolean; uploaded_by: string }>`
    select a.path, a.name, m.internal, a.uploaded_by::text from public.ticket_attachments a
    join public.ticket_messages m on m.id = a.message_id
    where a.ticket_id = ${ticketId} order by a.id`.execute(db());
  return rows;
}

async function messageCount(ticketId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from public.ticket_messages
    where ticket_id = ${ticketId}`.execute(db());
  return rows[0].n;
}

/** What the customer's own token gets from Storage for `path`: a download, a signed URL, a listing. */
async function customerReach(stack: Stack, who: Caller, ticketId: string, path: string) {
  const bucket = bucketAs(stack, who);
  const download = await bucket.download(path);
  const listed = await bucket.list(ticketId);
  return {
    download: download.error ? "refused" : "downloaded",
    signed: path in await signedLinks(who.token, [path]),
    listed: (listed.data ?? []).some((o) => `${ticketId}/${o.name}` === path),
  };
}

Deno.test("[tickets staff attachments] an agent's reply with a PNG reaches the customer; an internal note's files never do (page, API, Storage RLS)", async (t) => {
  await withApiStack(async (stack) => {
    const cara = await caller(stack, "att-cara");
    const agent = await caller(stack, "att-agent", "agent");
    const opened = await api(stack, "POST", "/api/v1/tickets", {
      as: cara,
      json: { subject: "شارژ نشد", body: "رسید بانک را بفرستید" },
    });
    assertEquals(opened.status, 201, JSON.stringify(opened.body));
    const ticketId: string = opened.body.id;
    const agentWeb = await browser(stack, agent, "en");
    const caraWeb = await browser(stack, cara, "fa");

    let replyPath = "";
    let notePath = "";
    await t.step("work page — a reply and an internal note, each with a PNG", async () => {
      const page = await (await agentWeb.get(`/admin/tickets/${ticketId}`)).text();
      const form = /<form[^>]*action="\/admin\/tickets\/\d+\/reply"[^]*?<\/form>/.exec(page)?.[0] ?? "";
      assertStringIncludes(form, 'enctype="multipart/form-data"');
      assertStringIncludes(form, 'name="files"');

      const reply = await multipart(agentWeb, `/admin/tickets/${ticketId}/reply`, {
        body: "Here is the bank's confirmation.",
      }, [new File([PNG], "تایید بانک.png", { type: "image/png" })]);
      assertEquals(reply.status, 303, await reply.text());
      assertEquals(reply.headers.get("location"), `/admin/tickets/${ticketId}?notice=replied`);
      const note = await multipart(agentWeb, `/admin/tickets/${ticketId}/reply`, {
        body: "Bank log, staff only.",
        internal: "on",
      }, [new File([PNG], "bank-log.png", { type: "image/png" })]);
      assertEquals(note.status, 303, await note.text());
      assertEquals(note.headers.get("location"), `/admin/tickets/${ticketId}?notice=noted`);

      const rows = await attachmentsOf(ticketId);
      assertEquals(rows.map((r) => [r.name, r.internal, r.uploaded_by]), [
        ["تایید بانک.png", false, agent.id],
        ["bank-log.png", true, agent.id],
      ]);
      [replyPath, notePath] = rows.map((r) => r.path);

      const staffView = await (await agentWeb.get(`/admin/tickets/${ticketId}`)).text();
      for (const path of [replyPath, notePath]) assertStringIncludes(staffView, `data-attachment="${path}"`);
    });

    await t.step(
      "the customer's page — the reply's thumbnail through a signed URL; no trace of the note",
      async () => {
        const res = await caraWeb.get(`/tickets/${ticketId}`);
        assertEquals(res.status, 200);
        const page = await res.text();
        assertStringIncludes(page, `data-attachment="${replyPath}"`);
        const thumb = /<img src="([^"]+)" alt="تایید بانک.png"/.exec(page)?.[1]?.replaceAll("&amp;", "&");
        assert(thumb, "a thumbnail of the agent's PNG");
        assertStringIncludes(thumb, `/storage/v1/object/sign/ticket-attachments/${replyPath}?token=`);
        const download = await fetch(thumb);
        assertEquals(new Uint8Array(await download.arrayBuffer()), PNG);
        assert(
          !page.includes(notePath) && !page.includes("bank-log.png"),
          "the note's file reached the page",
        );
      },
    );

    await t.step(
      "Storage itself — the customer's token reaches the reply's file, never the note's",
      async () => {
        assertEquals(await customerReach(stack, cara, ticketId, replyPath), {
          download: "downloaded",
          signed: true,
          listed: true,
        });
        assertEquals(await customerReach(stack, cara, ticketId, notePath), {
          download: "refused",
          signed: false,
          listed: false,
        });
        const direct = await fetch(
          `${stack.gatewayUrl}/storage/v1/object/authenticated/ticket-attachments/${notePath}`,
          { headers: { apikey: stack.keys.publishableKey, authorization: `Bearer ${cara.token}` } },
        );
        assertEquals(direct.status, 400, "NoSuchKey, as hosted answers a row RLS hides");
        await direct.body?.cancel();
        assertEquals(Object.keys(await signedLinks(agent.token, [replyPath, notePath])).length, 2);
      },
    );

    await t.step("API — staff record files they uploaded on a reply and on a note", async () => {
      const bucket = bucketAs(stack, agent);
      const publicPath = `${ticketId}/${crypto.randomUUID()}.png`;
      const privatePath = `${ticketId}/${crypto.randomUUID()}.png`;
      for (const path of [publicPath, privatePath]) {
        const uploaded = await bucket.upload(path, PNG, { contentType: "image/png" });
        assertEquals(uploaded.error, null);
      }
      const reply = await api(stack, "POST", `/api/v1/tickets/${ticketId}/messages`, {
        as: agent,
        json: { body: "Screenshot of the refund.", attachments: [{ path: publicPath, name: "refund.png" }] },
      });
      assertEquals(reply.status, 201, JSON.stringify(reply.body));
      assertEquals(reply.body.attachments, [
        { path: publicPath, name: "refund.png", size: PNG.byteLength, mime: "image/png" },
      ]);
      const note = await api(stack, "POST", `/api/v1/tickets/${ticketId}/messages`, {
        as: agent,
        json: { body: "Internal: bank ticket 77.", internal: true, attachments: [{ path: privatePath }] },
      });
      assertEquals(note.status, 201, JSON.stringify(note.body));
      assertEquals(note.body.attachments.map((a: { name: string }) => a.name), [privatePath.split("/")[1]]);

      const seen = await api(stack, "GET", `/api/v1/tickets/${ticketId}`, { as: cara });
      assertEquals(seen.status, 200);
      const mine = seen.body.messages.find((m: { id: string }) => m.id === reply.body.id);
      assertEquals(mine?.attachments.map((a: { path: string }) => a.path), [publicPath]);
      assert(!JSON.stringify(seen.body).includes(privatePath), "the note's file reached the customer's JSON");
      assertEquals((await customerReach(stack, cara, ticketId, publicPath)).download, "downloaded");
      assertEquals(await customerReach(stack, cara, ticketId, privatePath), {
        download: "refused",
        signed: false,
        listed: false,
      });
      const staffSees = await api(stack, "GET", `/api/v1/tickets/${ticketId}`, { as: agent });
      const noteSeen = staffSees.body.messages.find((m: { id: string }) => m.id === note.body.id);
      assertEquals(noteSeen?.attachments.map((a: { path: string }) => a.path), [privatePath]);
    });

    await t.step(
      "API — a file not uploaded, of another ticket, or one too many: 4xx and no message",
      async () => {
        const before = await messageCount(ticketId);
        const missing = await api(stack, "POST", `/api/v1/tickets/${ticketId}/messages`, {
          as: agent,
          json: { body: "x", attachments: [{ path: `${ticketId}/never-uploaded.png` }] },
        });
        assertEquals([missing.status, missing.body.error?.code], [422, "ticket_attachment_missing"]);
        const elsewhere = await api(stack, "POST", `/api/v1/tickets/${ticketId}/messages`, {
          as: agent,
          json: { body: "x", attachments: [{ path: `${Number(ticketId) + 1000}/x.png` }] },
        });
        assertEquals([elsewhere.status, elsewhere.body.error?.code], [400, "ticket_invalid_input"]);
        const many = await api(stack, "POST", `/api/v1/tickets/${ticketId}/messages`, {
          as: agent,
          json: {
            body: "x",
            attachments: Array.from({ length: 6 }, (_, n) => ({ path: `${ticketId}/${n}.png` })),
          },
        });
        assertEquals([many.status, many.body.error?.code], [400, "invalid_input"]);
        // Another user's upload cannot be claimed: the object must be the caller's own.
        const carasPath = `${ticketId}/${crypto.randomUUID()}.png`;
        assertEquals(
          (await bucketAs(stack, cara).upload(carasPath, PNG, { contentType: "image/png" })).error,
          null,
        );
        const claimed = await api(stack, "POST", `/api/v1/tickets/${ticketId}/messages`, {
          as: agent,
          json: { body: "x", attachments: [{ path: carasPath }] },
        });
        assertEquals([claimed.status, claimed.body.error?.code], [422, "ticket_attachment_missing"]);
        assertEquals(await messageCount(ticketId), before, "a refused message is not written");
      },
    );
  });
});

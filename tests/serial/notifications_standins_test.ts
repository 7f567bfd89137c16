/**
 * The messaging stand-ins validate as the real services do (shared/specs/messaging-providers.md) and their fault
 * controls work: Resend (Bearer key 401/403, from / to / subject checks 422, Idempotency-Key replay and 409),
 * Twilio (basic auth 401 20003, 21211, +98 → 21408, 201 with an SM sid and RFC 2822 dates), Kavenegar (key in the
 * path 403, 406, 411, 414, localid dedupe) and SMS.ir (X-API-KEY 401, invalid mobile 400); faults `down`,
 * `latency_ms`, `failure_rate` and `_control/reset`.
 */
import { assert, assertEquals, assertMatch } from "@std/assert";
import { LOCAL_NOTIFY } from "../../lib/notifications/settings.ts";
import { type NotifyHarness, standInControl, withNotifyHarness } from "../_support/notify_harness.ts";

async function call(h: NotifyHarness, path: string, init: RequestInit = {}) {
  const response = await fetch(`${h.url}/sandbox${path}`, init);
  return { status: response.status, body: await response.json() };
}

const resendKey = {
  authorization: `Bearer ${LOCAL_NOTIFY.resendApiKey}`,
  "content-type": "application/json",
};
const email = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    from: "Pishkhan <no-reply@pishkhan.local>",
    to: "a@example.com",
    subject: "Hi",
    text: "x",
    ...extra,
  });
const twilioAuth = {
  authorization: `Basic ${btoa(`${LOCAL_NOTIFY.twilioAccountSid}:${LOCAL_NOTIFY.twilioAuthToken}`)}`,
};
const twilioPath = `/twilio/2010-04-01/Accounts/${LOCAL_NOTIFY.twilioAccountSid}/Messages.json`;
const form = (fields: Record<string, string>) => new URLSearchParams(fields);

Deno.test("[stand-ins] Resend: keys, validation and idempotency as the API", async () => {
  await withNotifyHarness(async (h) => {
    assertEquals(
      (await call(h, "/resend/emails", { method: "POST", body: email() })).body.name,
      "missing_api_key",
    );
    const wrong = await call(h, "/resend/emails", {
      method: "POST",
      headers: { authorization: "Bearer re_nope", "content-type": "application/json" },
      body: email(),
    });
    assertEquals([wrong.status, wrong.body.name], [403, "invalid_api_key"]);
    const badFrom = await call(h, "/resend/emails", {
      method: "POST",
      headers: resendKey,
      body: email({ from: "x" }),
    });
    assertEquals([badFrom.status, badFrom.body.name], [422, "invalid_from_address"]);
    const tooMany = Array.from({ length: 51 }, (_, i) => `r${i}@example.com`);
    assertEquals(
      (await call(h, "/resend/emails", { method: "POST", headers: resendKey, body: email({ to: tooMany }) }))
        .status,
      422,
    );
    const key = { ...resendKey, "idempotency-key": `standin-${crypto.randomUUID()}` };
    const first = await call(h, "/resend/emails", { method: "POST", headers: key, body: email() });
    const again = await call(h, "/resend/emails", { method: "POST", headers: key, body: email() });
    assertEquals(
      [first.status, again.body.id],
      [200, first.body.id],
      "the same key and payload: the same answer",
    );
    const changed = await call(h, "/resend/emails", {
      method: "POST",
      headers: key,
      body: email({ subject: "Other" }),
    });
    assertEquals([changed.status, changed.body.name], [409, "invalid_idempotent_request"]);
  });
});

Deno.test("[stand-ins] Twilio: basic auth, To checks, +98 refused with 21408, a queued Message", async () => {
  await withNotifyHarness(async (h) => {
    const unauth = await call(h, twilioPath, {
      method: "POST",
      body: form({ To: "+14155550100", From: "+15005550006" }),
    });
    assertEquals([unauth.status, unauth.body.code], [401, 20003]);
    const badTo = await call(h, twilioPath, {
      method: "POST",
      headers: twilioAuth,
      body: form({ To: "555", From: "+15005550006", Body: "x" }),
    });
    assertEquals([badTo.status, badTo.body.code], [400, 21211]);
    const iran = await call(h, twilioPath, {
      method: "POST",
      headers: twilioAuth,
      body: form({ To: "whatsapp:+989121234567", From: "whatsapp:+14155238886", Body: "x" }),
    });
    assertEquals([iran.status, iran.body.code], [400, 21408]);
    const ok = await call(h, twilioPath, {
      method: "POST",
      headers: twilioAuth,
      body: form({ To: "+14155550100", From: "+15005550006", Body: "سلام" }),
    });
    assertEquals([ok.status, ok.body.status, ok.body.num_segments], [201, "queued", "1"]);
    assertMatch(ok.body.sid, /^SM[0-9a-f]{32}$/);
    assertMatch(ok.body.date_created, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
  });
});

Deno.test("[stand-ins] Kavenegar and SMS.ir: keys, receptors, limits, localid dedupe", async () => {
  await withNotifyHarness(async (h) => {
    const kave = (key: string, fields: Record<string, string>) =>
      call(h, `/kavenegar/v1/${key}/sms/send.json`, { method: "POST", body: form(fields) });
    const key = LOCAL_NOTIFY.kavenegarApiKey;
    assertEquals((await kave("nope", { receptor: "09121234567", message: "x" })).body.return.status, 403);
    assertEquals((await kave(key, { message: "x" })).body.return.status, 406);
    assertEquals((await kave(key, { receptor: "12345", message: "x" })).body.return.status, 411);
    const many = Array.from({ length: 201 }, (_, i) => `0912${String(1000000 + i)}`).join(",");
    assertEquals((await kave(key, { receptor: many, message: "x" })).body.return.status, 414);
    const localid = `dedupe-${crypto.randomUUID()}`;
    const first = await kave(key, { receptor: "09121234567", message: "x", localid });
    const repeat = await kave(key, { receptor: "09121234567", message: "x", localid });
    assertEquals(
      repeat.body.entries[0].messageid,
      first.body.entries[0].messageid,
      "a repeated localid is not resent",
    );
    assertEquals(h.state.stats("kavenegar").duplicates, 0);

    const smsir = (apiKey: string, mobiles: string[]) =>
      call(h, "/smsir/v1/send/bulk", {
        method: "POST",
        headers: { "x-api-key": apiKey, "content-type": "application/json" },
        body: JSON.stringify({ lineNumber: Number(LOCAL_NOTIFY.smsirLineNumber), messageText: "x", mobiles }),
      });
    assertEquals((await smsir("nope", ["09121234567"])).status, 401);
    assertEquals((await smsir(LOCAL_NOTIFY.smsirApiKey, ["123"])).status, 400);
    const sent = await smsir(LOCAL_NOTIFY.smsirApiKey, ["09121234567"]);
    assertEquals([sent.status, sent.body.status, sent.body.data.messageIds.length], [200, 1, 1]);
  });
});

Deno.test("[stand-ins] fault controls: down, latency, failure rate, reset", async () => {
  await withNotifyHarness(async (h) => {
    const send = () =>
      call(h, `/kavenegar/v1/${LOCAL_NOTIFY.kavenegarApiKey}/sms/send.json`, {
        method: "POST",
        body: form({ receptor: "09121234567", message: "x" }),
      });
    await standInControl(h, "kavenegar", "faults", { failure_rate: 0, down: true });
    assertEquals((await send()).body.return.status, 409);
    await standInControl(h, "kavenegar", "faults", { failure_rate: 0, latency_ms: 300 });
    const started = Date.now();
    assertEquals((await send()).body.return.status, 200);
    assert(Date.now() - started >= 300, "latency_ms delays the answer");
    await standInControl(h, "kavenegar", "faults", { failure_rate: 1 });
    assertEquals((await send()).body.return.status, 409);
    await standInControl(h, "kavenegar", "reset", {});
    assertEquals((await send()).body.return.status, 200);
    const refused = await fetch(`${h.url}/sandbox/kavenegar/_control/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ failure_rate: 2 }),
    });
    assertEquals(refused.status, 400);
    await refused.body?.cancel();
  });
});

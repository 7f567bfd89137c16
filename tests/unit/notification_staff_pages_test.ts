/**
 * Staff and customer notification pages as they render: a message's page keeps a provider's "delivered"
 * report out of the error column and shows no next attempt once the message is settled, ids read in the
 * locale's digits, and the preferences page names the channel a missing phone turns off.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import { MessagePage } from "../../components/notifications/staff/MessagePage.tsx";
import { PreferencesPage } from "../../components/notifications/PreferencesPage.tsx";
import { type Locale, translate } from "../../lib/i18n/mod.ts";
import type { AttemptRow, OutboxRow } from "../../lib/notifications/staff.ts";
import type { Preferences } from "../../lib/notifications/preferences.ts";

const tFor =
  (locale: Locale) => (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
    translate(locale, key, params);

const at = new Date(Date.UTC(2026, 10, 30, 4, 16));

function message(over: Partial<OutboxRow> = {}): OutboxRow {
  return {
    id: "37",
    attempts: 1,
    broadcast_id: null,
    category: "security",
    channel: "email",
    claimed_at: null,
    claimed_by: null,
    claimed_until: null,
    created_at: at,
    critical: true,
    data: { role: "finance" },
    dedupe_key: null,
    delivered_at: at,
    event: "security.role_changed",
    last_error: null,
    locale: "fa",
    max_attempts: 8,
    next_attempt_at: at,
    provider: "resend",
    provider_message_id: "25595a6c-56fc-421d-a69d-5cf718fc69dd",
    recipient: "finance@pishkhan.local",
    sent_at: at,
    status: "delivered",
    updated_at: at,
    user_id: null,
    ...over,
  };
}

function attempt(id: number, outcome: string, error: string | null): AttemptRow {
  return {
    id: String(id),
    outbox_id: "37",
    attempt: 1,
    provider: "resend",
    outcome,
    error,
    duration_ms: 2,
    created_at: at,
  };
}

function render(locale: Locale, m: OutboxRow, attempts: AttemptRow[]): string {
  return renderToString(h(MessagePage, { t: tFor(locale), locale, message: m, attempts }));
}

/** The text of the cell in `column` (0-based) of the attempt row with `id`. */
function cell(html: string, id: number, column: number): string {
  const row = html.match(new RegExp(`<tr[^>]*data-attempt="${id}"[^>]*>(.*?)</tr>`, "s"))?.[1];
  assert(row, `attempt ${id} has a row`);
  const cells = [...row.matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((m) => m[1].replace(/<[^>]+>/g, ""));
  return cells[column];
}

Deno.test("[notification pages] a delivered report is the outcome, not an error; a failed one is an error", () => {
  const html = render("en", message(), [
    attempt(1, "sent", null),
    attempt(2, "callback", "delivered"),
    attempt(3, "callback", "bounced: mailbox full"),
    attempt(4, "retry", "timeout"),
  ]);
  // columns: attempt, when, provider, outcome, error, duration
  assertEquals(cell(html, 2, 3), "callback · delivered");
  assertEquals(cell(html, 2, 4), "—");
  assertEquals(cell(html, 3, 3), "callback · bounced");
  assertEquals(cell(html, 3, 4), "mailbox full");
  assertEquals(cell(html, 4, 4), "timeout");
  assertEquals(cell(html, 1, 4), "—");
});

Deno.test("[notification pages] the next attempt shows only while the message waits for one", () => {
  const nextAttempt = (html: string) => html.match(/<dt>Next attempt<\/dt><dd>(.*?)<\/dd>/)?.[1];
  assertEquals(nextAttempt(render("en", message({ status: "delivered" }), [])), "—");
  assertEquals(nextAttempt(render("en", message({ status: "dead" }), [])), "—");
  assertStringIncludes(nextAttempt(render("en", message({ status: "queued" }), []))!, "2026");
  assertStringIncludes(nextAttempt(render("en", message({ status: "held" }), []))!, "2026");
});

Deno.test("[notification pages] a message's number reads in the locale's digits", () => {
  assertStringIncludes(render("fa", message(), []), "<h1>پیام ۳۷</h1>");
  assertStringIncludes(render("en", message(), []), "<h1>Message 37</h1>");
});

Deno.test("[notification pages] without a phone, SMS and WhatsApp each say they need one", () => {
  const prefs: Preferences = {
    channels: { in_app: true, email: true, sms: true, whatsapp: true },
    quietHours: { enabled: false, start: "22:00", end: "08:00", timeZone: "Asia/Tehran" },
    digest: false,
    categories: [{
      key: "money",
      priority: "high",
      channels: { in_app: true, email: true, sms: true, whatsapp: true },
    }],
    phone: null,
  };
  for (const [locale, sms, whatsapp] of [["en", "SMS", "WhatsApp"], ["fa", "پیامک", "واتس‌اپ"]] as const) {
    const html = renderToString(
      h(PreferencesPage, { t: tFor(locale), locale, prefs, timeZones: ["Asia/Tehran"] }),
    );
    const note = (channel: string) => html.match(new RegExp(`id="channel-${channel}-note">(.*?)</p>`))?.[1];
    assertStringIncludes(note("sms")!, sms);
    assertStringIncludes(note("whatsapp")!, whatsapp);
    assert(!note("whatsapp")!.includes(sms), `${locale}: the WhatsApp note names WhatsApp, not SMS`);
    // The grid's unavailable cells are a dash on screen and the word for screen readers.
    const cellHtml = html.match(
      /<td class="num" data-label="[^"]*"><span class="muted"[^>]*>(.*?)<\/span><\/span>/,
    )
      ?.[1];
    assert(cellHtml, "an unavailable cell");
    assertStringIncludes(cellHtml, `aria-hidden="true">—`);
    assertStringIncludes(cellHtml, translate(locale, "notifications.prefs.unavailable"));
  }
});

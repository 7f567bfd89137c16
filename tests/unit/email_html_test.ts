/**
 * A notification email's HTML part (lib/notifications/email_html.ts): the message's direction and language,
 * the subject as heading, the text escaped (a template variable cannot inject markup), addresses as links,
 * blank lines as paragraphs.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { emailHtml } from "../../lib/notifications/email_html.ts";

Deno.test("[email html] Persian reads right to left, English left to right, the subject is the heading", () => {
  const fa = emailHtml({ subject: "دریافت وجه", text: "۴۵٬۰۰۰ تومان از رضا احمدی رسید.", locale: "fa" });
  assert(fa.startsWith('<!doctype html><html lang="fa" dir="rtl">'), fa);
  assertStringIncludes(fa, 'dir="rtl" style="');
  assertStringIncludes(fa, "text-align:right");
  assertStringIncludes(fa, "<title>دریافت وجه</title>");
  assertStringIncludes(fa, ">دریافت وجه</h1>");
  assertStringIncludes(fa, '<p style="margin:0 0 16px">۴۵٬۰۰۰ تومان از رضا احمدی رسید.</p>');
  const en = emailHtml({ subject: "Money received", text: "45,000 tomans arrived.", locale: "en" });
  assert(en.startsWith('<!doctype html><html lang="en" dir="ltr">'), en);
  assertStringIncludes(en, "text-align:left");
});

Deno.test("[email html] the text is escaped: a name or note cannot add markup", () => {
  const html = emailHtml({
    subject: 'Note <b>"x"</b>',
    text: `From <script>alert(1)</script> & "friends" 'too'`,
    locale: "en",
  });
  assert(!html.includes("<script>") && !html.includes("<b>"), html);
  assertStringIncludes(
    html,
    "From &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;friends&quot; &#39;too&#39;",
  );
  assertStringIncludes(html, "<title>Note &lt;b&gt;&quot;x&quot;&lt;/b&gt;</title>");
});

Deno.test("[email html] addresses become links (without the sentence's full stop); lines and paragraphs kept", () => {
  const html = emailHtml({
    subject: "s",
    text: "See https://pishkhan.example/wallet?x=1&y=2.\nSecond line\n\nNew paragraph — پیشخوان",
    locale: "fa",
  });
  assertStringIncludes(
    html,
    '<p style="margin:0 0 16px">See <a href="https://pishkhan.example/wallet?x=1&amp;y=2" style="color:#0f766e">' +
      "https://pishkhan.example/wallet?x=1&amp;y=2</a>.<br>Second line</p>",
  );
  assertStringIncludes(html, '<p style="margin:0 0 16px">New paragraph — پیشخوان</p>');
  assertEquals(html.match(/<p /g)?.length, 2);
  // An address with a quote in it ends there: no attribute can be broken out of.
  const tricky = emailHtml({ subject: "s", text: `https://a.example/"onmouseover="x`, locale: "en" });
  assertStringIncludes(
    tricky,
    '<a href="https://a.example/" style="color:#0f766e">https://a.example/</a>&quot;',
  );
});

Deno.test("[email html] a button to the message's page, escaped like the rest", () => {
  const html = emailHtml({
    subject: "s",
    text: "t",
    locale: "fa",
    action: { label: "مشاهده در پیشخوان", href: 'https://pishkhan.example/tickets/5?a=1&b="2"' },
  });
  assertStringIncludes(
    html,
    '<a href="https://pishkhan.example/tickets/5?a=1&amp;b=&quot;2&quot;" style="display:inline-block;',
  );
  assertStringIncludes(html, ">مشاهده در پیشخوان</a></p></div></body></html>");
  assert(
    !emailHtml({ subject: "s", text: "t", locale: "fa" }).includes("display:inline-block"),
    "no link, no button",
  );
});

/** The sandbox's StartPay pages: a self-contained bilingual payment page and an error page. */
import { html, raw } from "hono/html";

const STYLE = raw(`
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:grid;place-items:center;background:#eef2f7;color:#1f2937;
  font:15px/1.6 Vazirmatn,Tahoma,"Segoe UI",system-ui,sans-serif}
main{width:min(440px,calc(100% - 2rem));background:#fff;border-radius:16px;box-shadow:0 10px 30px #0f172a1a;overflow:hidden}
header{background:#0b5ed7;color:#fff;padding:1rem 1.25rem}
header h1{margin:0;font-size:1.1rem}header p{margin:.2rem 0 0;opacity:.85;font-size:.85rem}
section{padding:1.25rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.5rem 1rem;margin:0 0 1rem}
dt{color:#6b7280;font-size:.85rem}dd{margin:0;font-weight:600;overflow-wrap:anywhere}
.amount{font-size:1.3rem;color:#0b5ed7}.en{display:block;font-weight:400;color:#6b7280;font-size:.85rem}
label{display:block;font-size:.85rem;color:#6b7280;margin-bottom:.3rem}
input{width:100%;padding:.7rem;border:1px solid #cbd5e1;border-radius:10px;font:inherit;letter-spacing:.12em;
  direction:ltr;text-align:center}
.actions{display:grid;grid-template-columns:2fr 1fr 1fr;gap:.5rem;margin-top:1rem}
button{padding:.75rem;border:0;border-radius:10px;font:inherit;font-weight:600;cursor:pointer}
button small{display:block;font-size:.75rem;font-weight:400;opacity:.85}
.pay{background:#16a34a;color:#fff}.fail{background:#fee2e2;color:#b91c1c}.cancel{background:#e5e7eb;color:#374151}
footer{padding:.75rem 1.25rem;background:#f8fafc;color:#94a3b8;font-size:.75rem;direction:ltr;text-align:left}
.error header{background:#b91c1c}`);

export interface StartPayView {
  authority: string;
  amount: number;
  currency: "IRR" | "IRT";
  description: string;
  cardPan: string;
  expiresAt: Date;
}

const fa = new Intl.NumberFormat("fa-IR", { maximumFractionDigits: 1 });
const en = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const tehran = new Intl.DateTimeFormat("sv-SE", {
  timeZone: "Asia/Tehran",
  dateStyle: "short",
  timeStyle: "short",
});

function shell(title: string, body: unknown, className = "") {
  return html`
    <!doctype html>
    <html lang="fa" dir="rtl">
      <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>${title}</title>
        <style>${STYLE}</style>
      </head>
      <body>
        <main class="${className}">${body}</main>
      </body>
    </html>
  `;
}

/** The page a buyer sees at StartPay: amount in tomans and rials, description, card number and three outcomes. */
export function startPayPage(view: StartPayView) {
  const rials = view.currency === "IRT" ? view.amount * 10 : view.amount;
  const tomans = rials / 10;
  return shell(
    "درگاه پرداخت آزمایشی · Zarinpal sandbox",
    html`
      <header>
        <h1>درگاه پرداخت آزمایشی زرین‌پال</h1>
        <p><bdi>Zarinpal sandbox — no real money moves</bdi></p>
      </header>
      <section>
        <dl>
          <dt>مبلغ<span class="en">Amount</span></dt>
          <dd>
            <span class="amount">${fa.format(tomans)} تومان</span>
            <span class="en">${fa.format(rials)} ریال</span>
            <span class="en"><bdi>${en.format(tomans)} tomans · ${en.format(rials)} rials</bdi></span>
          </dd>
          <dt>توضیحات<span class="en">Description</span></dt>
          <dd><bdi>${view.description}</bdi></dd>
          <dt>مهلت<span class="en">Expires</span></dt>
          <dd><bdi>${tehran.format(view.expiresAt)}</bdi><span class="en">Asia/Tehran</span></dd>
        </dl>
        <form method="post">
          <label for="card_pan">شماره کارت · <bdi>Card number</bdi></label>
          <input id="card_pan" name="card_pan" inputmode="numeric" autocomplete="cc-number" maxlength="16"
            value="${view.cardPan}">
          <div class="actions">
            <button class="pay" type="submit" name="action" value="pay">پرداخت<small>Pay</small></button>
            <button class="fail" type="submit" name="action" value="fail">ناموفق<small>Fail</small></button>
            <button class="cancel" type="submit" name="action" value="cancel">انصراف<small>Cancel</small></button>
          </div>
        </form>
      </section>
      <footer>Authority: <code>${view.authority}</code></footer>
    `,
  );
}

/** Shown for an unknown, expired or already finished authority. */
export function errorPage(view: { titleFa: string; titleEn: string; detail: string }) {
  return shell(
    `${view.titleFa} · ${view.titleEn}`,
    html`
      <header>
        <h1>${view.titleFa}</h1>
        <p><bdi>${view.titleEn}</bdi></p>
      </header>
      <section>
        <p><bdi>${view.detail}</bdi></p>
      </section>
    `,
    "error",
  );
}

/** English messages. Keys must match fa.ts (a test checks parity). */
export const en = {
  "app.name": "Pishkhan",
  "app.tagline": "The front desk for businesses that take payments in Iran",
  "nav.home": "Home",
  "nav.signin": "Sign in",
  "nav.language": "Language",
  "nav.skip": "Skip to content",
  "locale.fa": "فارسی",
  "locale.en": "English",
  "home.title": "Wallets, payments and support in one place",
  "home.lead":
    "Pishkhan gives every customer a wallet they top up through Zarinpal, keeps every rial in a double-entry ledger, and answers them through support tickets, email, SMS and WhatsApp.",
  "home.cta.signin": "Sign in",
  "home.cta.learn": "How it works",
  "home.features.title": "What you get",
  "home.feature.wallet.title": "Wallet and ledger",
  "home.feature.wallet.body":
    "Balances, holds and transfers recorded with double entry: every transaction sums to zero and no wallet goes negative.",
  "home.feature.payments.title": "Zarinpal top-ups",
  "home.feature.payments.body":
    "Customers pay through Zarinpal; each payment is verified with the gateway and credited exactly once.",
  "home.feature.support.title": "Support tickets",
  "home.feature.support.body":
    "Customers open tickets, agents reply in a live queue, and response times are tracked against SLAs.",
  "home.feature.notify.title": "Email, SMS and WhatsApp",
  "home.feature.notify.body":
    "Notifications go out through an outbox with retries, so a message is never lost when a provider is down.",
  "home.feature.admin.title": "Admin and reports",
  "home.feature.admin.body":
    "Staff work in a permission-gated admin area with dashboards and CSV or PDF exports; every action is audited.",
  "home.feature.data.title": "Open data",
  "home.feature.data.body":
    "Analysts query read-only SQL views; operators ship schema changes as migrations.",
  "home.preview.title": "Try a top-up amount",
  "home.preview.label": "Amount in tomans",
  "home.preview.rials": "On the wire: {rials} rials",
  "home.preview.invalid": "Enter a whole number of tomans",
  "home.preview.nojs": "Enter an amount to see it in rials (needs JavaScript).",
  "home.footer": "Pishkhan · self-hostable on Supabase",
  "signin.title": "Sign in",
  "signin.soon": "Accounts are being set up. Sign-in opens here shortly.",
  "error.title": "Something went wrong",
  "error.notFound": "This page does not exist.",
  "error.forbidden": "You do not have permission to open this page.",
  "error.badRequest": "The request was not valid.",
  "error.internal": "An unexpected error happened. It was logged; please try again.",
  "error.back": "Back to the home page",
} as const;

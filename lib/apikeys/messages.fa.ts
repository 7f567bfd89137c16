/**
 * Persian messages of API keys: the admin page and the keys' refusals. Keys must match messages.en.ts (a test
 * checks parity); lib/i18n/fa.ts collects them.
 */
export const fa = {
  "admin.apiKeys.title": "کلیدهای API",
  "admin.apiKeys.lead":
    "کلیدهایی که سرویس‌های خودتان با آن‌ها و با درخواست زیر از کیف پول‌ها برداشت می‌کنند. هر کلید به یک حساب واریز می‌کند و کلیدهای یکتایی (Idempotency-Key) آن فقط مال خودش است.",
  "admin.apiKeys.new": "کلید تازه",
  "admin.apiKeys.name": "نام",
  "admin.apiKeys.nameHint": "کدام سرویس از آن استفاده می‌کند، مثلاً «درگاه پیامک».",
  "admin.apiKeys.account": "حساب واریز",
  "admin.apiKeys.accountHint": "برداشت‌ها پول را از کیف پول کاربر به این حساب می‌برند.",
  "admin.apiKeys.scopes": "دسترسی‌ها",
  "admin.apiKeys.scope.charges.create": "برداشت از کیف پول (charges.create)",
  "admin.apiKeys.scope.transfers.batch": "انتقال دسته‌ای میان کیف پول‌ها (transfers.batch)",
  "admin.apiKeys.create": "ساخت کلید",
  "admin.apiKeys.shownOnce":
    "همین حالا این کلید را کپی کنید: فقط یک بار نشان داده می‌شود و بازیابی‌شدنی نیست. آن را به‌عنوان راز سرویس نگه دارید.",
  "admin.apiKeys.column.key": "کلید",
  "admin.apiKeys.column.scopes": "دسترسی‌ها",
  "admin.apiKeys.column.created": "ساخته‌شده",
  "admin.apiKeys.column.lastUsed": "آخرین استفاده",
  "admin.apiKeys.column.status": "وضعیت",
  "admin.apiKeys.never": "هرگز",
  "admin.apiKeys.noScopes": "هیچ",
  "admin.apiKeys.active": "فعال",
  "admin.apiKeys.revoked": "باطل‌شده در {date}",
  "admin.apiKeys.rotate": "چرخش",
  "admin.apiKeys.revoke": "باطل کردن",
  "admin.apiKeys.empty": "هنوز کلید API ای نیست.",
  "admin.apiKeys.notice.revoked": "کلید {prefix}… باطل شد.",
  "admin.apiKeys.notice.created": "کلید {prefix}… ساخته شد.",
  "admin.apiKeys.notice.rotated": "کلید {prefix}… جای کلید قبلی را گرفت و کلید قبلی باطل شد.",
  "admin.home.apiKeys": "ساخت، چرخش و باطل کردن کلیدهایی که سرویس‌ها با آن‌ها از کیف پول‌ها برداشت می‌کنند.",
  "api.error.api_key_required": "این نشانی به کلید API نیاز دارد: Authorization: Bearer pk_live_… بفرستید.",
  "api.error.api_key_invalid": "کلید API ناشناخته یا باطل‌شده است.",
  "api.error.api_key_scope": "این کلید API اجازهٔ این کار را ندارد.",
  "api.error.api_key_not_found": "چنین کلید API ای نیست.",
  "api.error.api_key_revoked": "این کلید API پیش‌تر باطل شده است.",
  "api.error.invalid_api_key_input": "برای کلید نامی از ۱ تا ۸۰ نویسه و دسترسی‌های شناخته‌شده بدهید.",
  "api.error.api_key_account": "کلید فقط می‌تواند به حساب درآمد یا حساب یک پذیرنده واریز کند.",
} as const;

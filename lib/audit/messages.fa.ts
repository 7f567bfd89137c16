/**
 * Persian messages of the audit log: action labels and the admin audit page. Keys must match messages.en.ts
 * (a test checks parity); lib/i18n/fa.ts collects them.
 */
import type { en } from "./messages.en.ts";

export const fa: Record<keyof typeof en, string> = {
  "admin.audit.title": "گزارش رویدادها",
  "admin.audit.filters": "پالایش گزارش رویدادها",
  "admin.audit.actor": "انجام‌دهنده",
  "admin.audit.actorHint": "نشانی ایمیل یا شناسهٔ کاربر.",
  "admin.audit.action": "رویداد",
  "admin.audit.anyAction": "همهٔ رویدادها",
  "admin.audit.target": "موضوع",
  "admin.audit.targetHint": "شناسه یا ایمیل کاربری که رویداد دربارهٔ او بود.",
  "admin.audit.from": "از تاریخ",
  "admin.audit.to": "تا تاریخ",
  "admin.audit.filter": "پالایش",
  "admin.audit.clear": "پاک کردن پالایه‌ها",
  "admin.audit.empty": "رویدادی نیست.",
  "admin.audit.when": "زمان",
  "admin.audit.details": "جزئیات",
  "admin.audit.origin": "IP و درخواست",
  "admin.audit.anonymous": "(بدون ورود)",
  "audit.action.auth.sign_up": "ثبت‌نام",
  "audit.action.auth.sign_in": "ورود",
  "audit.action.auth.sign_in_failed": "ورود ناموفق",
  "audit.action.auth.sign_out": "خروج",
  "audit.action.auth.recovery_requested": "درخواست بازنشانی رمز",
  "audit.action.auth.password_change": "تغییر رمز عبور",
  "audit.action.users.role_change": "تغییر نقش",
  "audit.action.users.ban": "تعلیق",
  "audit.action.users.unban": "لغو تعلیق",
  "audit.action.wallet.adjust": "اصلاح موجودی کیف پول",
  "audit.action.wallet.adjustment_requested": "درخواست اصلاح موجودی (نیازمند تأیید دوم)",
  "audit.action.wallet.adjustment_approved": "تأیید دوم اصلاح موجودی",
  "audit.action.wallet.adjustment_rejected": "رد درخواست اصلاح موجودی",
  "audit.action.withdrawals.first_approval": "تأیید نخست برداشت (نیازمند تأیید دوم)",
  "audit.action.withdrawals.approve": "پرداخت برداشت",
  "audit.action.withdrawals.reject": "رد برداشت",
  "audit.action.payments.refund": "بازپرداخت پرداخت",
  "audit.action.tickets.status_change": "تغییر وضعیت تیکت",
};

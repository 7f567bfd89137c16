/** Persian messages (default locale). Keys must match en.ts (a test checks parity). */
import type { en } from "./en.ts";

export const fa: Record<keyof typeof en, string> = {
  "app.name": "پیشخوان",
  "app.tagline": "پیشخوان کسب‌وکارهایی که در ایران پرداخت می‌گیرند",
  "nav.home": "خانه",
  "nav.signin": "ورود",
  "nav.language": "زبان",
  "nav.skip": "رفتن به محتوا",
  "locale.fa": "فارسی",
  "locale.en": "English",
  "home.title": "کیف پول، پرداخت و پشتیبانی در یک جا",
  "home.lead":
    "پیشخوان به هر مشتری کیف پولی می‌دهد که با زرین‌پال شارژ می‌شود، هر ریال را در دفتر دوطرفه ثبت می‌کند و از راه تیکت پشتیبانی، ایمیل، پیامک و واتس‌اپ پاسخ‌گوی مشتری است.",
  "home.cta.signin": "ورود",
  "home.cta.learn": "چطور کار می‌کند",
  "home.features.title": "آنچه به دست می‌آورید",
  "home.feature.wallet.title": "کیف پول و دفتر کل",
  "home.feature.wallet.body":
    "موجودی، مبالغ مسدود و انتقال‌ها با ثبت دوطرفه نگه داشته می‌شوند: جمع هر تراکنش صفر است و هیچ کیف پولی منفی نمی‌شود.",
  "home.feature.payments.title": "شارژ با زرین‌پال",
  "home.feature.payments.body":
    "مشتری از درگاه زرین‌پال پرداخت می‌کند؛ هر پرداخت نزد درگاه تأیید و دقیقاً یک بار واریز می‌شود.",
  "home.feature.support.title": "تیکت پشتیبانی",
  "home.feature.support.body":
    "مشتری تیکت باز می‌کند، کارشناس در صف زنده پاسخ می‌دهد و زمان پاسخ‌گویی با توافق سطح خدمت سنجیده می‌شود.",
  "home.feature.notify.title": "ایمیل، پیامک و واتس‌اپ",
  "home.feature.notify.body":
    "اعلان‌ها از صف خروجی با تلاش دوباره ارسال می‌شوند تا اگر سرویس‌دهنده‌ای از کار افتاد، پیامی گم نشود.",
  "home.feature.admin.title": "مدیریت و گزارش",
  "home.feature.admin.body":
    "کارکنان در بخش مدیریت با دسترسی‌های تعریف‌شده، داشبورد و خروجی CSV و PDF کار می‌کنند؛ هر کاری ثبت می‌شود.",
  "home.feature.data.title": "داده‌های باز",
  "home.feature.data.body":
    "تحلیلگران از نماهای فقط‌خواندنی SQL پرس‌وجو می‌کنند؛ تغییرات پایگاه داده با مهاجرت منتشر می‌شود.",
  "home.preview.title": "مبلغ شارژ را امتحان کنید",
  "home.preview.label": "مبلغ به تومان",
  "home.preview.rials": "در درگاه: {rials} ریال",
  "home.preview.invalid": "یک عدد صحیح به تومان وارد کنید",
  "home.preview.nojs": "مبلغی وارد کنید تا معادل ریالی آن را ببینید (نیازمند جاوااسکریپت).",
  "home.footer": "پیشخوان · قابل میزبانی روی Supabase",
  "signin.title": "ورود",
  "signin.soon": "حساب‌های کاربری در حال راه‌اندازی است. ورود به‌زودی از همین‌جا ممکن می‌شود.",
  "error.title": "خطایی رخ داد",
  "error.notFound": "این صفحه وجود ندارد.",
  "error.forbidden": "اجازهٔ دیدن این صفحه را ندارید.",
  "error.badRequest": "درخواست معتبر نبود.",
  "error.internal": "خطای پیش‌بینی‌نشده‌ای رخ داد و ثبت شد؛ لطفاً دوباره تلاش کنید.",
  "error.back": "بازگشت به صفحهٔ اصلی",
};

/** Persian messages of the help desk (tickets); the same keys as messages.en.ts. */
import type { en } from "./messages.en.ts";

export const fa: Record<keyof typeof en, string> = {
  "api.error.ticket_not_found": "چنین تیکتی وجود ندارد.",
  "api.error.ticket_invalid_transition": "وضعیت تیکت را نمی‌توان به این وضعیت تغییر داد.",
  "api.error.ticket_not_permitted": "اجازهٔ این کار را روی این تیکت ندارید.",
  "api.error.ticket_internal_not_allowed": "فقط کارشناسان پشتیبانی می‌توانند یادداشت داخلی بنویسند.",
  "api.error.ticket_link_not_owned": "پرداخت یا برداشتی که پیوست کرده‌اید متعلق به شما نیست.",
  "api.error.ticket_reopen_window_closed": "تیکت را فقط تا ۷ روز پس از حل یا بسته شدن می‌توان دوباره باز کرد.",
  "api.error.ticket_already_rated": "شما قبلاً به این تیکت امتیاز داده‌اید.",
  "api.error.ticket_not_ratable": "پس از حل یا بسته شدن تیکت می‌توانید به آن امتیاز دهید.",
  "api.error.ticket_merge_invalid":
    "این تیکت‌ها ادغام نمی‌شوند: باید دو تیکت متفاوت از یک مشتری باشند که هیچ‌کدام قبلاً ادغام نشده باشد.",
  "api.error.ticket_invalid_input": "اطلاعات تیکت معتبر نیست.",
  "api.error.ticket_not_authenticated": "برای استفاده از تیکت‌های پشتیبانی وارد شوید.",
  "api.error.ticket_unknown_department": "چنین دپارتمانی وجود ندارد.",
  "api.error.ticket_invalid_assignee": "این کاربر نمی‌تواند روی تیکت‌ها کار کند.",
  "api.error.ticket_merged": "این تیکت در تیکت دیگری ادغام شده است؛ در آنجا ادامه دهید.",
  "api.error.ticket_closed": "این تیکت بسته است؛ برای پاسخ دادن آن را دوباره باز کنید.",
  // tk-customer: the thread (components/tickets/Thread.tsx) and the customer pages
  "tickets.thread.label": "گفت‌وگو",
  "tickets.thread.internal": "یادداشت داخلی",
  "tickets.thread.attachments": "پیوست‌ها",
};

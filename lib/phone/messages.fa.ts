/** Persian messages of phone sign-in and verification (issue 12). Keys must match messages.en.ts. */
import type { en } from "./messages.en.ts";

export const fa: Record<keyof typeof en, string> = {
  "phone.sms.code": "کد پیشخان: {code}\nاین کد را به هیچ‌کس ندهید. پیشخان هرگز آن را از شما نمی‌خواهد.",
};

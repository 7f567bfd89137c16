/** English messages of phone sign-in and verification (issue 12). Keys must match messages.fa.ts. */
export const en = {
  "phone.sms.code": "Pishkhan code: {code}\nDo not share it with anyone. We will never ask you for it.",
} as const;

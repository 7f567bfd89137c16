/**
 * Iranian banks by the code in a Sheba number (IBAN): the three digits after `IR` and the check digits, as
 * the Central Bank of Iran assigns them (e.g. IR06 017… is Bank Melli). Pure, so the IBAN island shares it.
 */
import { normalizeIban } from "./iban.ts";

export interface Bank {
  code: string;
  fa: string;
  en: string;
}

const BANKS: Record<string, Omit<Bank, "code">> = {
  "010": { fa: "بانک مرکزی جمهوری اسلامی ایران", en: "Central Bank of Iran" },
  "011": { fa: "بانک صنعت و معدن", en: "Bank of Industry and Mine" },
  "012": { fa: "بانک ملت", en: "Bank Mellat" },
  "013": { fa: "بانک رفاه کارگران", en: "Refah Bank" },
  "014": { fa: "بانک مسکن", en: "Bank Maskan" },
  "015": { fa: "بانک سپه", en: "Bank Sepah" },
  "016": { fa: "بانک کشاورزی", en: "Bank Keshavarzi" },
  "017": { fa: "بانک ملی ایران", en: "Bank Melli Iran" },
  "018": { fa: "بانک تجارت", en: "Tejarat Bank" },
  "019": { fa: "بانک صادرات ایران", en: "Bank Saderat Iran" },
  "020": { fa: "بانک توسعه صادرات ایران", en: "Export Development Bank of Iran" },
  "021": { fa: "پست بانک ایران", en: "Post Bank of Iran" },
  "022": { fa: "بانک توسعه تعاون", en: "Tose'e Ta'avon Bank" },
  "051": { fa: "مؤسسه اعتباری توسعه", en: "Tose'e Credit Institution" },
  "052": { fa: "بانک قوامین", en: "Ghavamin Bank" },
  "053": { fa: "بانک کارآفرین", en: "Karafarin Bank" },
  "054": { fa: "بانک پارسیان", en: "Parsian Bank" },
  "055": { fa: "بانک اقتصاد نوین", en: "EN Bank (Eghtesad Novin)" },
  "056": { fa: "بانک سامان", en: "Saman Bank" },
  "057": { fa: "بانک پاسارگاد", en: "Pasargad Bank" },
  "058": { fa: "بانک سرمایه", en: "Sarmayeh Bank" },
  "059": { fa: "بانک سینا", en: "Sina Bank" },
  "060": { fa: "بانک قرض‌الحسنه مهر ایران", en: "Mehr Iran Bank" },
  "061": { fa: "بانک شهر", en: "City Bank (Shahr)" },
  "062": { fa: "بانک آینده", en: "Ayandeh Bank" },
  "063": { fa: "بانک انصار", en: "Ansar Bank" },
  "064": { fa: "بانک گردشگری", en: "Tourism Bank (Gardeshgari)" },
  "065": { fa: "بانک حکمت ایرانیان", en: "Hekmat Iranian Bank" },
  "066": { fa: "بانک دی", en: "Dey Bank" },
  "069": { fa: "بانک ایران‌زمین", en: "Iran Zamin Bank" },
  "070": { fa: "بانک قرض‌الحسنه رسالت", en: "Resalat Bank" },
  "073": { fa: "مؤسسه اعتباری کوثر", en: "Kosar Credit Institution" },
  "075": { fa: "مؤسسه اعتباری ملل", en: "Melal Credit Institution" },
  "078": { fa: "بانک خاورمیانه", en: "Middle East Bank" },
  "079": { fa: "بانک مهر اقتصاد", en: "Mehr Eghtesad Bank" },
  "080": { fa: "مؤسسه اعتباری نور", en: "Noor Credit Institution" },
  "095": { fa: "بانک ایران و ونزوئلا", en: "Iran-Venezuela Bi-National Bank" },
};

/** The bank of an IBAN as typed (any digits, spaces, with or without IR), once its bank code is there. */
export function bankOf(iban: string): Bank | undefined {
  // While it is typed, digits without IR are already a Sheba number's start.
  const match = /^(?:IR)?\d{2}(\d{3})/.exec(normalizeIban(iban));
  const bank = match && BANKS[match[1]];
  return bank ? { code: match[1], ...bank } : undefined;
}

/** The bank's name in `locale`, or undefined for an unknown code. */
export function bankName(iban: string, locale: "fa" | "en"): string | undefined {
  return bankOf(iban)?.[locale];
}

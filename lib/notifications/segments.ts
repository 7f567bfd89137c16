/**
 * SMS length in segments (3GPP 23.040): text that fits the GSM 7-bit default alphabet (with its extension table,
 * whose characters take two septets) is 160 septets in one message, 153 per part when split; anything else —
 * any Persian letter — is UCS-2: 70 characters in one message, 67 per part, a character outside the BMP (emoji)
 * counting as two.
 */
const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENDED = "^{}\\[~]|€\f";
const BASIC = new Set(GSM_BASIC);
const EXTENDED = new Set(GSM_EXTENDED);

export interface SmsLength {
  encoding: "GSM-7" | "UCS-2";
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
  /** Units that fit one segment at this length (160/153 or 70/67). */
  perSegment: number;
}

export function smsLength(text: string): SmsLength {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (BASIC.has(ch)) septets += 1;
    else if (EXTENDED.has(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) {
    const perSegment = septets <= 160 ? 160 : 153;
    return {
      encoding: "GSM-7",
      units: septets,
      segments: septets === 0 ? 0 : Math.ceil(septets / perSegment),
      perSegment,
    };
  }
  const units = text.length; // UTF-16 code units: a non-BMP character is two
  const perSegment = units <= 70 ? 70 : 67;
  return { encoding: "UCS-2", units, segments: Math.ceil(units / perSegment), perSegment };
}

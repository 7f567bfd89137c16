/** Parsing amounts typed in tomans on wallet forms: Persian/Arabic digits and group separators accepted. */
import { text } from "../../lib/http/schemas.ts";

/** Persian and Arabic-Indic digits to ASCII; spaces and group separators dropped. */
export function asciiDigits(text: string): string {
  return text.replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660)).replace(/[\s,٬،_]/g, "")
    .replace(/^[−–]/, "-");
}

/** A positive whole number of tomans (up to 10^14, i.e. 10^15 rials), as rials. */
export const tomansField = text().transform(asciiDigits).pipe(
  text().regex(/^[0-9]{1,15}$/, "form.error.amountTomans").transform((v) => BigInt(v) * 10n)
    .refine((rials) => rials >= 10n && rials <= 1_000_000_000_000_000n, "form.error.amountTomans"),
);

/** A signed, non-zero whole number of tomans (staff adjustments), as rials. */
export const signedTomansField = text().transform(asciiDigits).pipe(
  text().regex(/^-?[0-9]{1,15}$/, "form.error.signedTomans").transform((v) => BigInt(v) * 10n)
    .refine((rials) => rials !== 0n && rials <= 1_000_000_000_000_000n && rials >= -1_000_000_000_000_000n, {
      message: "form.error.signedTomans",
    }),
);

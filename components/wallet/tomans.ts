/** Parsing amounts typed in tomans on wallet forms: Persian/Arabic digits and group separators accepted. */
import { text } from "../../lib/http/schemas.ts";
import type { MessageKey } from "../../lib/i18n/mod.ts";

/** Persian and Arabic-Indic digits to ASCII; spaces and group separators dropped. */
export function asciiDigits(text: string): string {
  return text.replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660)).replace(/[\s,٬،_]/g, "")
    .replace(/^[−–]/, "-");
}

/**
 * A positive whole number of tomans (up to 10^14, i.e. 10^15 rials), as rials. An empty (or missing) field is
 * its own error, "enter an amount", shown beside the field in the page's language.
 */
export const tomansField = text().optional().transform((v) => asciiDigits(v ?? "")).pipe(
  text().min(1, "form.error.amountRequired").regex(/^[0-9]{1,15}$/, "form.error.amountTomans")
    .transform((v) => BigInt(v) * 10n)
    .refine((rials) => rials >= 10n && rials <= 1_000_000_000_000_000n, "form.error.amountTomans"),
);

/**
 * tomansField with a configured minimum in rials (read when the form is checked); below it the field's error
 * is `message`, a text with an {amount} placeholder the page fills with the minimum.
 */
export function tomansAtLeast(minimumRials: () => number, message: MessageKey) {
  return tomansField.refine((rials) => rials >= BigInt(minimumRials()), message);
}

/** A signed, non-zero whole number of tomans (staff adjustments), as rials. */
export const signedTomansField = text().transform(asciiDigits).pipe(
  text().regex(/^-?[0-9]{1,15}$/, "form.error.signedTomans").transform((v) => BigInt(v) * 10n)
    .refine((rials) => rials !== 0n && rials <= 1_000_000_000_000_000n && rials >= -1_000_000_000_000_000n, {
      message: "form.error.signedTomans",
    }),
);

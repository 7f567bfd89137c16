/** Live toman → rial preview with signals: shows what the gateway will receive for a typed amount. */
import { useComputed, useSignal } from "@preact/signals";

export interface AmountPreviewProps extends Record<string, unknown> {
  locale: "fa" | "en";
  label: string;
  rialsTemplate: string;
  invalidText: string;
  noJsText: string;
}

const toLatinDigits = (text: string) =>
  text.replace(/[۰-۹]/g, (d) => String("۰۱۲۳۴۵۶۷۸۹".indexOf(d))).replace(/[٬,\s]/g, "");

export function AmountPreview({ locale, label, rialsTemplate, invalidText, noJsText }: AmountPreviewProps) {
  const typed = useSignal("");
  const hydrated = typeof window !== "undefined";
  const message = useComputed(() => {
    const digits = toLatinDigits(typed.value);
    if (!digits) return hydrated ? "" : noJsText;
    if (!/^\d{1,12}$/.test(digits)) return invalidText;
    const rials = BigInt(digits) * 10n;
    const formatted = new Intl.NumberFormat(locale === "fa" ? "fa-IR" : "en-US").format(rials);
    return rialsTemplate.replace("{rials}", formatted);
  });
  return (
    <div class="amount-preview" data-ready={hydrated ? "true" : "false"}>
      <label for="amount-preview-input">{label}</label>
      <input
        id="amount-preview-input"
        inputMode="numeric"
        autoComplete="off"
        value={typed.value}
        onInput={(event) => typed.value = (event.target as HTMLInputElement).value}
        aria-describedby="amount-preview-output"
      />
      <output id="amount-preview-output" aria-live="polite">{message.value}</output>
    </div>
  );
}

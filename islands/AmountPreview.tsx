/**
 * Live toman → rial preview with signals: shows what a typed amount means as it is typed. On the home page it
 * brings its own input; inside a form (components/ui/AmountField.tsx) it renders the form's own amount input,
 * so the form posts the same field with or without JavaScript.
 */
import { useComputed, useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { numberFormat } from "../lib/i18n/format.ts";

/** The form's amount input, when the preview is part of a form (every attribute the server renders). */
export interface AmountInputProps {
  id: string;
  name: string;
  value?: string;
  maxLength?: number;
  required?: boolean;
  invalid?: boolean;
  describedBy?: string;
  autoFocus?: boolean;
  /** A signed amount (staff adjustments): a text keyboard, since numeric ones have no minus key. */
  signed?: boolean;
}

export interface AmountPreviewProps extends Record<string, unknown> {
  locale: "fa" | "en";
  /** The label of the home page's own input (a form field brings its own label). */
  label?: string;
  rialsTemplate: string;
  invalidText: string;
  noJsText: string;
  input?: AmountInputProps;
}

const toLatinDigits = (text: string) =>
  text.replace(/[۰-۹]/g, (d) => String("۰۱۲۳۴۵۶۷۸۹".indexOf(d)))
    .replace(/[٠-٩]/g, (d) => String("٠١٢٣٤٥٦٧٨٩".indexOf(d))).replace(/[٬,،_\s]/g, "");

export function AmountPreview(
  { locale, label, rialsTemplate, invalidText, noJsText, input }: AmountPreviewProps,
) {
  const typed = useSignal(input?.value ?? "");
  const field = useRef<HTMLInputElement>(null);
  const hydrated = typeof window !== "undefined";
  // What was typed before hydration stays in the input: the preview starts from it.
  useEffect(() => {
    if (field.current && field.current.value !== typed.value) typed.value = field.current.value;
  }, []);
  const message = useComputed(() => {
    const digits = toLatinDigits(typed.value);
    if (!digits) return hydrated ? "" : noJsText;
    if (!/^-?\d{1,15}$/.test(digits)) return invalidText;
    const rials = BigInt(digits) * 10n;
    const formatted = numberFormat(locale === "fa" ? "fa-IR" : "en-US").format(rials);
    return rialsTemplate.replace("{rials}", formatted);
  });
  const id = input?.id ?? "amount-preview-input";
  const outputId = input ? `${input.id}-preview` : "amount-preview-output";
  return (
    <div class="amount-preview" data-ready={hydrated ? "true" : "false"}>
      {!input && <label for={id}>{label}</label>}
      <input
        ref={field}
        id={id}
        name={input?.name}
        inputMode={input?.signed ? "text" : "numeric"}
        autoComplete="off"
        dir={input ? "ltr" : undefined}
        maxLength={input?.maxLength}
        required={input?.required}
        autoFocus={input?.autoFocus}
        value={typed.value}
        onInput={(event) => typed.value = (event.target as HTMLInputElement).value}
        aria-invalid={input?.invalid ? "true" : undefined}
        aria-describedby={input ? input.describedBy : outputId}
      />
      <output id={outputId} aria-live="polite">{message.value}</output>
    </div>
  );
}

/**
 * The toman amount input of every money form (transfer, withdrawal, top-up, staff adjustment): label, hint and
 * error tied to the input as components/forms/Field.tsx does, numeric keyboard, left-to-right, Persian or
 * Latin digits (parsed on the server by components/wallet/tomans.ts), and a live preview of the amount in rials
 * (the AmountPreview island renders the input itself, so forms post the same field with or without JavaScript).
 */
import { AmountPreviewIsland } from "../islands.ts";
import { describedBy, FieldError, FieldHint } from "../forms/Field.tsx";
import type { I18n } from "./types.ts";

export interface AmountFieldProps extends I18n {
  id: string;
  label: string;
  name?: string;
  value?: string;
  hint?: string;
  error?: string;
  maxLength?: number;
  required?: boolean;
  autoFocus?: boolean;
}

export function AmountField(props: AmountFieldProps) {
  const { t, locale, id } = props;
  return (
    <div class="field amount-field">
      <label for={id}>{props.label}</label>
      <FieldHint id={id} text={props.hint} />
      <AmountPreviewIsland
        locale={locale}
        rialsTemplate={t("form.amount.rials")}
        invalidText={t("form.error.amountTomans")}
        noJsText=""
        input={{
          id,
          name: props.name ?? "tomans",
          value: props.value ?? "",
          maxLength: props.maxLength ?? 25,
          required: props.required ?? true,
          invalid: !!props.error,
          describedBy: describedBy(id, props.hint, props.error),
          autoFocus: props.autoFocus,
        }}
      />
      <FieldError id={id} text={props.error} />
    </div>
  );
}

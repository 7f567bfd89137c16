/**
 * The Sheba (IBAN) input of the withdrawal form with the bank's name beside it, named from the bank code as it
 * is typed (Persian or Latin digits, spaces, with or without IR). The server renders the same input and the
 * name of the bank of the value it was given, so the form posts and names the bank without JavaScript.
 */
import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { bankOf } from "../lib/wallet/banks.ts";

export interface IbanInputProps extends Record<string, unknown> {
  locale: "fa" | "en";
  id: string;
  name: string;
  value: string;
  maxLength: number;
  required?: boolean;
  invalid?: boolean;
  describedBy?: string;
  autoFocus?: boolean;
}

export function IbanInput(props: IbanInputProps) {
  const typed = useSignal(props.value);
  const field = useRef<HTMLInputElement>(null);
  // What was typed before hydration stays in the input: the bank name starts from it.
  useEffect(() => {
    if (field.current && field.current.value !== typed.value) typed.value = field.current.value;
  }, []);
  const bank = bankOf(typed.value);
  return (
    <>
      <input
        ref={field}
        id={props.id}
        name={props.name}
        type="text"
        dir="ltr"
        inputMode="text"
        autoComplete="off"
        spellcheck={false}
        maxLength={props.maxLength}
        required={props.required}
        autoFocus={props.autoFocus}
        value={typed.value}
        onInput={(event) => typed.value = (event.target as HTMLInputElement).value}
        aria-invalid={props.invalid ? "true" : undefined}
        aria-describedby={[props.describedBy, `${props.id}-bank`].filter(Boolean).join(" ")}
      />
      <output id={`${props.id}-bank`} class="bank-name" aria-live="polite" data-bank={bank?.code}>
        {bank?.[props.locale] ?? ""}
      </output>
    </>
  );
}

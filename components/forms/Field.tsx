/** Accessible form fields: a label for every control, hints and errors tied to it with aria-describedby. */
import type { JSX } from "preact";
import { Notice } from "../ui/Notice.tsx";

export interface FieldProps {
  name: string;
  label: string;
  id?: string;
  type?: "text" | "email" | "password" | "tel" | "search" | "date";
  value?: string;
  hint?: string;
  error?: string;
  required?: boolean;
  autoComplete?: string;
  inputMode?: JSX.HTMLAttributes<HTMLInputElement>["inputMode"];
  dir?: "ltr" | "rtl" | "auto";
  maxLength?: number;
  autoFocus?: boolean;
}

/** The ids a control's aria-describedby lists: hint first, then error (both shown under the control). */
export function describedBy(id: string, hint?: string, error?: string): string | undefined {
  return [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
}

export function FieldHint({ id, text }: { id: string; text?: string }) {
  return text ? <p class="hint" id={`${id}-hint`}>{text}</p> : null;
}

export function FieldError({ id, text }: { id: string; text?: string }) {
  return text ? <p class="field-error" id={`${id}-error`}>{text}</p> : null;
}

export function TextField(props: FieldProps) {
  const id = props.id ?? `field-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        value={props.value ?? ""}
        required={props.required}
        autoComplete={props.autoComplete}
        inputMode={props.inputMode}
        dir={props.dir}
        maxLength={props.maxLength}
        autoFocus={props.autoFocus}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
      />
      <FieldHint id={id} text={props.hint} />
      <FieldError id={id} text={props.error} />
    </div>
  );
}

export interface SelectFieldProps {
  name: string;
  label: string;
  id?: string;
  value?: string;
  options: { value: string; label: string; lang?: string }[];
  hint?: string;
  error?: string;
}

export function SelectField(props: SelectFieldProps) {
  const id = props.id ?? `field-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select
        id={id}
        name={props.name}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
      >
        {props.options.map((option) => (
          <option value={option.value} selected={option.value === props.value} lang={option.lang}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldHint id={id} text={props.hint} />
      <FieldError id={id} text={props.error} />
    </div>
  );
}

export function CheckboxField(props: { name: string; label: string; checked: boolean; id?: string }) {
  const id = props.id ?? `field-${props.name}`;
  return (
    <div class="checkbox">
      <input id={id} type="checkbox" name={props.name} value="on" checked={props.checked} />
      <label for={id}>{props.label}</label>
    </div>
  );
}

/** The message at the top of a form: an error summary (role=alert) or a notice (role=status). */
export function FormAlert(
  { kind, text, id }: { kind: "error" | "success" | "info"; text?: string; id?: string },
) {
  return <Notice kind={kind} text={text} id={id} />;
}

/** A hidden input repeating a value across a post (e.g. where to go after signing in). */
export function Hidden({ name, value }: { name: string; value?: string }) {
  return value ? <input type="hidden" name={name} value={value} /> : null;
}

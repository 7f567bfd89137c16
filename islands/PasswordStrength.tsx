/** A new-password field whose rule list ticks off as you type; without JS the same list is a plain hint. */
import { useComputed, useSignal } from "@preact/signals";
import {
  checkPassword,
  PASSWORD_RULES,
  type PasswordRule,
  type PasswordStrength as Strength,
  passwordStrength,
} from "../lib/auth/password_rules.ts";

export interface PasswordStrengthProps extends Record<string, unknown> {
  id: string;
  name: string;
  label: string;
  rulesTitle: string;
  ruleLabels: Record<PasswordRule, string>;
  metText: string;
  unmetText: string;
  strengthLabel: string;
  strengthNames: Record<Strength, string>;
  error?: string;
}

export function PasswordStrength(props: PasswordStrengthProps) {
  const { id, error } = props;
  const value = useSignal("");
  const hydrated = typeof document !== "undefined";
  const checks = useComputed(() => checkPassword(value.value));
  const strength = useComputed(() => passwordStrength(value.value));
  const typed = hydrated && value.value.length > 0;
  return (
    <div class="field password-field" data-ready={hydrated ? "true" : "false"}>
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type="password"
        autoComplete="new-password"
        required
        dir="ltr"
        value={value.value}
        onInput={(event) => value.value = (event.target as HTMLInputElement).value}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={`${id}-rules${error ? ` ${id}-error` : ""}`}
      />
      {error && <p class="field-error" id={`${id}-error`}>{error}</p>}
      <div id={`${id}-rules`} class="password-rules">
        <p class="hint">{props.rulesTitle}</p>
        <ul>
          {PASSWORD_RULES.map((rule) => {
            const state = typed ? (checks.value[rule] ? "met" : "unmet") : "pending";
            return (
              <li data-rule={rule} data-state={state}>
                <span class="rule-mark" aria-hidden="true">{state === "met" ? "✓" : "•"}</span>
                <span>{props.ruleLabels[rule]}</span>
                {typed && (
                  <span class="visually-hidden">{checks.value[rule] ? props.metText : props.unmetText}</span>
                )}
              </li>
            );
          })}
        </ul>
      </div>
      {hydrated && (
        <p class="password-meter" data-strength={typed ? strength.value : "none"}>
          <span>
            {props.strengthLabel}{" "}
            <output for={id} aria-live="polite">{typed ? props.strengthNames[strength.value] : ""}</output>
          </span>
          <span class="meter-bar" aria-hidden="true">
            <span></span>
          </span>
        </p>
      )}
    </div>
  );
}

/**
 * "Confirm it's you": the account password asked again inside a money form (withdrawals, large transfers).
 * Plain HTML, so it works without JavaScript; the server checks it before the money moves.
 */
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { TextField } from "../forms/Field.tsx";

export interface ReauthState {
  /** An i18n key explaining why the last attempt failed. */
  error?: MessageKey;
}

export function ReauthField(
  { t, id, state, minutes }: {
    t: (key: MessageKey, params?: Record<string, string | number>) => string;
    id: string;
    state: ReauthState;
    /** How long the confirmation lasts, shown in the hint. */
    minutes: string;
  },
) {
  return (
    <fieldset class="fieldset reauth" aria-describedby={`${id}-lead`}>
      <legend>{t("auth.reauth.title")}</legend>
      <p id={`${id}-lead`} class="muted small">{t("auth.reauth.lead", { minutes })}</p>
      <TextField
        name="current_password"
        id={id}
        type="password"
        label={t("auth.reauth.password")}
        hint={t("auth.reauth.hint")}
        error={state.error && t(state.error)}
        autoComplete="current-password"
        dir="ltr"
        maxLength={200}
        required
        autoFocus={!!state.error}
      />
    </fieldset>
  );
}

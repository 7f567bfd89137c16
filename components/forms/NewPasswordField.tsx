/** The new-password field with its rules, as the PasswordStrength island (inline feedback when JS runs). */
import type { MessageKey } from "../../lib/i18n/mod.ts";
import { PasswordStrengthIsland } from "../islands.ts";

export function NewPasswordField(
  { t, name = "password", label, error }: {
    t: (key: MessageKey) => string;
    name?: string;
    label: string;
    error?: string;
  },
) {
  return (
    <PasswordStrengthIsland
      id={`field-${name}`}
      name={name}
      label={label}
      error={error}
      rulesTitle={t("password.rules.title")}
      ruleLabels={{
        length: t("password.rule.length"),
        lower: t("password.rule.lower"),
        upper: t("password.rule.upper"),
        digit: t("password.rule.digit"),
      }}
      metText={t("password.rule.met")}
      unmetText={t("password.rule.unmet")}
      strengthLabel={t("password.strength.label")}
      strengthNames={{
        weak: t("password.strength.weak"),
        fair: t("password.strength.fair"),
        good: t("password.strength.good"),
        strong: t("password.strength.strong"),
      }}
    />
  );
}

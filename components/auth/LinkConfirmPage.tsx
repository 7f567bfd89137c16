/**
 * "Continue with this emailed link?": a GET from an email never signs anyone in by itself (a link someone else
 * sent could sign this browser into their account). The button POSTs, which the origin check guards, and a
 * browser that is already signed in is told whose session the link would replace.
 */
import { LANDING } from "../../lib/auth/fields.ts";
import type { MessageKey } from "../../lib/i18n/mod.ts";
import type { EmailLinkType } from "../../lib/auth/sign_in.ts";

const SUBMIT: Record<EmailLinkType, MessageKey> = {
  magiclink: "auth.linkConfirm.submit.signin",
  email: "auth.linkConfirm.submit.signin",
  signup: "auth.linkConfirm.submit.confirm",
  invite: "auth.linkConfirm.submit.confirm",
  recovery: "auth.linkConfirm.submit.recovery",
  email_change: "auth.linkConfirm.submit.emailChange",
};

const MARK = "\u0000";

/** The sentence with the address isolated left-to-right, so it does not break apart inside Persian text. */
function SignedInAs({ text, who }: { text: string; who: string }) {
  const [before, after = ""] = text.split(MARK);
  return (
    <>
      {before}
      <bdi dir="ltr" class="ltr-inline">{who}</bdi>
      {after}
    </>
  );
}

export interface LinkConfirmPageProps {
  t: (key: MessageKey, params?: Record<string, string>) => string;
  tokenHash: string;
  type: EmailLinkType;
  /** The address of the account this browser is signed in to, if any. */
  signedInAs?: string;
}

export function LinkConfirmPage({ t, tokenHash, type, signedInAs }: LinkConfirmPageProps) {
  return (
    <section class="card narrow auth-card link-confirm" aria-labelledby="link-confirm-title">
      <h1 id="link-confirm-title">{t("auth.linkConfirm.title")}</h1>
      <p class="lead">{t("auth.linkConfirm.lead")}</p>
      {signedInAs && (
        <p class="alert alert-warning" role="status">
          <SignedInAs text={t("auth.linkConfirm.signedIn", { email: MARK })} who={signedInAs} />
        </p>
      )}
      <form method="post" action="/auth/callback">
        <input type="hidden" name="token_hash" value={tokenHash} />
        <input type="hidden" name="type" value={type} />
        <div class="form-actions">
          <button type="submit">{t(SUBMIT[type])}</button>
          {signedInAs
            ? <a href={LANDING}>{t("auth.linkConfirm.stay")}</a>
            : <a href="/signin">{t("auth.backToSignin")}</a>}
        </div>
      </form>
      <p class="muted small">{t("auth.linkConfirm.hint")}</p>
    </section>
  );
}

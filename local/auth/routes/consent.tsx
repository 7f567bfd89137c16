/**
 * The emulated provider's consent page (stands in for github.com / accounts.google.com): pick the email to
 * sign in as, then back to /callback with a code, or with error=access_denied on cancel.
 */
import type { Hono } from "hono";
import { renderToString } from "preact-render-to-string";
import type { AuthEnv, Emulator } from "../context.ts";
import { validationFailed } from "../errors.ts";
import {
  EMULATED_PROVIDERS,
  type EmulatedProvider,
  issueProviderCode,
  PROVIDER_LABELS,
} from "../oauth_provider.ts";
import { withQuery } from "../urls.ts";
import { validateEmail } from "../validate.ts";

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;background:#f6f8fa;color:#1f2328;margin:0}
main{max-width:360px;margin:10vh auto;background:#fff;border:1px solid #d0d7de;border-radius:12px;padding:24px}
label{display:block;margin:12px 0 4px;font-weight:600}input{width:100%;box-sizing:border-box;padding:8px;
border:1px solid #d0d7de;border-radius:6px;font:inherit}button{width:100%;margin-top:16px;padding:10px;border:0;
border-radius:6px;font:inherit;cursor:pointer}.go{background:#1f883d;color:#fff}.no{background:#eaeef2}
.note{font-size:13px;color:#656d76}.error{color:#d1242f}`;

/** Keeps the button label in step with the email field (the page also works without it). */
const SCRIPT = `document.querySelector("input[name=email]").addEventListener("input",e=>{
document.querySelector("#go").textContent="Continue as "+(e.target.value||"…")})`;

interface PageProps {
  provider: EmulatedProvider;
  state: string;
  redirectUri: string;
  email: string;
  name: string;
  error?: string;
}

function ConsentPage(p: PageProps) {
  const label = PROVIDER_LABELS[p.provider];
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Sign in with {label}</title>
        <style>{STYLE}</style>
      </head>
      <body>
        <main>
          <h1>Sign in with {label}</h1>
          <p class="note">
            Local emulator of {label}: no password, no network. Pishkhan will receive this email.
          </p>
          {p.error && <p class="error" role="alert">{p.error}</p>}
          <form method="post">
            <input type="hidden" name="state" value={p.state} />
            <input type="hidden" name="redirect_uri" value={p.redirectUri} />
            <label for="email">Email</label>
            <input id="email" name="email" type="email" value={p.email} required autocomplete="email" />
            <label for="name">Name</label>
            <input id="name" name="name" value={p.name} autocomplete="name" />
            <button id="go" class="go" name="decision" value="allow" type="submit">
              Continue as {p.email}
            </button>
            <button class="no" name="decision" value="deny" type="submit" formnovalidate>Cancel</button>
          </form>
        </main>
        <script dangerouslySetInnerHTML={{ __html: SCRIPT }} />
      </body>
    </html>
  );
}

function page(props: PageProps) {
  return "<!doctype html>" + renderToString(<ConsentPage {...props} />);
}

/** Only this emulator's own /callback may receive the codes. */
function checkRedirectUri(emu: Emulator, uri: string): string {
  if (uri !== `${emu.externalUrl}/callback`) {
    throw validationFailed("redirect_uri does not match the callback URL");
  }
  return uri;
}

function providerOf(name: string): EmulatedProvider {
  if (!EMULATED_PROVIDERS.includes(name as EmulatedProvider)) {
    throw validationFailed(`Unknown provider ${name}`);
  }
  return name as EmulatedProvider;
}

export function consentRoutes(app: Hono<AuthEnv>) {
  app.get("/_emulator/oauth/:provider/authorize", (c) => {
    const provider = providerOf(c.req.param("provider"));
    const redirectUri = checkRedirectUri(c.get("emu"), c.req.query("redirect_uri") ?? "");
    const email = c.req.query("login_hint") ?? `someone@${provider}.local`;
    return c.html(page({ provider, state: c.req.query("state") ?? "", redirectUri, email, name: "" }));
  });

  app.post("/_emulator/oauth/:provider/authorize", async (c) => {
    const emu = c.get("emu");
    const provider = providerOf(c.req.param("provider"));
    const form = Object.fromEntries(await c.req.formData()) as Record<string, string>;
    const redirectUri = checkRedirectUri(emu, form.redirect_uri ?? "");
    const state = form.state ?? "";
    if (form.decision === "deny") {
      return c.redirect(
        withQuery(redirectUri, {
          error: "access_denied",
          error_description: "The user has denied your application access.",
          state,
        }),
        302,
      );
    }
    let email: string;
    try {
      email = validateEmail(form.email?.trim());
    } catch (error) {
      const props = { provider, state, redirectUri, email: form.email ?? "", name: form.name ?? "" };
      return c.html(page({ ...props, error: (error as Error).message }), 400);
    }
    const code = await issueProviderCode(emu, provider, email, form.name?.trim() ?? "");
    return c.redirect(withQuery(redirectUri, { code, state }), 302);
  });
}

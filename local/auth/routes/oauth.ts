/** GET /authorize and GET|POST /callback (external.go) for the emulated GitHub and Google providers. */
import type { Context, Hono } from "hono";
import type { AuthEnv, Emulator } from "../context.ts";
import { AuthError, badRequest, OAuthError, validationFailed } from "../errors.ts";
import { grantParams } from "../guards.ts";
import { accountFromExternalIdentity } from "../oauth_accounts.ts";
import {
  DEFAULT_SCOPES,
  EMULATED_PROVIDERS,
  type EmulatedProvider,
  redeemProviderCode,
} from "../oauth_provider.ts";
import { createFlowState, type FlowStateRow, isFlowStateExpired, validatePkceParams } from "../pkce.ts";
import { redirectTarget } from "../request.ts";
import { issueSession, type TokenResponse } from "../sessions.ts";
import { oauthErrorName, withFragment, withQuery } from "../urls.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACCESS_DENIED_CODES = ["signup_disabled", "user_banned", "provider_email_needs_verification"];

/** getErrorQueryString: the error, error_code and error_description a failed callback reports. */
function errorFields(error: unknown): Record<string, string> {
  if (error instanceof OAuthError) return { error: error.error, error_description: error.description };
  if (!(error instanceof AuthError)) return { error: "server_error", error_description: String(error) };
  const name = ACCESS_DENIED_CODES.includes(error.code) ? "access_denied" : oauthErrorName(error.status);
  return { error: name ?? "server_error", error_code: error.code, error_description: error.message };
}

/** loadFlowState: the state parameter names a live flow state, else a 303 to the site URL with the error. */
async function loadFlowState(emu: Emulator, state: string): Promise<FlowStateRow> {
  if (!state) throw badRequest("bad_oauth_callback", "OAuth state parameter missing");
  if (!UUID.test(state)) throw badRequest("bad_oauth_state", "OAuth state parameter is invalid");
  const [flow] = await emu.sql<FlowStateRow[]>`select * from auth.flow_state where id = ${state}`;
  if (!flow) throw badRequest("bad_oauth_state", "OAuth state not found or expired");
  if (isFlowStateExpired(emu, flow)) throw badRequest("bad_oauth_state", "OAuth state has expired");
  if (flow.code_challenge && flow.user_id) {
    throw badRequest("flow_state_already_used", "State has already been used");
  }
  return flow;
}

async function callback(c: Context<AuthEnv>) {
  const emu = c.get("emu");
  const form = c.req.method === "POST"
    ? Object.fromEntries(await c.req.formData()) as Record<string, string>
    : {};
  const param = (name: string) => c.req.query(name) ?? form[name] ?? "";
  let flow: FlowStateRow;
  try {
    flow = await loadFlowState(emu, param("state"));
  } catch (error) {
    return c.redirect(withQuery(emu.config.siteUrl, errorFields(error)), 303);
  }
  const target = flow.referrer || emu.config.siteUrl;
  try {
    if (param("error")) throw new OAuthError(param("error"), param("error_description"));
    if (!param("code")) {
      throw badRequest("bad_oauth_callback", "OAuth callback with missing authorization code missing");
    }
    const ext = await redeemProviderCode(emu, flow.provider_type, param("code"));
    const outcome = await emu.sql.begin(
      async (tx): Promise<{ code: string } | { session: TokenResponse }> => {
        const user = await accountFromExternalIdentity(tx, emu, ext);
        if (flow.code_challenge) {
          await tx`update auth.flow_state set provider_access_token = ${ext.accessToken},
          provider_refresh_token = ${ext.refreshToken ?? null}, user_id = ${user.id},
          auth_code_issued_at = ${emu.now()}, updated_at = ${emu.now()} where id = ${flow.id}`;
          return { code: flow.auth_code! };
        }
        const session = await issueSession(tx, emu, user, "oauth", grantParams(c));
        await tx`delete from auth.flow_state where id = ${flow.id}`;
        return { session };
      },
    );
    if ("code" in outcome) return c.redirect(withQuery(target, { code: outcome.code }), 302);
    const s = outcome.session;
    return c.redirect(
      withFragment(target, {
        access_token: s.access_token,
        expires_at: String(s.expires_at),
        expires_in: String(s.expires_in),
        provider_token: ext.accessToken,
        ...(ext.refreshToken ? { provider_refresh_token: ext.refreshToken } : {}),
        refresh_token: s.refresh_token,
        sb: "",
        token_type: s.token_type,
      }),
      302,
    );
  } catch (error) {
    if (!(error instanceof AuthError) && !(error instanceof OAuthError)) throw error;
    const fields = errorFields(error);
    const url = new URL(withQuery(target, fields));
    url.hash = new URLSearchParams({ ...fields, sb: "" }).toString();
    return c.redirect(url.toString(), 302);
  }
}

export function oauthRoutes(app: Hono<AuthEnv>) {
  app.get("/authorize", async (c) => {
    const emu = c.get("emu");
    const provider = (c.req.query("provider") ?? "").toLowerCase();
    if (!EMULATED_PROVIDERS.includes(provider as EmulatedProvider)) {
      throw validationFailed(`Unsupported provider: Provider ${provider} could not be found`);
    }
    if (!emu.config.external[provider]?.enabled) {
      throw validationFailed("Unsupported provider: provider is not enabled");
    }
    const challenge = c.req.query("code_challenge") || undefined;
    const method = c.req.query("code_challenge_method") || undefined;
    validatePkceParams(method, challenge);
    const flow = await createFlowState(emu.sql, emu, {
      providerType: provider,
      authenticationMethod: "oauth",
      codeChallenge: challenge,
      codeChallengeMethod: method,
      referrer: redirectTarget(c),
    });
    const scopes = [DEFAULT_SCOPES[provider as EmulatedProvider], c.req.query("scopes")].filter(Boolean).join(
      " ",
    );
    const consent = new URL(`${emu.externalUrl}/_emulator/oauth/${provider}/authorize`);
    consent.search = new URLSearchParams({
      client_id: "pishkhan-local",
      redirect_uri: `${emu.externalUrl}/callback`,
      response_type: "code",
      scope: scopes,
      state: flow.id,
      ...(c.req.query("login_hint") ? { login_hint: c.req.query("login_hint")! } : {}),
    }).toString();
    return c.redirect(consent.toString(), 302);
  });

  app.get("/callback", callback);
  app.post("/callback", callback);
}

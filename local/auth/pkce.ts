/** PKCE flow states (pkce.go, models/flow_state.go, security/pkce.go; spec §3.2). */
import { encodeBase64Url } from "./encoding.ts";
import type { Db, Emulator } from "./context.ts";
import { badRequest, notFound, unprocessable, validationFailed } from "./errors.ts";

export const PKCE_PREFIX = "pkce_";

export interface FlowStateRow {
  id: string;
  user_id: string | null;
  auth_code: string | null;
  code_challenge_method: "s256" | "plain" | null;
  code_challenge: string | null;
  provider_type: string;
  provider_access_token: string | null;
  provider_refresh_token: string | null;
  created_at: Date;
  authentication_method: string;
  auth_code_issued_at: Date | null;
  referrer: string | null;
}

/** Both or neither of the two parameters; the challenge is 43–128 of [a-zA-Z._~0-9-]. */
export function validatePkceParams(method: string | undefined, challenge: string | undefined): void {
  if (!challenge !== !method) {
    throw validationFailed("PKCE flow requires code_challenge_method and code_challenge");
  }
  if (!challenge) return;
  if (challenge.length < 43 || challenge.length > 128) {
    throw validationFailed("code challenge has to be between 43 and 128 characters");
  }
  if (!/^[a-zA-Z._~0-9-]+$/.test(challenge)) {
    throw validationFailed(
      "code challenge can only contain alphanumeric characters, hyphens, periods, underscores and tildes",
    );
  }
}

export interface NewFlowState {
  providerType: string;
  authenticationMethod: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  userId?: string;
  referrer?: string;
}

/** Inserts a flow state; with a challenge it gets an auth_code (a UUID) for the later exchange. */
export async function createFlowState(db: Db, emu: Emulator, flow: NewFlowState): Promise<FlowStateRow> {
  const method = flow.codeChallengeMethod?.toLowerCase();
  if (flow.codeChallenge && method !== "s256" && method !== "plain") {
    throw validationFailed("Invalid code_challenge_method");
  }
  const now = emu.now();
  const pkce = !!flow.codeChallenge;
  const [row] = await db<FlowStateRow[]>`
    insert into auth.flow_state (id, user_id, auth_code, code_challenge_method, code_challenge, provider_type,
      created_at, updated_at, authentication_method, referrer)
    values (${crypto.randomUUID()}, ${flow.userId ?? null}, ${pkce ? crypto.randomUUID() : null},
      ${pkce ? method! : null}, ${flow.codeChallenge ?? null}, ${flow.providerType}, ${now}, ${now},
      ${flow.authenticationMethod}, ${flow.referrer ?? null})
    returning *`;
  return row;
}

export function isFlowStateExpired(emu: Emulator, flow: FlowStateRow): boolean {
  const from = flow.auth_code_issued_at && flow.authentication_method === "magiclink"
    ? flow.auth_code_issued_at
    : flow.created_at;
  return emu.now().getTime() > from.getTime() + emu.config.flowStateExpiry * 1000;
}

/** The auth code for a user's newest flow state of this method, stamped as issued (issueAuthCode). */
export async function issueAuthCode(db: Db, emu: Emulator, userId: string, method: string): Promise<string> {
  const [flow] = await db<FlowStateRow[]>`
    select * from auth.flow_state where user_id = ${userId} and authentication_method = ${method}
    order by created_at desc limit 1`;
  if (!flow) throw unprocessable("flow_state_not_found", "No valid flow state found for user.");
  if (!flow.auth_code) {
    throw unprocessable("flow_state_not_found", "Flow state does not have an auth code (not a PKCE flow).");
  }
  await db`update auth.flow_state set auth_code_issued_at = ${emu.now()}, updated_at = ${emu.now()}
    where id = ${flow.id}`;
  return flow.auth_code;
}

/** Finds the flow state of a code and checks the verifier (the pkce grant's checks, in GoTrue's order). */
export async function consumeAuthCode(db: Db, emu: Emulator, authCode: string, verifier: string) {
  const [flow] = await db<
    FlowStateRow[]
  >`select * from auth.flow_state where auth_code = ${authCode} for update`;
  if (!flow || !flow.user_id) {
    throw notFound("flow_state_not_found", "invalid flow state, no valid flow state found");
  }
  if (isFlowStateExpired(emu, flow)) {
    throw unprocessable("flow_state_expired", "invalid flow state, flow state has expired");
  }
  const expected = flow.code_challenge_method === "plain" ? verifier : encodeBase64Url(
    new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))),
  );
  if (expected !== flow.code_challenge) {
    throw badRequest("bad_code_verifier", "code challenge does not match previously saved code verifier");
  }
  return flow as FlowStateRow & { user_id: string };
}

// routes/api/v1/auth.ts — POST /api/v1/auth/reauthenticate (the password again → a short-lived token)
import { apiInput, requireJson } from "../../../lib/api/input.ts";
import { ReauthenticateBody, reauthenticationJson } from "../../../lib/auth/api.ts";
import { requireLiveSession, userRoutes } from "../../../lib/auth/guards.ts";
import { reauthenticate } from "../../../lib/auth/reauth.ts";
import { authErrors } from "../../../lib/auth/errors.ts";

export const authApi = userRoutes().post(
  "/reauthenticate",
  requireLiveSession,
  requireJson,
  apiInput("json", ReauthenticateBody),
  async (c) => {
    const outcome = await reauthenticate(c, c.req.valid("json").password, { cookie: false });
    if (!outcome.ok) {
      if (outcome.problem === "rate_limited") c.header("Retry-After", String(outcome.retryAfter ?? 60));
      const code = outcome.problem === "rate_limited" || outcome.problem === "unavailable"
        ? outcome.problem
        : "invalid_credentials";
      throw authErrors.refuse(code);
    }
    return c.json(reauthenticationJson(outcome.value));
  },
);

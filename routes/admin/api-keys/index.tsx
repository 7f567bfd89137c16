// routes/admin/api-keys/index.tsx — GET /admin/api-keys (the keys), POST /admin/api-keys (create),
// POST …/:id/rotate and …/:id/revoke; api_keys.manage, audited. Create and rotate answer the page itself (200,
// no-store) instead of a 303: the new key is shown in that response once, and never travels in a URL.
import { Hono } from "hono";
import { z } from "zod";
import type { AppContext, AppEnv } from "../../../lib/http/env.ts";
import { renderPage } from "../../../components/render.tsx";
import { validate } from "../../../lib/http/validate.ts";
import { formValidator } from "../../../lib/http/form_validator.ts";
import { requirePermission } from "../../../lib/auth/guards.ts";
import { requestContext } from "../../../lib/auth/request_context.ts";
import { IdParam } from "../../../lib/wallet/api.ts";
import { chargeableAccounts, listApiKeys, type NewApiKey } from "../../../lib/apikeys/store.ts";
import {
  createApiKeyAudited,
  revokeApiKeyAudited,
  rotateApiKeyAudited,
} from "../../../lib/apikeys/manage.ts";
import { ApiKeysPage } from "../../../components/apikeys/ApiKeysPage.tsx";

const query = z.object({ revoked: z.string().regex(/^pk_live_[0-9a-f]{4}$/).optional() });
const createForm = z.object({
  name: z.string().trim().min(1).max(80),
  account: z.string().regex(/^[a-z][a-z0-9_:.-]{1,62}$/),
  "scope.charges.create": z.literal("on").optional(),
});

async function render(
  c: AppContext,
  extra: { made?: NewApiKey & { kind: "created" | "rotated" }; revoked?: string; problem?: string },
  status?: 400,
) {
  const [keys, accounts] = await c.var.asUser(async (tx) =>
    [await listApiKeys(tx), await chargeableAccounts(tx)] as const
  );
  if (extra.made) c.header("Cache-Control", "no-store");
  return renderPage(
    c,
    <ApiKeysPage t={c.var.t} locale={c.var.locale} keys={keys} accounts={accounts} {...extra} />,
    { title: c.var.t("admin.apiKeys.title"), status },
  );
}

export const adminApiKeys = new Hono<AppEnv>()
  .use("/", requirePermission("api_keys.manage"))
  .use("/*", requirePermission("api_keys.manage"))
  .get("/", validate("query", query), (c) => render(c, { revoked: c.req.valid("query").revoked }))
  .post(
    "/",
    formValidator(createForm, (c) => render(c, { problem: c.var.t("api.error.invalid_api_key_input") }, 400)),
    async (c) => {
      const form = c.req.valid("form");
      const made = await createApiKeyAudited(c.var.user(), {
        name: form.name,
        accountCode: form.account,
        scopes: form["scope.charges.create"] ? ["charges.create"] : [],
      }, requestContext(c));
      return await render(c, { made: { ...made, kind: "created" } });
    },
  )
  .post("/:id/rotate", validate("param", IdParam), async (c) => {
    const made = await rotateApiKeyAudited(c.var.user(), c.req.valid("param").id, requestContext(c));
    return await render(c, { made: { ...made, kind: "rotated" } });
  })
  .post("/:id/revoke", validate("param", IdParam), async (c) => {
    const id = c.req.valid("param").id;
    const prefix = await revokeApiKeyAudited(c.var.user(), id, requestContext(c));
    return c.redirect(`/admin/api-keys?revoked=${prefix}`, 303);
  });

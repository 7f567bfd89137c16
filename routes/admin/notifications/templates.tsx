// routes/admin/notifications/templates.tsx — notifications.manage: GET /admin/notifications/templates (every
// event × channel × locale), GET/POST …/templates/:event/:channel/:locale (the editor: "preview" renders the
// posted text with sample data, "save" stores it, audited; a variable the event does not declare is refused).
import { Hono } from "hono";
import { z } from "zod";
import { requirePermission } from "../../../lib/auth/guards.ts";
import { requestContext } from "../../../lib/auth/request_context.ts";
import { requestErrors } from "../../../lib/errors.ts";
import type { AppContext, AppEnv } from "../../../lib/http/env.ts";
import { text } from "../../../lib/http/schemas.ts";
import { validate } from "../../../lib/http/validate.ts";
import { updateTemplateAudited } from "../../../lib/notifications/manage.ts";
import { previewTemplate } from "../../../lib/notifications/preview.ts";
import {
  type EventInfo,
  getTemplate,
  listEvents,
  listTemplates,
  LOCALES,
  TEMPLATE_CHANNELS,
  type TemplateRow,
} from "../../../lib/notifications/staff.ts";
import { renderPage } from "../../../components/render.tsx";
import { TemplateEditPage, TemplatesPage } from "../../../components/notifications/staff/TemplatesPages.tsx";

const keyParam = z.object({
  event: z.string().regex(/^[a-z_]+\.[a-z_.]+$/).max(60),
  channel: z.enum(TEMPLATE_CHANNELS),
  locale: z.enum(LOCALES),
});
const editForm = z.object({
  subject: text().max(200).default(""),
  body: text().trim().min(1).max(5000),
  intent: z.enum(["save", "preview"]).default("save"),
});

async function load(c: AppContext, key: z.infer<typeof keyParam>): Promise<[EventInfo, TemplateRow]> {
  const [events, template] = await c.var.asUser(async (
    tx,
  ) => [await listEvents(tx), await getTemplate(tx, key)]);
  const event = events.find((e) => e.key === key.event);
  if (!event || !template) throw requestErrors.refuse("not_found");
  return [event, template];
}

function editor(
  c: AppContext,
  [event, template]: [EventInfo, TemplateRow],
  state: { text?: { subject: string; body: string }; saved?: boolean; problem?: string },
  status?: 400,
) {
  const { t, locale } = c.var;
  return renderPage(
    c,
    <TemplateEditPage
      t={t}
      locale={locale}
      event={event}
      template={template}
      text={state.text ?? { subject: template.subject, body: template.body }}
      saved={state.saved}
      problem={state.problem}
    />,
    { title: `${template.event} · ${template.channel} · ${template.locale}`, status },
  );
}

export const adminTemplates = new Hono<AppEnv>()
  .use("/", requirePermission("notifications.manage"))
  .use("/*", requirePermission("notifications.manage"))
  .get("/", async (c) => {
    const [events, templates] = await c.var.asUser(async (
      tx,
    ) => [await listEvents(tx), await listTemplates(tx)]);
    return renderPage(
      c,
      <TemplatesPage t={c.var.t} locale={c.var.locale} events={events} templates={templates} />,
      {
        title: c.var.t("admin.notifications.templates"),
      },
    );
  })
  .get("/:event/:channel/:locale", validate("param", keyParam), async (c) => {
    const loaded = await load(c, c.req.valid("param"));
    return editor(c, loaded, { saved: c.req.query("notice") === "saved" });
  })
  .post("/:event/:channel/:locale", validate("param", keyParam), validate("form", editForm), async (c) => {
    const key = c.req.valid("param");
    const { subject, body, intent } = c.req.valid("form");
    const loaded = await load(c, key);
    const posted = { subject, body };
    if (intent === "preview") return editor(c, loaded, { text: posted });
    const { unknown } = previewTemplate(posted, loaded[0].variables, key.channel, key.locale);
    if (unknown.length) {
      const problem = c.var.t("admin.notifications.unknownVariables", { names: unknown.join(", ") });
      return editor(c, loaded, { text: posted, problem }, 400);
    }
    await updateTemplateAudited(c.var.user(), key, posted, unknown, requestContext(c));
    return c.redirect(
      `/admin/notifications/templates/${key.event}/${key.channel}/${key.locale}?notice=saved`,
      303,
    );
  });

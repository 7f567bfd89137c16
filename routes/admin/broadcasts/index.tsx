// routes/admin/broadcasts/index.tsx — broadcasts.send: GET /admin/broadcasts (list and compose), POST
// /admin/broadcasts (save a draft → its page), GET /admin/broadcasts/:id (recipient count, both languages
// previewed, progress), POST …/:id/{start,pause,cancel} (audited), GET …/:id/progress (JSON for the progress bar).
import { Hono } from "hono";
import { z } from "zod";
import { requirePermission } from "../../../lib/auth/guards.ts";
import { requestContext } from "../../../lib/auth/request_context.ts";
import { requestErrors } from "../../../lib/errors.ts";
import type { AppContext, AppEnv } from "../../../lib/http/env.ts";
import { int8Id, text } from "../../../lib/http/schemas.ts";
import { validate } from "../../../lib/http/validate.ts";
import { latinDigits } from "../../../lib/i18n/digits.ts";
import {
  BROADCAST_CHANNELS,
  broadcastProgress,
  countRecipients,
  getBroadcast,
  listBroadcasts,
  saveBroadcast,
  Segment,
  SEGMENT_KINDS,
} from "../../../lib/notifications/broadcasts.ts";
import { changeBroadcastAudited } from "../../../lib/notifications/manage.ts";
import { listDepartments } from "../../../lib/tickets/store.ts";
import { renderPage } from "../../../components/render.tsx";
import {
  BroadcastPage,
  BroadcastsPage,
  type ComposeValues,
} from "../../../components/notifications/staff/BroadcastsPages.tsx";

const idParam = z.object({ id: int8Id });
const composeForm = z.object({
  title: text().trim().min(1).max(200),
  segment_kind: z.enum(SEGMENT_KINDS),
  role: z.string().max(20).optional(),
  amount_tomans: z.string().max(30).optional(),
  days: z.string().max(10).optional(),
  department_id: z.string().max(10).optional(),
  subject_fa: text().trim().max(200).default(""),
  subject_en: text().trim().max(200).default(""),
  body_fa: text().trim().min(1).max(2000),
  body_en: text().trim().min(1).max(2000),
  rate_per_minute: z.string().transform((v) => Number(latinDigits(v).trim())).pipe(
    z.number().int().min(1).max(1_000_000),
  ),
}).catchall(z.string().max(10));

/** The segment the form names, or undefined when its field is missing or malformed. */
function segmentOf(form: z.infer<typeof composeForm>): Segment | undefined {
  const raw = form.segment_kind === "role"
    ? { kind: "role", role: form.role }
    : form.segment_kind === "balance_at_least"
    ? { kind: "balance_at_least", amount: `${latinDigits(form.amount_tomans ?? "").replace(/[^0-9]/g, "")}0` }
    : form.segment_kind === "inactive_days"
    ? { kind: "inactive_days", days: Number(latinDigits(form.days ?? "").trim() || NaN) }
    : form.segment_kind === "department_customers"
    ? { kind: "department_customers", department_id: Number(form.department_id) }
    : { kind: "all" };
  const parsed = Segment.safeParse(raw);
  return parsed.success && !(parsed.data.kind === "balance_at_least" && parsed.data.amount === "0")
    ? parsed.data
    : undefined;
}

async function listPage(
  c: AppContext,
  extra: { values?: ComposeValues; problem?: string } = {},
  status?: 400,
) {
  const { t, locale } = c.var;
  const [broadcasts, departments] = await c.var.asUser(async (
    tx,
  ) => [await listBroadcasts(tx), await listDepartments(tx)]);
  return renderPage(
    c,
    <BroadcastsPage
      t={t}
      locale={locale}
      broadcasts={broadcasts}
      departments={departments.map((d) => ({ id: d.id, name: locale === "fa" ? d.nameFa : d.nameEn }))}
      {...extra}
    />,
    { title: t("admin.broadcasts.title"), status },
  );
}

function composeValues(posted: Record<string, unknown>): ComposeValues {
  const str = (name: string) => typeof posted[name] === "string" ? posted[name] as string : undefined;
  return {
    title: str("title"),
    segment_kind: str("segment_kind"),
    role: str("role"),
    amount_tomans: str("amount_tomans"),
    days: str("days"),
    department_id: str("department_id"),
    channels: BROADCAST_CHANNELS.filter((ch) => posted[`channel.${ch}`] === "on"),
    subject_fa: str("subject_fa"),
    subject_en: str("subject_en"),
    body_fa: str("body_fa"),
    body_en: str("body_en"),
    rate_per_minute: str("rate_per_minute"),
  };
}

/** start / pause / cancel, audited, then back to the broadcast's page. */
async function change(c: AppContext, action: "start" | "pause" | "cancel") {
  const id = c.req.param("id") ?? "";
  await changeBroadcastAudited(c.var.user(), id, action, requestContext(c));
  return c.redirect(`/admin/broadcasts/${id}`, 303);
}

export const adminBroadcasts = new Hono<AppEnv>()
  .use("/", requirePermission("broadcasts.send"))
  .use("/*", requirePermission("broadcasts.send"))
  .get("/", (c) => listPage(c))
  .post("/", async (c) => {
    const posted = await c.req.parseBody();
    const invalid = () =>
      listPage(
        c,
        { values: composeValues(posted), problem: c.var.t("api.error.notification_invalid_input") },
        400,
      );
    const form = composeForm.safeParse(posted);
    if (!form.success) return await invalid();
    const segment = segmentOf(form.data);
    const channels = BROADCAST_CHANNELS.filter((ch) => form.data[`channel.${ch}`] === "on");
    if (!segment) {
      return await listPage(c, {
        values: composeValues(posted),
        problem: c.var.t("api.error.notification_invalid_segment"),
      }, 400);
    }
    if (channels.length === 0) return await invalid();
    const id = await c.var.asUser((tx) =>
      saveBroadcast(tx, {
        title: form.data.title,
        segment,
        channels: [...channels],
        subject: { fa: form.data.subject_fa, en: form.data.subject_en },
        body: { fa: form.data.body_fa, en: form.data.body_en },
        ratePerMinute: form.data.rate_per_minute,
      })
    );
    return c.redirect(`/admin/broadcasts/${id}`, 303);
  })
  .get("/:id", validate("param", idParam), async (c) => {
    const { id } = c.req.valid("param");
    const data = await c.var.asUser(async (tx) => {
      const broadcast = await getBroadcast(tx, id);
      if (!broadcast) throw requestErrors.refuse("not_found");
      const recipients = broadcast.status === "draft"
        ? await countRecipients(tx, broadcast.segment as Segment)
        : broadcast.recipients;
      return { broadcast, recipients, progress: await broadcastProgress(tx, broadcast) };
    });
    const { t, locale } = c.var;
    return renderPage(c, <BroadcastPage t={t} locale={locale} {...data} />, { title: data.broadcast.title });
  })
  .get("/:id/progress", validate("param", idParam), async (c) => {
    const { id } = c.req.valid("param");
    const json = await c.var.asUser(async (tx) => {
      const broadcast = await getBroadcast(tx, id);
      if (!broadcast) throw requestErrors.refuse("not_found");
      return { status: broadcast.status, ...await broadcastProgress(tx, broadcast) };
    });
    c.header("Cache-Control", "no-store");
    return c.json(json);
  })
  .post("/:id/start", validate("param", idParam), (c) => change(c, "start"))
  .post("/:id/pause", validate("param", idParam), (c) => change(c, "pause"))
  .post("/:id/cancel", validate("param", idParam), (c) => change(c, "cancel"));

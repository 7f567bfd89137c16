/**
 * A generator of help desk data for benchmarks and analysts: `deno task seed:tickets -- --count 100000`.
 * One INSERT … SELECT over generate_series (≈ seconds for 100k): customers, Persian subjects and bodies with
 * Arabic letters, ZWNJ and Persian digits mixed in (what the search must fold), every status, priorities,
 * departments, assignees among the agents, SLA due dates, first responses, resolutions and ratings spread
 * over the last 180 days. The search trigger fills the normalised column as for real tickets.
 * Against DATABASE_URL when set, else the local cluster in .local/pg. `seedTickets` is exported for tests
 * (it must run in a transaction: `set local`; roll it back to drop the rows again).
 */
import { Kysely, sql, type Transaction } from "kysely";
import { PostgresJSDialect } from "kysely-postgres-js";
import postgres from "postgres";
import { loadConfig } from "../lib/config.ts";
import type { DB } from "../lib/db/types.ts";
import { startCluster } from "./postgres.ts";

/** Inserts `count` tickets (and `customers` seed customers when missing); returns how many were inserted. */
export async function seedTickets(db: Transaction<DB>, count: number, customers = 500): Promise<number> {
  await sql`insert into auth.users (id, aud, role, email, email_confirmed_at, raw_app_meta_data,
              raw_user_meta_data, created_at, updated_at)
    select gen_random_uuid(), 'authenticated', 'authenticated', 'seed-customer-' || n || '@tickets.seed.local', now(),
           '{"provider":"email","providers":["email"]}', jsonb_build_object('full_name', 'مشتری ' || n), now(), now()
    from generate_series(1, ${customers}::int) n
    where not exists (select 1 from auth.users u where u.email = 'seed-customer-' || n || '@tickets.seed.local')`
    .execute(db);
  // Triggers and foreign-key checks off for this transaction (superuser, local only): the rows are consistent by
  // construction, and the search column the trigger would fill is computed in the INSERT itself.
  await sql`set local session_replication_role = replica`.execute(db);
  // Building the search indexes once afterwards is far faster than maintaining them row by row: drop them here
  // and recreate them from their own definitions (so this file never restates the migration's indexes).
  const { rows: searchIndexes } = await sql<{ name: string; definition: string }>`
    select indexname as name, indexdef as definition from pg_indexes
    where schemaname = 'public' and tablename = 'tickets' and indexdef ilike '%using gin%'`.execute(db);
  for (const index of searchIndexes) await sql`drop index ${sql.id("public", index.name)}`.execute(db);
  const { rows } = await sql<{ inserted: number }>`
    with customers as (
      select array_agg(id order by email) as ids from auth.users where email like 'seed-customer-%@tickets.seed.local'
    ), agents as (
      select coalesce(array_agg(distinct r.user_id), '{}') as ids from public.user_roles r where r.role in ('agent', 'admin')
    ), departments as (
      select array_agg(id order by id) as ids from public.ticket_departments
    ), words as (
      select array['پرداخت', 'كيف‌پول', 'شارژ', 'برداشت', 'كارت', 'رمز', 'ورود', 'تراکنش', 'ناموفق', 'بازگشت',
                   'وجه', 'حساب', 'شبا', 'پشتیبانی', 'خطا', 'درگاه', 'زرین‌پال', 'تأیید', 'پیامک', 'هزينة',
                   'refund', 'wallet', 'login', 'payment', 'error', 'bank'] as w
    ), generated as (
      select n,
             now() - (random() * interval '180 days') as created_at,
             (array['open', 'pending', 'resolved', 'closed', 'closed', 'resolved', 'reopened', 'open'])[1 + n % 8]
               ::public.ticket_status as status,
             (array['low', 'normal', 'normal', 'high', 'urgent'])[1 + n % 5]::public.ticket_priority as priority,
             random() as r
      from generate_series(1, ${count}::int) n
    ), numbered as (
      select g.*, 'TK-' || nextval('public.ticket_number_seq') as number from generated g
    ), inserted as (
      insert into public.tickets (number, search_text, customer_id, subject, body, department_id, priority, status, channel, assignee_id,
        tags, first_response_due_at, resolution_due_at, first_response_warn_at, resolution_warn_at, first_responded_at,
        resolved_at, closed_at, pending_since, first_response_minutes, resolution_minutes, sla_warning, sla_breached,
        csat_score, csat_comment, rated_at, created_at, updated_at)
      select g.number, tickets.normalize_search(g.number || ' ' || t.subject || ' ' || t.body),
             c.ids[1 + g.n % cardinality(c.ids)], t.subject, t.body,
             d.ids[1 + g.n % cardinality(d.ids)],
             g.priority, g.status,
             (array['web', 'web', 'api', 'email'])[1 + g.n % 4],
             case when cardinality(a.ids) > 0 and g.n % 5 <> 0 then a.ids[1 + g.n % cardinality(a.ids)] end,
             case when g.n % 10 = 0 then array['vip'] when g.n % 7 = 0 then array['refund'] else '{}' end,
             g.created_at + interval '8 hours', g.created_at + interval '36 hours',
             g.created_at + interval '6 hours', g.created_at + interval '29 hours',
             case when g.status <> 'open' or g.r < 0.5 then g.created_at + g.r * interval '10 hours' end,
             case when g.status in ('resolved', 'closed') then g.created_at + (g.r * 3) * interval '1 day' end,
             case when g.status = 'closed' then g.created_at + (g.r * 3 + 1) * interval '1 day' end,
             case when g.status = 'pending' then g.created_at + interval '1 day' end,
             case when g.status <> 'open' or g.r < 0.5 then (g.r * 600)::int end,
             case when g.status in ('resolved', 'closed') then (g.r * 3 * 540)::int end,
             g.status in ('open', 'reopened') and g.r > 0.7, g.status in ('open', 'reopened') and g.r > 0.85,
             case when g.status in ('resolved', 'closed') and g.n % 3 = 0 then 1 + g.n % 5 end,
             case when g.status in ('resolved', 'closed') and g.n % 3 = 0 and g.n % 2 = 0 then 'ممنون' end,
             case when g.status in ('resolved', 'closed') and g.n % 3 = 0 then g.created_at + interval '4 days' end,
             g.created_at, g.created_at
      from numbered g
      cross join customers c cross join agents a cross join departments d cross join words w
      cross join lateral (
        select w.w[1 + g.n % 26] || ' ' || w.w[1 + (g.n / 26) % 26] || ' ' ||
                 translate((g.n % 100000)::text, '0123456789', '۰۱۲۳۴۵۶۷۸۹') as subject,
               'مشکل ' || w.w[1 + (g.n / 7) % 26] || ' در ' || w.w[1 + (g.n / 3) % 26] || ' شماره ' || g.n ||
                 ' — لطفاً بررسی کنید و نتیجه را اعلام کنید.' as body
      ) t
      returning 1
    )
    select count(*)::int as inserted from inserted`.execute(db);
  await sql`set local maintenance_work_mem = '256MB'`.execute(db);
  for (const index of searchIndexes) await sql.raw(index.definition).execute(db);
  await sql`set local session_replication_role = origin`.execute(db);
  await sql`analyze public.tickets`.execute(db);
  return rows[0].inserted;
}

if (import.meta.main) {
  const at = Deno.args.indexOf("--count");
  const count = at >= 0 ? Number(Deno.args[at + 1]) : 1000;
  if (!Number.isInteger(count) || count < 1) throw new Error("--count must be a positive whole number");
  const configured = loadConfig().DATABASE_URL;
  const cluster = configured
    ? undefined
    : await startCluster({ dir: new URL("../.local/pg", import.meta.url).pathname });
  const url = configured ?? cluster!.url;
  const db = new Kysely<DB>({ dialect: new PostgresJSDialect({ postgres: postgres(url, { max: 1 }) }) });
  try {
    const started = performance.now();
    const inserted = await db.transaction().execute((tx) => seedTickets(tx, count));
    console.log(`seeded ${inserted} tickets in ${Math.round(performance.now() - started)} ms`);
  } finally {
    await db.destroy();
    await cluster?.stop();
  }
}

-- Purpose: the help desk's data: departments, tickets, their messages (public replies and internal notes),
--          attachment metadata, agents and their departments (round-robin), canned responses, ticket events;
--          the SLA configuration tickets.sla_policies and the business calendar tickets.holidays; the
--          Persian-correct search column.
-- Layout: tables customers and staff read through the API live in `public` (PostgREST exposes it, RLS guards
--         every row); the SQL API (SECURITY DEFINER functions, next migration) and the help desk's
--         configuration live in schema `tickets`, which PostgREST does not expose.
-- Access: a customer reads their own tickets and the non-internal messages and attachments of them; staff with
--         `tickets.manage` read everything; anyone else (finance without tickets.manage, anon) reads nothing.
--         Nobody writes tickets, messages, attachments or events directly: only the functions in `tickets`.
--         Canned responses: staff read and write. Departments: signed-in users read. SLA policies, holidays
--         and agent membership: staff read, `settings.manage` writes.
-- Risk: low; new tables. Error codes raised by the tickets migrations (mapped by lib/tickets/errors.ts):
--   TK001 ticket_not_found, TK002 ticket_invalid_transition, TK003 ticket_not_permitted,
--   TK004 ticket_internal_not_allowed, TK005 ticket_link_not_owned, TK006 ticket_reopen_window_closed,
--   TK007 ticket_already_rated, TK008 ticket_not_ratable, TK009 ticket_merge_invalid, TK010 ticket_invalid_input,
--   TK011 ticket_not_authenticated, TK012 ticket_unknown_department, TK013 ticket_invalid_assignee,
--   TK014 ticket_merged, TK015 ticket_closed.

create extension if not exists pg_trgm with schema extensions;

create schema if not exists tickets;
comment on schema tickets is 'The help desk''s SQL API (SECURITY DEFINER functions) and configuration; not exposed through PostgREST.';
revoke all on schema tickets from public;
grant usage on schema tickets to authenticated, service_role;

create type public.ticket_status as enum ('open', 'pending', 'resolved', 'closed', 'reopened');
create type public.ticket_priority as enum ('low', 'normal', 'high', 'urgent');
comment on type public.ticket_priority is 'Ticket priorities, lowest first; SLA targets are per department × priority.';

-- departments ---------------------------------------------------------------------------------------
create table public.ticket_departments (
  id smallint generated always as identity primary key,
  code text not null unique check (code ~ '^[a-z][a-z_]{1,31}$'),
  name_fa text not null check (length(name_fa) between 1 and 100),
  name_en text not null check (length(name_en) between 1 and 100),
  active boolean not null default true,
  -- Round-robin turn counter: bumped under a row lock for every automatic assignment in the department.
  rr_turn bigint not null default 0
);
comment on table public.ticket_departments is 'Help desk departments (queues), named in Persian and English.';
insert into public.ticket_departments (code, name_fa, name_en) values
  ('payments', 'پرداخت و صورتحساب', 'Payments and billing'),
  ('technical', 'فنی', 'Technical'),
  ('general', 'عمومی', 'General');

-- tickets -------------------------------------------------------------------------------------------
create sequence public.ticket_number_seq start 100001;
comment on sequence public.ticket_number_seq is 'Human-friendly ticket numbers (TK-100001, …).';

create table public.tickets (
  id bigint generated always as identity primary key,
  number text not null unique default ('TK-' || nextval('public.ticket_number_seq')::text),
  customer_id uuid not null references auth.users (id) on delete cascade,
  subject text not null check (length(subject) between 1 and 200),
  body text not null check (length(body) between 1 and 20000),
  department_id smallint not null references public.ticket_departments (id),
  priority public.ticket_priority not null default 'normal',
  status public.ticket_status not null default 'open',
  channel text not null default 'web' check (channel in ('web', 'api', 'email')),
  assignee_id uuid references auth.users (id) on delete set null,
  payment_id bigint references public.payments (id),
  withdrawal_id bigint references ledger.withdrawals (id),
  tags text[] not null default '{}' check (cardinality(tags) <= 20),
  merged_into bigint references public.tickets (id),
  first_response_due_at timestamptz,
  resolution_due_at timestamptz,
  first_response_warn_at timestamptz,
  resolution_warn_at timestamptz,
  first_responded_at timestamptz,
  resolved_at timestamptz,
  closed_at timestamptz,
  pending_since timestamptz,
  paused_minutes integer not null default 0 check (paused_minutes >= 0),
  first_response_minutes integer,
  resolution_minutes integer,
  last_customer_message_at timestamptz,
  reminder_sent_at timestamptz,
  sla_warning boolean not null default false,
  sla_breached boolean not null default false,
  csat_score smallint check (csat_score between 1 and 5),
  csat_comment text check (length(csat_comment) <= 2000),
  rated_at timestamptz,
  search_text text not null default '',
  search_tsv tsvector generated always as (to_tsvector('simple'::regconfig, search_text)) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint tickets_one_link check (payment_id is null or withdrawal_id is null),
  constraint tickets_rating_complete check ((csat_score is null) = (rated_at is null)),
  constraint tickets_not_merged_into_itself check (merged_into is distinct from id)
);
comment on table public.tickets is
  'Support tickets: customer, subject and body, department, priority, status (open → pending → resolved → closed, plus reopened), assignee, optional link to one of the customer''s payments or withdrawals, tags, SLA due dates and flags, CSAT.';
comment on column public.tickets.number is 'Human-friendly unique number shown to customers (TK-100001).';
comment on column public.tickets.paused_minutes is 'Business minutes spent pending (waiting on the customer); the SLA clock stops meanwhile.';
comment on column public.tickets.first_response_minutes is 'Business minutes from opening to the first public staff reply, pauses excluded.';
comment on column public.tickets.resolution_minutes is 'Business minutes from opening to the (last) resolution, pauses excluded.';
comment on column public.tickets.search_text is 'Normalised subject, body and number (tickets.normalize_search): maintained by trigger.';
comment on column public.tickets.merged_into is 'Set when this ticket was merged: its thread moved to that ticket.';

create index tickets_customer_idx on public.tickets (customer_id, id desc);
create index tickets_queue_idx on public.tickets (status, id desc);
create index tickets_assignee_idx on public.tickets (assignee_id, status, id desc) where assignee_id is not null;
create index tickets_unassigned_idx on public.tickets (id desc) where assignee_id is null and status in ('open', 'reopened');
create index tickets_department_idx on public.tickets (department_id, status, id desc);
create index tickets_pending_idx on public.tickets (pending_since) where status = 'pending';
create index tickets_at_risk_idx on public.tickets (id desc) where sla_warning or sla_breached;
create index tickets_payment_idx on public.tickets (payment_id) where payment_id is not null;
create index tickets_withdrawal_idx on public.tickets (withdrawal_id) where withdrawal_id is not null;
create index tickets_merged_into_idx on public.tickets (merged_into) where merged_into is not null;
create index tickets_tags_idx on public.tickets using gin (tags);
create index tickets_search_tsv_idx on public.tickets using gin (search_tsv);
create index tickets_search_trgm_idx on public.tickets using gin (search_text extensions.gin_trgm_ops);

-- messages ------------------------------------------------------------------------------------------
create table public.ticket_messages (
  id bigint generated always as identity primary key,
  ticket_id bigint not null references public.tickets (id) on delete cascade,
  author_id uuid references auth.users (id) on delete set null,
  author_role text not null check (author_role in ('customer', 'staff', 'system')),
  body text not null check (length(body) between 1 and 20000),
  internal boolean not null default false,
  created_at timestamptz not null default now(),
  constraint ticket_messages_internal_is_staff check (not internal or author_role <> 'customer')
);
comment on table public.ticket_messages is
  'A ticket''s thread: customer and staff replies and internal notes (internal = true: staff only, enforced by RLS).';
create index ticket_messages_ticket_idx on public.ticket_messages (ticket_id, id);

-- attachments (metadata; the bytes live in Storage bucket `ticket-attachments` at {ticket_id}/{name}) ------
create table public.ticket_attachments (
  id bigint generated always as identity primary key,
  ticket_id bigint not null references public.tickets (id) on delete cascade,
  message_id bigint references public.ticket_messages (id) on delete cascade,
  path text not null unique check (length(path) <= 512),
  name text not null check (length(name) between 1 and 255),
  size bigint not null check (size between 0 and 10485760),
  mime text not null check (mime in ('image/png', 'image/jpeg', 'image/webp', 'application/pdf', 'text/plain')),
  uploaded_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now()
);
comment on table public.ticket_attachments is
  'Attachment metadata: object path in Storage bucket ticket-attachments ({ticket_id}/{name}), name, size (≤ 10 MB), MIME type.';
create index ticket_attachments_ticket_idx on public.ticket_attachments (ticket_id, id);
create index ticket_attachments_message_idx on public.ticket_attachments (message_id) where message_id is not null;

-- agents (availability and departments, for round-robin) --------------------------------------------
create table public.ticket_agents (
  user_id uuid primary key references auth.users (id) on delete cascade,
  available boolean not null default true,
  updated_at timestamptz not null default now()
);
comment on table public.ticket_agents is 'Help desk agents and whether they take new tickets (round-robin skips unavailable agents).';

create table public.ticket_agent_departments (
  user_id uuid not null references public.ticket_agents (user_id) on delete cascade,
  department_id smallint not null references public.ticket_departments (id) on delete cascade,
  last_turn bigint not null default 0,
  primary key (department_id, user_id)
);
comment on table public.ticket_agent_departments is
  'Which departments each agent works; last_turn is the department rr_turn of the agent''s last automatic assignment.';
create index ticket_agent_departments_user_idx on public.ticket_agent_departments (user_id);

-- canned responses ----------------------------------------------------------------------------------
create table public.ticket_canned_responses (
  id bigint generated always as identity primary key,
  department_id smallint references public.ticket_departments (id) on delete cascade,
  title text not null check (length(title) between 1 and 200),
  body_fa text not null check (length(body_fa) between 1 and 10000),
  body_en text not null check (length(body_en) between 1 and 10000),
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.ticket_canned_responses is
  'Reply templates per department (null: every department) in fa and en; {{customer.name}} and {{ticket.number}} are filled by tickets.render_canned.';
create index ticket_canned_responses_department_idx on public.ticket_canned_responses (department_id);

-- events --------------------------------------------------------------------------------------------
create table public.ticket_events (
  id bigint generated always as identity primary key,
  ticket_id bigint not null references public.tickets (id) on delete cascade,
  actor_id uuid,
  kind text not null check (kind in ('opened', 'status', 'assigned', 'tags', 'priority', 'department', 'merged',
                                     'rated', 'sla_warning', 'sla_breach', 'pending_reminder')),
  from_status public.ticket_status,
  to_status public.ticket_status,
  data jsonb not null default '{}' check (jsonb_typeof(data) = 'object'),
  created_at timestamptz not null default now()
);
comment on table public.ticket_events is 'What happened to each ticket (status changes, assignment, tags, merges, SLA flags); staff read it.';
create index ticket_events_ticket_idx on public.ticket_events (ticket_id, id);

-- SLA configuration and the business calendar ---------------------------------------------------------
create table tickets.sla_policies (
  department_id smallint not null references public.ticket_departments (id) on delete cascade,
  priority public.ticket_priority not null,
  first_response_minutes integer not null check (first_response_minutes > 0),
  resolution_minutes integer not null check (resolution_minutes > 0),
  primary key (department_id, priority),
  check (resolution_minutes >= first_response_minutes)
);
comment on table tickets.sla_policies is 'SLA targets per department × priority, in business minutes (tickets.business_minutes_add).';
insert into tickets.sla_policies (department_id, priority, first_response_minutes, resolution_minutes)
select d.id, p.priority, p.first_response, p.resolution
from public.ticket_departments d
cross join (values ('low'::public.ticket_priority, 960, 4320), ('normal', 480, 2160), ('high', 120, 960),
                   ('urgent', 30, 240)) as p (priority, first_response, resolution);

create table tickets.holidays (
  day date primary key,
  name text
);
comment on table tickets.holidays is 'Days the help desk is closed (Tehran calendar dates); the SLA clock skips them.';

-- grants and RLS ------------------------------------------------------------------------------------
revoke all on table public.ticket_departments, public.tickets, public.ticket_messages, public.ticket_attachments,
  public.ticket_agents, public.ticket_agent_departments, public.ticket_canned_responses, public.ticket_events,
  tickets.sla_policies, tickets.holidays from public, anon, authenticated, service_role;
grant select on table public.ticket_departments, public.tickets, public.ticket_messages, public.ticket_attachments,
  public.ticket_agents, public.ticket_agent_departments, public.ticket_events, tickets.sla_policies,
  tickets.holidays to authenticated, service_role;
grant select, insert, update, delete on table public.ticket_canned_responses to authenticated, service_role;
grant insert, update, delete on table public.ticket_departments, public.ticket_agents,
  public.ticket_agent_departments, tickets.sla_policies, tickets.holidays to authenticated, service_role;

alter table public.ticket_departments enable row level security;
alter table public.tickets enable row level security;
alter table public.ticket_messages enable row level security;
alter table public.ticket_attachments enable row level security;
alter table public.ticket_agents enable row level security;
alter table public.ticket_agent_departments enable row level security;
alter table public.ticket_canned_responses enable row level security;
alter table public.ticket_events enable row level security;
alter table tickets.sla_policies enable row level security;
alter table tickets.holidays enable row level security;

create policy "ticket_departments: signed-in users can select" on public.ticket_departments
  for select to authenticated using (true);
create policy "ticket_departments: settings managers can write" on public.ticket_departments
  for all to authenticated
  using ((select public.authorize('settings.manage'))) with check ((select public.authorize('settings.manage')));

create policy "tickets: customer or ticket staff can select" on public.tickets
  for select to authenticated
  using (customer_id = (select auth.uid()) or (select public.authorize('tickets.manage')));

create policy "ticket_messages: customer sees public messages, staff all" on public.ticket_messages
  for select to authenticated
  using (
    (select public.authorize('tickets.manage'))
    or (not internal and ticket_id in (select t.id from public.tickets t where t.customer_id = (select auth.uid())))
  );

create policy "ticket_attachments: customer sees public ones, staff all" on public.ticket_attachments
  for select to authenticated
  using (
    (select public.authorize('tickets.manage'))
    or (ticket_id in (select t.id from public.tickets t where t.customer_id = (select auth.uid()))
        and (message_id is null
             or message_id in (select m.id from public.ticket_messages m where m.ticket_id = ticket_attachments.ticket_id
                               and not m.internal)))
  );

create policy "ticket_agents: ticket staff can select" on public.ticket_agents
  for select to authenticated using ((select public.authorize('tickets.manage')));
create policy "ticket_agents: settings managers can write" on public.ticket_agents
  for all to authenticated
  using ((select public.authorize('settings.manage'))) with check ((select public.authorize('settings.manage')));
create policy "ticket_agent_departments: ticket staff can select" on public.ticket_agent_departments
  for select to authenticated using ((select public.authorize('tickets.manage')));
create policy "ticket_agent_departments: settings managers can write" on public.ticket_agent_departments
  for all to authenticated
  using ((select public.authorize('settings.manage'))) with check ((select public.authorize('settings.manage')));

create policy "ticket_canned_responses: ticket staff can do everything" on public.ticket_canned_responses
  for all to authenticated
  using ((select public.authorize('tickets.manage'))) with check ((select public.authorize('tickets.manage')));

create policy "ticket_events: ticket staff can select" on public.ticket_events
  for select to authenticated using ((select public.authorize('tickets.manage')));

create policy "sla_policies: ticket staff can select" on tickets.sla_policies
  for select to authenticated using ((select public.authorize('tickets.manage')));
create policy "sla_policies: settings managers can write" on tickets.sla_policies
  for all to authenticated
  using ((select public.authorize('settings.manage'))) with check ((select public.authorize('settings.manage')));
create policy "holidays: signed-in users can select" on tickets.holidays
  for select to authenticated using (true);
create policy "holidays: settings managers can write" on tickets.holidays
  for all to authenticated
  using ((select public.authorize('settings.manage'))) with check ((select public.authorize('settings.manage')));

-- Purpose: the append-only audit log: who did what to whom, from where (sign-ups, sign-ins, failed sign-ins,
--          sign-outs, password changes, role changes, bans).
-- Access: read with the `audit.view` permission (admins, auditors). Written only through
--         private.record_audit() (service_role and SECURITY DEFINER functions). Nobody may update, delete
--         or truncate: no grants, and triggers that refuse even the table owner.
-- Risk: low; new table. Rows are never removed, so growth is bounded only by activity (partition later).

create table public.audit_log (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null default now(),
  actor_id uuid,
  actor_email text check (length(actor_email) <= 320),
  action text not null check (action ~ '^[a-z][a-z_]*(\.[a-z][a-z_]*)+$' and length(action) <= 64),
  target_type text check (target_type ~ '^[a-z][a-z_]*$' and length(target_type) <= 32),
  target_id text check (length(target_id) <= 320),
  ip inet,
  user_agent text check (length(user_agent) <= 512),
  request_id text check (length(request_id) <= 128),
  metadata jsonb not null default '{}'::jsonb check (jsonb_typeof(metadata) = 'object')
);
comment on table public.audit_log is
  'Append-only record of security-relevant actions; actor and target are kept as text so entries outlive users.';

create index audit_log_occurred_at_idx on public.audit_log (occurred_at);
create index audit_log_actor_id_idx on public.audit_log (actor_id, id);
create index audit_log_target_id_idx on public.audit_log (target_id, id);
create index audit_log_action_idx on public.audit_log (action, id);

revoke all on table public.audit_log from public, anon, authenticated, service_role;
grant select on table public.audit_log to authenticated, service_role;

create function private.refuse_audit_change() returns trigger
language plpgsql set search_path = '' as $$
begin
  raise exception 'public.audit_log is append-only: % is not allowed', tg_op
    using errcode = 'insufficient_privilege';
end $$;
comment on function private.refuse_audit_change() is 'Keeps the audit log append-only, whoever asks.';

create trigger audit_log_refuse_update_delete before update or delete on public.audit_log
  for each row execute function private.refuse_audit_change();
create trigger audit_log_refuse_truncate before truncate on public.audit_log
  for each statement execute function private.refuse_audit_change();

alter table public.audit_log enable row level security;

create policy "audit_log: staff with audit.view can select" on public.audit_log
  for select to authenticated
  using ((select public.authorize('audit.view')));

/** Appends one entry; `context` carries the request's ip, user_agent and request_id. */
create function private.record_audit(
  action text,
  actor_id uuid,
  actor_email text,
  target_type text,
  target_id text,
  metadata jsonb default '{}'::jsonb,
  context jsonb default '{}'::jsonb
) returns bigint
language sql security definer set search_path = '' as $$
  insert into public.audit_log (actor_id, actor_email, action, target_type, target_id, ip, user_agent,
                                request_id, metadata)
  values (
    record_audit.actor_id,
    lower(record_audit.actor_email),
    record_audit.action,
    record_audit.target_type,
    left(record_audit.target_id, 320),
    nullif(record_audit.context ->> 'ip', '')::inet,
    left(record_audit.context ->> 'user_agent', 512),
    left(record_audit.context ->> 'request_id', 128),
    coalesce(record_audit.metadata, '{}'::jsonb)
  )
  returning id
$$;
comment on function private.record_audit(text, uuid, text, text, text, jsonb, jsonb) is
  'The only way into public.audit_log; called by the app as service_role and by SECURITY DEFINER functions.';
revoke execute on function private.record_audit(text, uuid, text, text, text, jsonb, jsonb)
  from public, anon, authenticated;
grant execute on function private.record_audit(text, uuid, text, text, text, jsonb, jsonb) to service_role;

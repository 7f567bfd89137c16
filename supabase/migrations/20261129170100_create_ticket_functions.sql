-- Purpose: the help desk's SQL API in schema `tickets`: the business calendar (business_minutes_add/_between),
--          search normalisation, open / post_message / change_status (the state machine) / assign /
--          assign_round_robin / set_tags / set_priority / set_department / merge / rate / render_canned /
--          set_availability, the SLA and auto-close jobs, and the notification hook tickets.notify (a no-op
--          until the notifications work fills it).
-- Access: callers are `authenticated` (customers and staff; permission checks inside with
--         public.authorize('tickets.manage')) and service_role. Every function is SECURITY DEFINER with
--         search_path = ''. Another user's ticket is reported as TK001 (not found), never as forbidden.
--         Every status change is recorded in public.ticket_events and public.audit_log (trigger).
-- Risk: low; new functions over new tables. Codes: see 20261129170000_create_tickets.sql.

-- The notification hook ------------------------------------------------------------------------------
/**
 * Called on ticket events: ticket.opened, message.created, ticket.status_changed, ticket.assigned,
 * sla.warning, sla.breach, ticket.pending_reminder, ticket.auto_closed. A no-op until the notifications
 * work replaces it (create or replace, same signature).
 */
create function tickets.notify(event text, ticket_id bigint, payload jsonb) returns void
language plpgsql security definer set search_path = '' as $$
begin
  perform event, ticket_id, payload;
end $$;
comment on function tickets.notify(text, bigint, jsonb) is
  'Notification hook for ticket events; a no-op for now (the notifications work fills it).';
revoke execute on function tickets.notify(text, bigint, jsonb) from public, anon, authenticated;
grant execute on function tickets.notify(text, bigint, jsonb) to service_role;

-- Business calendar ------------------------------------------------------------------------------------
/** The Tehran opening hours of `day` (null, null when closed): Sat–Wed 08–17, Thu 08–13, Fri and holidays closed. */
create function tickets.business_hours(day date, out opens time, out closes time)
language sql stable security definer set search_path = '' as $$
  select case when h.day is null and extract(isodow from business_hours.day) <> 5 then time '08:00' end,
         case when h.day is not null then null
              when extract(isodow from business_hours.day) = 5 then null
              when extract(isodow from business_hours.day) = 4 then time '13:00'
              else time '17:00' end
  from (select 1) one left join tickets.holidays h on h.day = business_hours.day
$$;
comment on function tickets.business_hours(date) is 'Opening and closing time (Tehran) of a calendar day; nulls when closed.';

/**
 * `start` plus `minutes` business minutes (Asia/Tehran; Sat–Wed 08:00–17:00, Thu 08:00–13:00, Friday and
 * tickets.holidays closed). A start outside business hours counts from the next opening.
 */
create function tickets.business_minutes_add(start timestamptz, minutes integer) returns timestamptz
language plpgsql stable security definer set search_path = '' as $$
declare
  local timestamp := start at time zone 'Asia/Tehran';
  remaining integer := greatest(minutes, 0);
  hours record;
  available integer;
begin
  if start is null or minutes is null then return null; end if;
  for guard in 1..4000 loop
    select * into hours from tickets.business_hours(local::date);
    if hours.opens is null or local::time >= hours.closes then
      local := local::date + 1;
      continue;
    end if;
    if local::time < hours.opens then local := local::date + hours.opens; end if;
    available := floor(extract(epoch from (local::date + hours.closes) - local) / 60);
    if remaining <= available then
      return (local + make_interval(mins => remaining)) at time zone 'Asia/Tehran';
    end if;
    remaining := remaining - available;
    local := local::date + 1;
  end loop;
  raise exception 'business_minutes_add: no business hours within 4000 days' using errcode = 'TK010';
end $$;
comment on function tickets.business_minutes_add(timestamptz, integer) is
  'start + minutes in business minutes of the default calendar (Asia/Tehran, Sat–Wed 08–17, Thu 08–13, Fri and holidays closed).';

/** Business minutes between two instants (0 when `finish` is not after `start`). */
create function tickets.business_minutes_between(start timestamptz, finish timestamptz) returns integer
language plpgsql stable security definer set search_path = '' as $$
declare
  a timestamp := start at time zone 'Asia/Tehran';
  b timestamp := finish at time zone 'Asia/Tehran';
  day date;
  hours record;
  total numeric := 0;
begin
  if start is null or finish is null or finish <= start then return 0; end if;
  day := a::date;
  while day <= b::date loop
    select * into hours from tickets.business_hours(day);
    if hours.opens is not null then
      total := total + greatest(0, extract(epoch from
        least(b, day + hours.closes) - greatest(a, day + hours.opens)) / 60);
    end if;
    day := day + 1;
  end loop;
  return floor(total)::integer;
end $$;
comment on function tickets.business_minutes_between(timestamptz, timestamptz) is
  'Business minutes (default calendar) from start to finish.';

revoke execute on function tickets.business_hours(date), tickets.business_minutes_add(timestamptz, integer),
  tickets.business_minutes_between(timestamptz, timestamptz) from public, anon;
grant execute on function tickets.business_hours(date), tickets.business_minutes_add(timestamptz, integer),
  tickets.business_minutes_between(timestamptz, timestamptz) to authenticated, service_role;

-- Search normalisation -----------------------------------------------------------------------------------
/**
 * Folds text for search: lower case; Arabic ي ى ك ة ۀ أ إ ٱ ؤ to Persian/plain letters; Persian and
 * Arabic-Indic digits to Latin; ZWNJ, ZWJ and no-break spaces to a space; diacritics (Arabic harakat,
 * tatweel, Latin combining marks) removed; whitespace collapsed.
 */
create function tickets.normalize_search(input text) returns text
language sql immutable parallel safe set search_path = '' as $$
  select btrim(regexp_replace(
    regexp_replace(
      translate(normalize(lower(coalesce(input, '')), NFD),
        'يىكةۀأإٱؤ۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩' || chr(8204) || chr(8205) || chr(160) || chr(8239),
        'ییکههااوا0123456789' || '0123456789' || '    '),
      '[' || chr(1611) || '-' || chr(1631) || chr(1648) || chr(1600) || chr(768) || '-' || chr(879) || ']', '', 'g'),
    '\s+', ' ', 'g'))
$$;
comment on function tickets.normalize_search(text) is
  'Search folding: Arabic vs Persian letters, ZWNJ vs space, Persian/Arabic-Indic vs Latin digits, diacritics.';
grant execute on function tickets.normalize_search(text) to authenticated, service_role;

create function private.tickets_set_search_text() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.search_text := tickets.normalize_search(new.number || ' ' || new.subject || ' ' || new.body);
  return new;
end $$;
create trigger tickets_search_text before insert or update of number, subject, body on public.tickets
  for each row execute function private.tickets_set_search_text();

/**
 * Tickets matching `query` (normalised; every word by full text, or the whole phrase as a substring, which
 * pg_trgm indexes), newest first, as the caller may see them (SECURITY INVOKER: RLS applies).
 */
create function tickets.search(query text, max_results integer default 50)
returns setof public.tickets
language sql stable security invoker set search_path = '' as $$
  select t.* from public.tickets t
  where t.search_tsv @@ plainto_tsquery('simple'::regconfig, tickets.normalize_search(query))
     or t.search_text like '%' || replace(replace(replace(tickets.normalize_search(query), '\', '\\'), '%', '\%'), '_', '\_') || '%'
  order by t.id desc
  limit least(greatest(max_results, 1), 200)
$$;
comment on function tickets.search(text, integer) is 'Persian-correct search over number, subject and body; RLS applies.';
grant execute on function tickets.search(text, integer) to authenticated, service_role;

-- Helpers --------------------------------------------------------------------------------------------
/** The ticket row locked for update when the caller may see it (customer or staff); TK001 otherwise. */
create function private.tickets_lock_visible(target bigint) returns public.tickets
language plpgsql security definer set search_path = '' as $$
declare
  found public.tickets;
begin
  select * into found from public.tickets where id = target for update;
  if found.id is null or not (found.customer_id = auth.uid() or public.authorize('tickets.manage')) then
    raise exception 'No such ticket.' using errcode = 'TK001';
  end if;
  return found;
end $$;
revoke execute on function private.tickets_lock_visible(bigint) from public, anon, authenticated;

create function private.tickets_require_staff() returns void
language plpgsql stable security definer set search_path = '' as $$
begin
  if auth.uid() is null and auth.role() is distinct from 'service_role' then
    raise exception 'Sign-in required' using errcode = 'TK011';
  end if;
  if not public.authorize('tickets.manage') then
    raise exception 'You are not allowed to do this.' using errcode = 'TK003';
  end if;
end $$;
revoke execute on function private.tickets_require_staff() from public, anon, authenticated;

/** Recomputes the due and warning times of a ticket from its policy, opening time and paused minutes. */
create function private.tickets_due_dates(ticket public.tickets)
returns table (first_response_due_at timestamptz, resolution_due_at timestamptz,
               first_response_warn_at timestamptz, resolution_warn_at timestamptz)
language sql stable security definer set search_path = '' as $$
  select tickets.business_minutes_add(base.started, p.first_response_minutes + base.paused),
         tickets.business_minutes_add(base.started, p.resolution_minutes + base.paused),
         tickets.business_minutes_add(base.started, ceil(p.first_response_minutes * 0.8)::integer + base.paused),
         tickets.business_minutes_add(base.started, ceil(p.resolution_minutes * 0.8)::integer + base.paused)
  from (select ticket.created_at as started, ticket.paused_minutes as paused) base
  join tickets.sla_policies p on p.department_id = ticket.department_id and p.priority = ticket.priority
$$;
revoke execute on function private.tickets_due_dates(public.tickets) from public, anon, authenticated;

-- Audit of status changes (every path, including the jobs) ------------------------------------------------
create function private.tickets_audit_status() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.status is distinct from old.status then
    insert into public.ticket_events (ticket_id, actor_id, kind, from_status, to_status)
    values (new.id, auth.uid(), 'status', old.status, new.status);
    perform private.record_audit('ticket.status_changed', auth.uid(), auth.jwt() ->> 'email', 'ticket',
      new.id::text, jsonb_build_object('number', new.number, 'from', old.status, 'to', new.status));
    perform tickets.notify('ticket.status_changed', new.id,
      jsonb_build_object('from', old.status, 'to', new.status, 'customer_id', new.customer_id));
  end if;
  new.updated_at := now();
  return new;
end $$;
create trigger tickets_audit_status before update on public.tickets
  for each row execute function private.tickets_audit_status();

-- Payment / withdrawal link ownership (every path) -------------------------------------------------------
create function private.tickets_check_link() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.payment_id is not null
     and not exists (select 1 from public.payments p where p.id = new.payment_id and p.user_id = new.customer_id) then
    raise exception 'That payment is not one of the customer''s.' using errcode = 'TK005';
  end if;
  if new.withdrawal_id is not null
     and not exists (select 1 from ledger.withdrawals w where w.id = new.withdrawal_id and w.user_id = new.customer_id) then
    raise exception 'That withdrawal is not one of the customer''s.' using errcode = 'TK005';
  end if;
  return new;
end $$;
create trigger tickets_check_link before insert or update of payment_id, withdrawal_id, customer_id on public.tickets
  for each row execute function private.tickets_check_link();

-- Round-robin ------------------------------------------------------------------------------------------
/**
 * Assigns the ticket to the next available agent of its department: the one whose last automatic
 * assignment is oldest (ties by user id). The department row is locked, so concurrent calls take turns.
 * Returns the assignee (null when the department has no available agent).
 */
create function private.tickets_round_robin(target bigint) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  dept smallint;
  turn bigint;
  chosen uuid;
begin
  select department_id into dept from public.tickets where id = target;
  update public.ticket_departments set rr_turn = rr_turn + 1 where id = dept returning rr_turn into turn;
  select ad.user_id into chosen
  from public.ticket_agent_departments ad
  join public.ticket_agents a on a.user_id = ad.user_id and a.available
  where ad.department_id = dept
  order by ad.last_turn, ad.user_id
  limit 1;
  if chosen is null then return null; end if;
  update public.ticket_agent_departments set last_turn = turn where department_id = dept and user_id = chosen;
  update public.tickets set assignee_id = chosen where id = target;
  insert into public.ticket_events (ticket_id, actor_id, kind, data)
  values (target, auth.uid(), 'assigned', jsonb_build_object('assignee_id', chosen, 'round_robin', true));
  perform tickets.notify('ticket.assigned', target, jsonb_build_object('assignee_id', chosen));
  return chosen;
end $$;
revoke execute on function private.tickets_round_robin(bigint) from public, anon, authenticated;

-- Open ------------------------------------------------------------------------------------------------
/**
 * Opens a ticket for the caller: department by code (default `general`), priority, optional link to one of
 * the caller's payments or withdrawals (TK005 otherwise). Sets the SLA due dates and assigns by round-robin.
 */
create function tickets.open(
  subject text,
  body text,
  department text default 'general',
  priority public.ticket_priority default 'normal',
  payment_id bigint default null,
  withdrawal_id bigint default null,
  channel text default 'web'
) returns public.tickets
language plpgsql security definer set search_path = '' as $$
declare
  caller uuid := auth.uid();
  dept smallint;
  created public.tickets;
  due record;
begin
  if caller is null then raise exception 'Sign-in required' using errcode = 'TK011'; end if;
  if length(btrim(coalesce(subject, ''))) not between 1 and 200 or length(btrim(coalesce(body, ''))) not between 1 and 20000
     or coalesce(channel, '') not in ('web', 'api', 'email') or (payment_id is not null and withdrawal_id is not null) then
    raise exception 'The ticket is not valid.' using errcode = 'TK010';
  end if;
  select id into dept from public.ticket_departments d where d.code = coalesce(open.department, 'general') and d.active;
  if dept is null then raise exception 'No such department.' using errcode = 'TK012'; end if;
  insert into public.tickets (customer_id, subject, body, department_id, priority, payment_id, withdrawal_id, channel,
                              last_customer_message_at)
  values (caller, btrim(subject), btrim(body), dept, coalesce(open.priority, 'normal'), open.payment_id,
          open.withdrawal_id, channel, now())
  returning * into created;
  select * into due from private.tickets_due_dates(created);
  update public.tickets t set first_response_due_at = due.first_response_due_at,
                              resolution_due_at = due.resolution_due_at,
                              first_response_warn_at = due.first_response_warn_at,
                              resolution_warn_at = due.resolution_warn_at
  where t.id = created.id;
  insert into public.ticket_events (ticket_id, actor_id, kind, to_status) values (created.id, caller, 'opened', 'open');
  perform private.tickets_round_robin(created.id);
  perform tickets.notify('ticket.opened', created.id, jsonb_build_object('customer_id', caller));
  select * into created from public.tickets t where t.id = created.id;
  return created;
end $$;
comment on function tickets.open(text, text, text, public.ticket_priority, bigint, bigint, text) is
  'Opens a ticket for the caller (SLA due dates, round-robin assignment); TK005 when the linked payment/withdrawal is not theirs.';

-- Status changes --------------------------------------------------------------------------------------
/** Applies a status change to a locked ticket: timestamps, SLA pause/resume, reopen window. Internal. */
create function private.tickets_apply_status(ticket public.tickets, target public.ticket_status, as_staff boolean)
returns public.tickets
language plpgsql security definer set search_path = '' as $$
declare
  allowed boolean;
  paused integer := 0;
  due record;
  changed public.tickets;
begin
  if ticket.merged_into is not null then
    raise exception 'This ticket was merged into another one.' using errcode = 'TK014';
  end if;
  allowed := case ticket.status
    when 'open' then target in ('pending', 'resolved', 'closed')
    when 'reopened' then target in ('pending', 'resolved', 'closed')
    when 'pending' then target in ('open', 'resolved', 'closed')
    when 'resolved' then target in ('closed', 'reopened')
    when 'closed' then target = 'reopened'
  end;
  if not allowed then
    raise exception 'The ticket cannot move from % to %.', ticket.status, target using errcode = 'TK002';
  end if;
  if not as_staff and target not in ('closed', 'reopened') then
    raise exception 'Customers may only close or reopen a ticket.' using errcode = 'TK003';
  end if;
  if target = 'reopened' and not as_staff
     and coalesce(ticket.closed_at, ticket.resolved_at) < now() - interval '7 days' then
    raise exception 'A ticket can be reopened within 7 days of being resolved or closed.' using errcode = 'TK006';
  end if;

  if ticket.status = 'pending' then
    paused := tickets.business_minutes_between(ticket.pending_since, now());
  end if;
  update public.tickets t set
    status = target,
    paused_minutes = t.paused_minutes + paused,
    pending_since = case when target = 'pending' then now() end,
    reminder_sent_at = case when target = 'pending' then null else t.reminder_sent_at end,
    resolved_at = case when target = 'resolved' then now() when target = 'reopened' then null else t.resolved_at end,
    closed_at = case when target = 'closed' then now() when target = 'reopened' then null else t.closed_at end,
    resolution_minutes = case when target in ('resolved', 'closed') and t.resolved_at is null
                              then greatest(0, tickets.business_minutes_between(t.created_at, now()) - t.paused_minutes - paused)
                              when target = 'reopened' then null
                              else t.resolution_minutes end
  where t.id = ticket.id
  returning * into changed;

  if paused > 0 or target = 'reopened' then
    select * into due from private.tickets_due_dates(changed);
    if target = 'reopened' then
      -- A reopened ticket gets a fresh resolution target counted from now.
      select tickets.business_minutes_add(now(), p.resolution_minutes),
             tickets.business_minutes_add(now(), ceil(p.resolution_minutes * 0.8)::integer)
        into due.resolution_due_at, due.resolution_warn_at
      from tickets.sla_policies p where p.department_id = changed.department_id and p.priority = changed.priority;
    end if;
    update public.tickets t set
      first_response_due_at = coalesce(due.first_response_due_at, t.first_response_due_at),
      first_response_warn_at = coalesce(due.first_response_warn_at, t.first_response_warn_at),
      resolution_due_at = coalesce(due.resolution_due_at, t.resolution_due_at),
      resolution_warn_at = coalesce(due.resolution_warn_at, t.resolution_warn_at),
      sla_warning = case when target = 'reopened' then false else t.sla_warning end,
      sla_breached = case when target = 'reopened' then false else t.sla_breached end
    where t.id = changed.id
    returning * into changed;
  end if;
  return changed;
end $$;
revoke execute on function private.tickets_apply_status(public.tickets, public.ticket_status, boolean)
  from public, anon, authenticated;

/**
 * Moves a ticket along the state machine (open → pending | resolved | closed; pending → open | resolved |
 * closed; resolved → closed | reopened; closed → reopened; reopened like open). Customers may only close
 * and reopen their own tickets, reopening within 7 days of resolve/close (TK006). Pending pauses the SLA.
 */
create function tickets.change_status(ticket_id bigint, status public.ticket_status) returns public.tickets
language plpgsql security definer set search_path = '' as $$
declare
  ticket public.tickets;
begin
  if auth.uid() is null and auth.role() is distinct from 'service_role' then
    raise exception 'Sign-in required' using errcode = 'TK011';
  end if;
  ticket := private.tickets_lock_visible(change_status.ticket_id);
  return private.tickets_apply_status(ticket, change_status.status,
    public.authorize('tickets.manage') and ticket.customer_id is distinct from auth.uid());
end $$;
comment on function tickets.change_status(bigint, public.ticket_status) is
  'Status change through the state machine; customers only close and reopen (within 7 days). Audited.';

-- Messages --------------------------------------------------------------------------------------------
/**
 * Posts a reply (or, for staff, an internal note) on a ticket. A customer reply on a pending ticket opens
 * it again (the SLA clock resumes), on a resolved one reopens it; a closed ticket takes no customer replies
 * (TK015: reopen it first). The first public staff reply records the first response.
 */
create function tickets.post_message(ticket_id bigint, body text, internal boolean default false)
returns public.ticket_messages
language plpgsql security definer set search_path = '' as $$
declare
  ticket public.tickets;
  as_staff boolean;
  posted public.ticket_messages;
begin
  if auth.uid() is null and auth.role() is distinct from 'service_role' then
    raise exception 'Sign-in required' using errcode = 'TK011';
  end if;
  ticket := private.tickets_lock_visible(post_message.ticket_id);
  as_staff := public.authorize('tickets.manage') and ticket.customer_id is distinct from auth.uid();
  if coalesce(internal, false) and not as_staff then
    raise exception 'Only staff can write internal notes.' using errcode = 'TK004';
  end if;
  if length(btrim(coalesce(body, ''))) not between 1 and 20000 then
    raise exception 'The message is not valid.' using errcode = 'TK010';
  end if;
  if ticket.merged_into is not null then
    raise exception 'This ticket was merged into another one.' using errcode = 'TK014';
  end if;
  if not as_staff and ticket.status = 'closed' then
    raise exception 'This ticket is closed; reopen it to reply.' using errcode = 'TK015';
  end if;

  insert into public.ticket_messages (ticket_id, author_id, author_role, body, internal)
  values (ticket.id, auth.uid(), case when as_staff then 'staff' else 'customer' end, btrim(body), coalesce(internal, false))
  returning * into posted;

  if as_staff then
    if not posted.internal and ticket.first_responded_at is null then
      update public.tickets t set first_responded_at = now(),
        first_response_minutes = greatest(0, tickets.business_minutes_between(t.created_at, now()) - t.paused_minutes)
      where t.id = ticket.id;
    end if;
  else
    update public.tickets t set last_customer_message_at = now(), reminder_sent_at = null where t.id = ticket.id;
    if ticket.status = 'pending' then
      perform private.tickets_apply_status(ticket, 'open', true);
    elsif ticket.status = 'resolved' then
      perform private.tickets_apply_status(ticket, 'reopened', false);
    end if;
  end if;
  perform tickets.notify('message.created', ticket.id, jsonb_build_object(
    'message_id', posted.id, 'internal', posted.internal, 'author_role', posted.author_role,
    'customer_id', ticket.customer_id, 'assignee_id', ticket.assignee_id));
  return posted;
end $$;
comment on function tickets.post_message(bigint, text, boolean) is
  'Reply or internal note (staff only, TK004); customer replies resume pending tickets and reopen resolved ones.';

-- Staff actions -----------------------------------------------------------------------------------------
/** Assigns a ticket to an agent (someone whose role grants tickets.manage), or unassigns it (null). */
create function tickets.assign(ticket_id bigint, assignee_id uuid) returns public.tickets
language plpgsql security definer set search_path = '' as $$
declare
  ticket public.tickets;
begin
  perform private.tickets_require_staff();
  ticket := private.tickets_lock_visible(assign.ticket_id);
  if assign.assignee_id is not null and not exists (
    select 1 from public.user_roles r join public.role_permissions p on p.role = r.role
    where r.user_id = assign.assignee_id and p.permission = 'tickets.manage') then
    raise exception 'That user cannot work tickets.' using errcode = 'TK013';
  end if;
  update public.tickets t set assignee_id = assign.assignee_id where t.id = ticket.id returning * into ticket;
  insert into public.ticket_events (ticket_id, actor_id, kind, data)
  values (ticket.id, auth.uid(), 'assigned', jsonb_build_object('assignee_id', assign.assignee_id));
  perform tickets.notify('ticket.assigned', ticket.id, jsonb_build_object('assignee_id', assign.assignee_id));
  return ticket;
end $$;
comment on function tickets.assign(bigint, uuid) is 'Manual assignment by staff; TK013 when the assignee cannot work tickets.';

/** Round-robin (re)assignment among the department's available agents; returns the assignee or null. */
create function tickets.assign_round_robin(ticket_id bigint) returns uuid
language plpgsql security definer set search_path = '' as $$
begin
  perform private.tickets_require_staff();
  perform private.tickets_lock_visible(assign_round_robin.ticket_id);
  return private.tickets_round_robin(assign_round_robin.ticket_id);
end $$;
comment on function tickets.assign_round_robin(bigint) is
  'Assigns the ticket to the next available agent of its department (fair under concurrency); null when none.';

/** The caller (an agent) takes new tickets or not. */
create function tickets.set_availability(available boolean) returns public.ticket_agents
language plpgsql security definer set search_path = '' as $$
declare
  agent public.ticket_agents;
begin
  perform private.tickets_require_staff();
  insert into public.ticket_agents (user_id, available) values (auth.uid(), coalesce(set_availability.available, false))
  on conflict (user_id) do update set available = excluded.available, updated_at = now()
  returning * into agent;
  return agent;
end $$;
comment on function tickets.set_availability(boolean) is 'The calling agent''s availability for round-robin.';

/** Replaces a ticket's tags (trimmed, lower case, distinct; 1–32 characters each, at most 20). */
create function tickets.set_tags(ticket_id bigint, tags text[]) returns public.tickets
language plpgsql security definer set search_path = '' as $$
declare
  ticket public.tickets;
  cleaned text[];
begin
  perform private.tickets_require_staff();
  ticket := private.tickets_lock_visible(set_tags.ticket_id);
  select coalesce(array_agg(distinct lower(btrim(t)) order by lower(btrim(t))), '{}') into cleaned
  from unnest(coalesce(set_tags.tags, '{}')) t where btrim(t) <> '';
  if cardinality(cleaned) > 20 or exists (select 1 from unnest(cleaned) t where length(t) > 32) then
    raise exception 'Tags are 1–32 characters, at most 20.' using errcode = 'TK010';
  end if;
  update public.tickets t set tags = cleaned where t.id = ticket.id returning * into ticket;
  insert into public.ticket_events (ticket_id, actor_id, kind, data)
  values (ticket.id, auth.uid(), 'tags', jsonb_build_object('tags', to_jsonb(cleaned)));
  return ticket;
end $$;
comment on function tickets.set_tags(bigint, text[]) is 'Replaces the tags of a ticket (staff).';

/** Changes priority and/or department (staff); the SLA due dates follow the new policy. */
create function tickets.reclassify(ticket_id bigint, priority public.ticket_priority default null,
                                   department text default null) returns public.tickets
language plpgsql security definer set search_path = '' as $$
declare
  ticket public.tickets;
  dept smallint;
  due record;
begin
  perform private.tickets_require_staff();
  ticket := private.tickets_lock_visible(reclassify.ticket_id);
  if reclassify.department is not null then
    select id into dept from public.ticket_departments d where d.code = reclassify.department;
    if dept is null then raise exception 'No such department.' using errcode = 'TK012'; end if;
  end if;
  update public.tickets t set priority = coalesce(reclassify.priority, t.priority),
                              department_id = coalesce(dept, t.department_id)
  where t.id = ticket.id returning * into ticket;
  select * into due from private.tickets_due_dates(ticket);
  update public.tickets t set first_response_due_at = due.first_response_due_at,
                              resolution_due_at = due.resolution_due_at,
                              first_response_warn_at = due.first_response_warn_at,
                              resolution_warn_at = due.resolution_warn_at
  where t.id = ticket.id and t.status not in ('reopened') returning * into ticket;
  insert into public.ticket_events (ticket_id, actor_id, kind, data)
  values (ticket_id, auth.uid(), case when dept is not null then 'department' else 'priority' end,
          jsonb_build_object('priority', reclassify.priority, 'department', reclassify.department));
  select * into ticket from public.tickets t where t.id = reclassify.ticket_id;
  return ticket;
end $$;
comment on function tickets.reclassify(bigint, public.ticket_priority, text) is
  'Changes priority and/or department (staff); due dates follow the new SLA policy.';

/**
 * Merges `source` into `target` (same customer, neither merged already): source's messages and
 * attachments move to target, its subject and body become a message there, and source is closed with
 * merged_into = target.
 */
create function tickets.merge(source_id bigint, target_id bigint) returns public.tickets
language plpgsql security definer set search_path = '' as $$
declare
  source public.tickets;
  target public.tickets;
begin
  perform private.tickets_require_staff();
  if source_id = target_id then raise exception 'A ticket cannot be merged into itself.' using errcode = 'TK009'; end if;
  -- Lock both in id order so two opposite merges cannot deadlock.
  perform 1 from public.tickets where id in (source_id, target_id) order by id for update;
  source := private.tickets_lock_visible(source_id);
  target := private.tickets_lock_visible(target_id);
  if source.merged_into is not null or target.merged_into is not null then
    raise exception 'A merged ticket cannot be merged again.' using errcode = 'TK009';
  end if;
  if source.customer_id <> target.customer_id then
    raise exception 'Only tickets of the same customer can be merged.' using errcode = 'TK009';
  end if;
  insert into public.ticket_messages (ticket_id, author_id, author_role, body, internal, created_at)
  values (target.id, source.customer_id, 'customer', source.subject || E'\n\n' || source.body, false, source.created_at);
  update public.ticket_messages set ticket_id = target.id where ticket_id = source.id;
  update public.ticket_attachments set ticket_id = target.id where ticket_id = source.id;
  if source.status <> 'closed' then
    update public.tickets t set status = 'closed', closed_at = now(), pending_since = null where t.id = source.id;
  end if;
  update public.tickets t set merged_into = target.id where t.id = source.id;
  insert into public.ticket_events (ticket_id, actor_id, kind, data) values
    (source.id, auth.uid(), 'merged', jsonb_build_object('into', target.id)),
    (target.id, auth.uid(), 'merged', jsonb_build_object('from', source.id));
  select * into target from public.tickets t where t.id = target.id;
  return target;
end $$;
comment on function tickets.merge(bigint, bigint) is
  'Merges source into target (same customer): the thread moves, source closes and points to target.';

/** The customer rates their resolved or closed ticket once: score 1–5 and an optional comment. */
create function tickets.rate(ticket_id bigint, score integer, comment text default null) returns public.tickets
language plpgsql security definer set search_path = '' as $$
declare
  ticket public.tickets;
begin
  if auth.uid() is null then raise exception 'Sign-in required' using errcode = 'TK011'; end if;
  ticket := private.tickets_lock_visible(rate.ticket_id);
  if ticket.customer_id <> auth.uid() then
    raise exception 'Only the customer can rate a ticket.' using errcode = 'TK003';
  end if;
  if score is null or score not between 1 and 5 or length(comment) > 2000 then
    raise exception 'The score is 1 to 5.' using errcode = 'TK010';
  end if;
  if ticket.csat_score is not null then raise exception 'This ticket was rated already.' using errcode = 'TK007'; end if;
  if ticket.status not in ('resolved', 'closed') or ticket.merged_into is not null then
    raise exception 'Only a resolved or closed ticket can be rated.' using errcode = 'TK008';
  end if;
  update public.tickets t set csat_score = score, csat_comment = nullif(btrim(comment), ''), rated_at = now()
  where t.id = ticket.id returning * into ticket;
  insert into public.ticket_events (ticket_id, actor_id, kind, data)
  values (ticket.id, auth.uid(), 'rated', jsonb_build_object('score', score));
  return ticket;
end $$;
comment on function tickets.rate(bigint, integer, text) is 'CSAT 1–5 plus comment, once, by the customer, on resolved/closed tickets.';

/** A canned response with {{customer.name}} and {{ticket.number}} filled for the ticket, in fa or en. */
create function tickets.render_canned(canned_id bigint, ticket_id bigint, locale text default 'fa') returns text
language plpgsql stable security definer set search_path = '' as $$
declare
  ticket public.tickets;
  template text;
  customer_name text;
begin
  perform private.tickets_require_staff();
  select * into ticket from public.tickets t where t.id = render_canned.ticket_id;
  if ticket.id is null then raise exception 'No such ticket.' using errcode = 'TK001'; end if;
  select case when locale = 'en' then c.body_en else c.body_fa end into template
  from public.ticket_canned_responses c where c.id = canned_id;
  if template is null then raise exception 'No such canned response.' using errcode = 'TK010'; end if;
  select coalesce(nullif(p.full_name, ''), u.email) into customer_name
  from auth.users u left join public.profiles p on p.id = u.id where u.id = ticket.customer_id;
  return replace(replace(template, '{{customer.name}}', coalesce(customer_name, '')), '{{ticket.number}}', ticket.number);
end $$;
comment on function tickets.render_canned(bigint, bigint, text) is 'Fills a canned response''s variables for a ticket (staff).';

-- Jobs --------------------------------------------------------------------------------------------------
/**
 * Flags SLA warnings (80% of a target used) and breaches (100%) on open and reopened tickets (pending ones
 * are paused), records an event and calls the notification hook once per flag. Returns how many flags
 * were raised.
 */
create function tickets.check_sla() returns integer
language plpgsql security definer set search_path = '' as $$
declare
  flagged record;
  total integer := 0;
begin
  for flagged in
    update public.tickets t set sla_breached = true, sla_warning = true
    where t.status in ('open', 'reopened') and not t.sla_breached and t.merged_into is null
      and ((t.first_responded_at is null and t.first_response_due_at <= now()) or t.resolution_due_at <= now())
    returning t.id, t.assignee_id
  loop
    insert into public.ticket_events (ticket_id, kind) values (flagged.id, 'sla_breach');
    perform tickets.notify('sla.breach', flagged.id, jsonb_build_object('assignee_id', flagged.assignee_id));
    total := total + 1;
  end loop;
  for flagged in
    update public.tickets t set sla_warning = true
    where t.status in ('open', 'reopened') and not t.sla_warning and t.merged_into is null
      and ((t.first_responded_at is null and t.first_response_warn_at <= now()) or t.resolution_warn_at <= now())
    returning t.id, t.assignee_id
  loop
    insert into public.ticket_events (ticket_id, kind) values (flagged.id, 'sla_warning');
    perform tickets.notify('sla.warning', flagged.id, jsonb_build_object('assignee_id', flagged.assignee_id));
    total := total + 1;
  end loop;
  return total;
end $$;
comment on function tickets.check_sla() is 'The SLA job: warning at 80%, breach at 100% of a target; notifies once each.';

/**
 * Pending tickets with no customer reply: a reminder after 5 days, closed after 7. Returns
 * (reminded, closed).
 */
create function tickets.auto_close_pending(out reminded integer, out closed integer)
language plpgsql security definer set search_path = '' as $$
declare
  ticket public.tickets;
begin
  reminded := 0;
  closed := 0;
  for ticket in
    select * from public.tickets where status = 'pending' and pending_since <= now() - interval '7 days'
    order by id for update skip locked
  loop
    perform private.tickets_apply_status(ticket, 'closed', true);
    perform tickets.notify('ticket.auto_closed', ticket.id, jsonb_build_object('customer_id', ticket.customer_id));
    closed := closed + 1;
  end loop;
  for ticket in
    update public.tickets set reminder_sent_at = now()
    where status = 'pending' and reminder_sent_at is null and pending_since <= now() - interval '5 days'
    returning *
  loop
    insert into public.ticket_events (ticket_id, kind) values (ticket.id, 'pending_reminder');
    perform tickets.notify('ticket.pending_reminder', ticket.id, jsonb_build_object('customer_id', ticket.customer_id));
    reminded := reminded + 1;
  end loop;
end $$;
comment on function tickets.auto_close_pending() is
  'The auto-close job: reminder after 5 days pending without a customer reply, close after 7.';

-- Grants ----------------------------------------------------------------------------------------------
revoke execute on all functions in schema tickets from public, anon;
grant execute on function
  tickets.open(text, text, text, public.ticket_priority, bigint, bigint, text),
  tickets.change_status(bigint, public.ticket_status),
  tickets.post_message(bigint, text, boolean),
  tickets.assign(bigint, uuid),
  tickets.assign_round_robin(bigint),
  tickets.set_availability(boolean),
  tickets.set_tags(bigint, text[]),
  tickets.reclassify(bigint, public.ticket_priority, text),
  tickets.merge(bigint, bigint),
  tickets.rate(bigint, integer, text),
  tickets.render_canned(bigint, bigint, text),
  tickets.business_hours(date),
  tickets.business_minutes_add(timestamptz, integer),
  tickets.business_minutes_between(timestamptz, timestamptz),
  tickets.normalize_search(text),
  tickets.search(text, integer)
  to authenticated, service_role;
revoke execute on function tickets.check_sla(), tickets.auto_close_pending(), tickets.notify(text, bigint, jsonb)
  from authenticated;
grant execute on function tickets.check_sla(), tickets.auto_close_pending(), tickets.notify(text, bigint, jsonb)
  to service_role;
revoke execute on function private.tickets_set_search_text(), private.tickets_audit_status(),
  private.tickets_check_link() from public, anon, authenticated;

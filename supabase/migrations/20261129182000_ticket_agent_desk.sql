-- Purpose: what the staff help desk pages need beyond the core: presence ("another agent is viewing /
--          replying", kept in Postgres so every app instance sees it, announced on NOTIFY channel
--          ticket_presence), @mentions of agents through the notification hook, and the list of agents
--          (id, email, availability) for assignment.
-- Access: staff with tickets.manage only (TK003 otherwise); presence rows are read by staff (RLS) and written
--         only through tickets.touch_presence / tickets.leave_presence for the caller themself.
-- Risk: low; a new table and new functions. Codes: see 20261129170000_create_tickets.sql.

create table public.ticket_presence (
  ticket_id bigint not null references public.tickets (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  state text not null check (state in ('viewing', 'replying')),
  seen_at timestamptz not null default now(),
  primary key (ticket_id, user_id)
);
comment on table public.ticket_presence is
  'Which agents have a ticket open (viewing) or are typing a reply (replying); a row older than 2 minutes is stale.';
create index ticket_presence_user_idx on public.ticket_presence (user_id);

revoke all on table public.ticket_presence from public, anon, authenticated, service_role;
grant select on table public.ticket_presence to authenticated, service_role;
alter table public.ticket_presence enable row level security;
create policy "ticket_presence: ticket staff can select" on public.ticket_presence
  for select to authenticated using ((select public.authorize('tickets.manage')));

/** The caller is viewing or replying to a ticket now (upsert); announces it on channel ticket_presence. */
create function tickets.touch_presence(ticket_id bigint, state text default 'viewing') returns void
language plpgsql security definer set search_path = '' as $$
begin
  perform private.tickets_require_staff();
  if auth.uid() is null then raise exception 'Sign-in required' using errcode = 'TK011'; end if;
  if state is null or state not in ('viewing', 'replying') then
    raise exception 'Presence is viewing or replying.' using errcode = 'TK010';
  end if;
  if not exists (select 1 from public.tickets t where t.id = touch_presence.ticket_id) then
    raise exception 'No such ticket.' using errcode = 'TK001';
  end if;
  insert into public.ticket_presence (ticket_id, user_id, state, seen_at)
  values (touch_presence.ticket_id, auth.uid(), touch_presence.state, now())
  on conflict on constraint ticket_presence_pkey do update set state = excluded.state, seen_at = excluded.seen_at;
  perform pg_notify('ticket_presence', json_build_object('ticket_id', touch_presence.ticket_id::text)::text);
end $$;
comment on function tickets.touch_presence(bigint, text) is
  'Records that the calling agent is viewing or replying to a ticket (staff); NOTIFY ticket_presence.';

/** The caller left the ticket. */
create function tickets.leave_presence(ticket_id bigint) returns void
language plpgsql security definer set search_path = '' as $$
begin
  perform private.tickets_require_staff();
  delete from public.ticket_presence p where p.ticket_id = leave_presence.ticket_id and p.user_id = auth.uid();
  perform pg_notify('ticket_presence', json_build_object('ticket_id', leave_presence.ticket_id::text)::text);
end $$;
comment on function tickets.leave_presence(bigint) is 'The calling agent closed the ticket (staff).';

/**
 * Agents mentioned in a message: each mentioned user who works tickets gets the notification hook's
 * 'agent.mentioned' event. Only the message's author may announce mentions. Returns the agents notified.
 */
create function tickets.mention_agents(message_id bigint, agents uuid[]) returns uuid[]
language plpgsql security definer set search_path = '' as $$
declare
  message public.ticket_messages;
  notified uuid[];
begin
  perform private.tickets_require_staff();
  select * into message from public.ticket_messages m where m.id = mention_agents.message_id;
  if message.id is null or message.author_id is distinct from auth.uid() then
    raise exception 'No such message.' using errcode = 'TK001';
  end if;
  select coalesce(array_agg(distinct r.user_id), '{}') into notified
  from public.user_roles r join public.role_permissions p on p.role = r.role
  where r.user_id = any (coalesce(mention_agents.agents, '{}')) and p.permission = 'tickets.manage'
    and r.user_id <> auth.uid();
  perform tickets.notify('agent.mentioned', message.ticket_id,
    jsonb_build_object('message_id', message.id, 'agent_id', a, 'by', auth.uid(), 'internal', message.internal))
  from unnest(notified) a;
  return notified;
end $$;
comment on function tickets.mention_agents(bigint, uuid[]) is
  'Calls the notification hook (agent.mentioned) for each agent @mentioned in the caller''s message.';

/** People who can work tickets (their role grants tickets.manage), with email and availability. */
create function tickets.agents() returns table (user_id uuid, email text, available boolean)
language plpgsql stable security definer set search_path = '' as $$
begin
  perform private.tickets_require_staff();
  return query
    select r.user_id, u.email::text, coalesce(a.available, false)
    from public.user_roles r
    join public.role_permissions p on p.role = r.role and p.permission = 'tickets.manage'
    join auth.users u on u.id = r.user_id
    left join public.ticket_agents a on a.user_id = r.user_id
    order by u.email;
end $$;
comment on function tickets.agents() is 'Agents (tickets.manage) with email and round-robin availability (staff).';

revoke execute on function tickets.touch_presence(bigint, text), tickets.leave_presence(bigint),
  tickets.mention_agents(bigint, uuid[]), tickets.agents() from public, anon;
grant execute on function tickets.touch_presence(bigint, text), tickets.leave_presence(bigint),
  tickets.mention_agents(bigint, uuid[]), tickets.agents() to authenticated, service_role;

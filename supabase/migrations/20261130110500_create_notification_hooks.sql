-- Purpose: the events that notify (issue 15), each written in the same transaction as the change:
--          - money: payments.on_settled (body replaced: it still tells listeners, and now emits payment.settled);
--            a trigger on public.payments for failed / needs review / refunded; a trigger on ledger.withdrawals
--            for requested / paid (approved) / rejected; transfer received: ONE statement-level trigger on
--            ledger.entries that copies the posting's positive legs into notifications.ledger_events (one
--            INSERT … SELECT per posting; no look-ups on the hot path). notifications.expand_ledger_events()
--            (called by the dispatcher before each claim, and by pg_cron) turns the transfer legs into
--            transfer.received notifications and deletes the rest.
--          - tickets: tickets.notify (the hook the help desk already calls) is no longer a no-op: a staff
--            reply or a status change → the customer; a new ticket → the department's agents; an assignment,
--            an @mention, an SLA warning or breach → the agent (the department's agents when unassigned).
--          - security (critical): triggers on auth.users (password changed, email changed), auth.sessions (new
--            sign-in) and public.user_roles (role granted or removed, except the default `user` role a new
--            account gets). These tables exist with these columns both in hosted Supabase Auth and in the
--            local shim (local/sql/supabase_shim.sql).
-- Access: trigger functions have no grants; expand_ledger_events is for service_role and cron.
-- Risk: medium: the hooks run inside money, ticket and sign-in transactions. emit() never raises for a missing
--       address; an unknown event would raise (NT001), and every event used here is seeded.

-- money --------------------------------------------------------------------------------------------------
create or replace function payments.on_settled(payment public.payments) returns void
language plpgsql security definer set search_path = '' as $$
begin
  -- Runs inside the settling transaction, so the notification commits with the credit or not at all.
  perform pg_notify('payment_settled', json_build_object(
    'payment_id', payment.id::text, 'user_id', payment.user_id, 'amount', payment.amount::text,
    'ref_id', payment.ref_id::text)::text);
  perform notifications.emit('payment.settled', payment.user_id, jsonb_build_object(
    'amount', payment.amount::text, 'payment_id', payment.id::text, 'ref_id', coalesce(payment.ref_id::text, '')),
    'payment:' || payment.id);
end $$;
comment on function payments.on_settled(public.payments) is
  'Called once per payment, in the transaction that settles it: tells listeners and emits payment.settled.';

create function notifications.on_payment_changed() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  facts jsonb := jsonb_build_object('amount', new.amount::text, 'payment_id', new.id::text);
begin
  if new.status = 'failed' and old.status is distinct from 'failed' then
    perform notifications.emit('payment.failed', new.user_id, facts, 'payment-failed:' || new.id);
  end if;
  if new.needs_review and not old.needs_review then
    perform notifications.emit('payment.needs_review', new.user_id, facts, 'payment-review:' || new.id);
  end if;
  if new.status = 'refunded' and old.status is distinct from 'refunded' then
    perform notifications.emit('refund.done', new.user_id, facts, 'refund:' || new.id);
  end if;
  return null;
end $$;
comment on function notifications.on_payment_changed() is 'payment.failed / payment.needs_review / refund.done, in the payment''s transaction.';
create trigger payments_notify after update of status, needs_review on public.payments
  for each row execute function notifications.on_payment_changed();

create function notifications.on_withdrawal_changed() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'INSERT' then
    perform notifications.emit('withdrawal.requested', new.user_id,
      jsonb_build_object('amount', new.amount::text, 'withdrawal_id', new.id::text), 'withdrawal-requested:' || new.id);
  elsif new.status = 'approved' and old.status <> 'approved' then
    perform notifications.emit('withdrawal.paid', new.user_id,
      jsonb_build_object('amount', new.amount::text, 'withdrawal_id', new.id::text), 'withdrawal-paid:' || new.id);
  elsif new.status = 'rejected' and old.status <> 'rejected' then
    perform notifications.emit('withdrawal.rejected', new.user_id,
      jsonb_build_object('amount', new.amount::text, 'withdrawal_id', new.id::text,
                         'reason', coalesce(new.review_note, '')), 'withdrawal-rejected:' || new.id);
  end if;
  return null;
end $$;
comment on function notifications.on_withdrawal_changed() is 'withdrawal.requested / paid / rejected, in the withdrawal''s transaction.';
create trigger withdrawals_notify after insert or update of status on ledger.withdrawals
  for each row execute function notifications.on_withdrawal_changed();

-- The ledger's hot path: one INSERT … SELECT per posting statement, nothing else.
create function notifications.capture_ledger_legs() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into notifications.ledger_events (transaction_id, account_id, amount)
  select l.transaction_id, l.account_id, l.amount from posted_legs l where l.amount > 0;
  return null;
end $$;
comment on function notifications.capture_ledger_legs() is
  'Statement trigger on ledger.entries: copies the posting''s positive legs into notifications.ledger_events (one insert).';
create trigger entries_notify after insert on ledger.entries
  referencing new table as posted_legs
  for each statement execute function notifications.capture_ledger_legs();

/** Turns captured transfer legs into transfer.received notifications; other legs are dropped. Returns the count. */
create function notifications.expand_ledger_events(max_rows integer default 5000) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  made integer := 0;
  leg record;
begin
  for leg in
    with taken as (
      delete from notifications.ledger_events e
      where e.ctid in (select x.ctid from notifications.ledger_events x limit max_rows for update skip locked)
      returning e.transaction_id, e.account_id, e.amount)
    select t.transaction_id, t.amount, a.user_id,
           (select coalesce(nullif(p.full_name, ''), u.email, '')
            from ledger.entries s join ledger.accounts sa on sa.id = s.account_id
            left join public.profiles p on p.id = sa.user_id left join auth.users u on u.id = sa.user_id
            where s.transaction_id = t.transaction_id and s.amount < 0 and sa.kind = 'wallet' limit 1) as sender
    from taken t
    join ledger.transactions tx on tx.id = t.transaction_id and tx.kind = 'transfer'
    join ledger.accounts a on a.id = t.account_id and a.kind = 'wallet' and a.user_id is not null
  loop
    perform notifications.emit('transfer.received', leg.user_id, jsonb_build_object(
      'amount', leg.amount::text, 'sender', coalesce(leg.sender, ''), 'transaction_id', leg.transaction_id::text),
      'transfer:' || leg.transaction_id);
    made := made + 1;
  end loop;
  return made;
end $$;
comment on function notifications.expand_ledger_events(integer) is
  'transfer.received for captured transfer legs (dispatcher and cron); other captured legs are discarded.';
revoke execute on function notifications.expand_ledger_events(integer) from public, anon, authenticated;
grant execute on function notifications.expand_ledger_events(integer) to service_role;
select cron.schedule('notifications-ledger-events', '* * * * *', 'select notifications.expand_ledger_events()');

-- tickets ------------------------------------------------------------------------------------------------
create or replace function tickets.notify(event text, ticket_id bigint, payload jsonb) returns void
language plpgsql security definer set search_path = '' as $$
declare
  t public.tickets;
  facts jsonb;
  agent uuid;
begin
  select * into t from public.tickets x where x.id = notify.ticket_id;
  if not found then return; end if;
  facts := jsonb_build_object('ticket_id', t.id::text, 'number', t.number, 'subject', t.subject, 'status', t.status::text);
  if notify.event = 'message.created' then
    if (payload ->> 'author_role') = 'staff' and not coalesce((payload ->> 'internal')::boolean, false) then
      perform notifications.emit('ticket.replied', t.customer_id, facts, 'ticket-reply:' || (payload ->> 'message_id'));
    end if;
  elsif notify.event in ('ticket.status_changed', 'ticket.auto_closed') then
    perform notifications.emit('ticket.status_changed', t.customer_id, facts,
      'ticket-status:' || t.id || ':' || t.status || ':' || coalesce(t.updated_at::text, now()::text));
  elsif notify.event = 'ticket.opened' then
    for agent in
      select d.user_id from public.ticket_agent_departments d where d.department_id = t.department_id
    loop
      perform notifications.emit('ticket.opened', agent, facts, 'ticket-opened:' || t.id);
    end loop;
  elsif notify.event = 'ticket.assigned' then
    perform notifications.emit('ticket.assigned', (payload ->> 'assignee_id')::uuid, facts,
      'ticket-assigned:' || t.id || ':' || coalesce(payload ->> 'assignee_id', '') || ':' || now()::text);
  elsif notify.event = 'agent.mentioned' then
    perform notifications.emit('ticket.mentioned', (payload ->> 'agent_id')::uuid, facts,
      'ticket-mention:' || coalesce(payload ->> 'message_id', '') || ':' || coalesce(payload ->> 'agent_id', ''));
  elsif notify.event in ('sla.warning', 'sla.breach') then
    for agent in
      select t.assignee_id where t.assignee_id is not null
      union
      select d.user_id from public.ticket_agent_departments d
      where t.assignee_id is null and d.department_id = t.department_id
    loop
      perform notifications.emit(case when notify.event = 'sla.warning' then 'ticket.sla_warning' else 'ticket.sla_breach' end,
        agent, facts, notify.event || ':' || t.id || ':' || coalesce(t.first_responded_at::text, 'first'));
    end loop;
  end if;
end $$;
comment on function tickets.notify(text, bigint, jsonb) is
  'Notification hook for ticket events: staff replies and status changes to the customer; new tickets, assignments, @mentions and SLA warnings/breaches to agents.';

-- security (critical) ----------------------------------------------------------------------------------
create function notifications.on_auth_user_changed() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.encrypted_password is distinct from old.encrypted_password and old.encrypted_password is not null
     and old.encrypted_password <> '' then
    perform notifications.emit('security.password_changed', new.id, '{}'::jsonb);
  end if;
  if new.email is distinct from old.email and old.email is not null then
    perform notifications.emit('security.email_changed', new.id, jsonb_build_object('email', coalesce(new.email, '')));
  end if;
  return null;
end $$;
comment on function notifications.on_auth_user_changed() is 'security.password_changed / security.email_changed (critical).';
create trigger on_auth_user_security_notify after update of encrypted_password, email on auth.users
  for each row execute function notifications.on_auth_user_changed();

create function notifications.on_auth_session_created() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform notifications.emit('security.new_sign_in', new.user_id, jsonb_build_object(
    'ip', coalesce(host(new.ip), '?'), 'user_agent', left(coalesce(new.user_agent, '?'), 120)), 'session:' || new.id);
  return null;
end $$;
comment on function notifications.on_auth_session_created() is 'security.new_sign_in (critical) for every new Auth session.';
create trigger on_auth_session_notify after insert on auth.sessions
  for each row execute function notifications.on_auth_session_created();

create function notifications.on_role_changed() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  target uuid := coalesce(new.user_id, old.user_id);
begin
  if tg_op = 'INSERT' and new.role = 'user' then return null; end if;
  if not exists (select 1 from auth.users u where u.id = target) then return null; end if;
  perform notifications.emit('security.role_changed', target,
    jsonb_build_object('role', private.primary_role(target)::text));
  return null;
end $$;
comment on function notifications.on_role_changed() is 'security.role_changed (critical) when a role is granted or removed.';
create trigger user_roles_notify after insert or delete on public.user_roles
  for each row execute function notifications.on_role_changed();

revoke execute on function notifications.on_payment_changed(), notifications.on_withdrawal_changed(),
  notifications.capture_ledger_legs(), notifications.on_auth_user_changed(), notifications.on_auth_session_created(),
  notifications.on_role_changed() from public, anon, authenticated;

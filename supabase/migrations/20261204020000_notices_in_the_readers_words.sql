-- Purpose: two notices put a database value into a sentence as it is stored. "security.role_changed" said
--          «نقش حساب پیشخوان شما اکنون finance است» (the enum value, in a Persian sentence, in the app, by email
--          and SMS), and "ticket.status_changed" told a customer «… تغییر کرد: pending»; ticket notices named
--          the ticket TK-100001 in Persian, where every page writes TK-۱۰۰۰۰۱. The emitters now send the
--          reader's words beside the stored value, in data.by_locale (which notifications.deliver already
--          applies for the recipient's language): the role and the ticket status as the pages name them, the
--          ticket number in Persian digits for Persian readers.
--          And the status notice named the status the ticket had BEFORE the change: it is sent from the
--          BEFORE UPDATE trigger (private.tickets_audit_status), when the row still holds the old status. It
--          now takes the new one from the trigger's payload (`to`).
--          notifications.label holds those labels, a copy of the app's catalogue entries (role.*, and
--          tickets.status.* as the customer pages word them); tests/integration/notifications_labels_test.ts
--          fails when the two differ, so a label changed in one place is changed in both.
-- Access: notifications.label is for the definer functions that call it (no grants).
-- Risk: low (display text only). Tested: tests/integration/notifications_labels_test.ts.

/** A stored value as a reader of `lang` reads it: a role or a ticket status (the value itself if unknown). */
create function notifications.label(kind text, value text, lang text) returns text
language sql immutable parallel safe as $$
  select coalesce((
    select l.label from (values
      ('role', 'user', 'fa', 'مشتری'), ('role', 'user', 'en', 'Customer'),
      ('role', 'agent', 'fa', 'کارشناس پشتیبانی'), ('role', 'agent', 'en', 'Support agent'),
      ('role', 'finance', 'fa', 'مالی'), ('role', 'finance', 'en', 'Finance'),
      ('role', 'auditor', 'fa', 'حسابرس'), ('role', 'auditor', 'en', 'Auditor'),
      ('role', 'admin', 'fa', 'مدیر'), ('role', 'admin', 'en', 'Administrator'),
      ('ticket_status', 'open', 'fa', 'باز'), ('ticket_status', 'open', 'en', 'Open'),
      ('ticket_status', 'pending', 'fa', 'در انتظار پاسخ شما'), ('ticket_status', 'pending', 'en', 'Waiting for you'),
      ('ticket_status', 'resolved', 'fa', 'حل‌شده'), ('ticket_status', 'resolved', 'en', 'Resolved'),
      ('ticket_status', 'closed', 'fa', 'بسته'), ('ticket_status', 'closed', 'en', 'Closed'),
      ('ticket_status', 'reopened', 'fa', 'بازگشایی‌شده'), ('ticket_status', 'reopened', 'en', 'Reopened')
    ) as l (kind, value, lang, label)
    where l.kind = $1 and l.value = $2 and l.lang = $3), $2)
$$;
comment on function notifications.label(text, text, text) is
  'A role or ticket status in the words the app''s pages use for it, per language (a copy of the app''s catalogue; a test compares them).';
revoke execute on function notifications.label(text, text, text) from public, anon, authenticated;

/** The same value for each language: by_locale.fa and by_locale.en of a notification's data. */
create function notifications.labels(kind text, value text) returns jsonb
language sql immutable parallel safe as $$
  select jsonb_build_object('fa', notifications.label($1, $2, 'fa'), 'en', notifications.label($1, $2, 'en'))
$$;
revoke execute on function notifications.labels(text, text) from public, anon, authenticated;

create or replace function notifications.on_role_changed() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  target uuid := coalesce(new.user_id, old.user_id);
  role text;
  words jsonb;
begin
  if tg_op = 'INSERT' and new.role = 'user' then return null; end if;
  if not exists (select 1 from auth.users u where u.id = target) then return null; end if;
  role := private.primary_role(target)::text;
  words := notifications.labels('role', role);
  perform notifications.emit('security.role_changed', target, jsonb_build_object('role', role,
    'by_locale', jsonb_build_object('fa', jsonb_build_object('role', words ->> 'fa'),
                                    'en', jsonb_build_object('role', words ->> 'en'))));
  return null;
end $$;

create or replace function tickets.notify(event text, ticket_id bigint, payload jsonb) returns void
language plpgsql security definer set search_path = '' as $$
declare
  t public.tickets;
  facts jsonb;
  status text;
  status_words jsonb;
  agent uuid;
begin
  select * into t from public.tickets x where x.id = notify.ticket_id;
  if not found then return; end if;
  -- A status change is announced from the BEFORE UPDATE trigger, while the row still holds the old status:
  -- the new one is the payload's `to`.
  status := coalesce(notify.payload ->> 'to', t.status::text);
  status_words := notifications.labels('ticket_status', status);
  -- The stored values, and the reader's words for them: the status as the pages name it, the number in
  -- Persian digits for a Persian reader (as every page writes it).
  facts := jsonb_build_object('ticket_id', t.id::text, 'number', t.number, 'subject', t.subject, 'status', status,
    'by_locale', jsonb_build_object(
      'fa', jsonb_build_object('number', translate(t.number, '0123456789', '۰۱۲۳۴۵۶۷۸۹'), 'status', status_words ->> 'fa'),
      'en', jsonb_build_object('status', status_words ->> 'en')));
  if notify.event = 'message.created' then
    if (payload ->> 'author_role') = 'staff' and not coalesce((payload ->> 'internal')::boolean, false) then
      perform notifications.emit('ticket.replied', t.customer_id, facts, 'ticket-reply:' || (payload ->> 'message_id'));
    end if;
  elsif notify.event in ('ticket.status_changed', 'ticket.auto_closed') then
    perform notifications.emit('ticket.status_changed', t.customer_id, facts,
      'ticket-status:' || t.id || ':' || status || ':' || coalesce(t.updated_at::text, now()::text));
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

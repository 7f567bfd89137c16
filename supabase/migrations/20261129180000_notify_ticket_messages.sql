-- Live ticket threads: every new row of public.ticket_messages is announced with
-- pg_notify('ticket_message', {ticket_id, message_id, customer_id, author_role, internal}).
-- The payload carries ids only, never the body: a listener (lib/tickets/live.ts) reads the message again in
-- its subscriber's own RLS transaction, so a customer's stream can never receive an internal note, and a
-- body of up to 20000 characters never meets NOTIFY's 8000-byte payload limit.
-- Messages are rare next to ledger postings, so announcing every one (no watcher table as for wallets) does
-- not put a hot path on the commit-order NOTIFY lock.

create function private.tickets_notify_message()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform pg_notify('ticket_message', json_build_object(
    'ticket_id', new.ticket_id::text,
    'message_id', new.id::text,
    'customer_id', (select t.customer_id from public.tickets t where t.id = new.ticket_id),
    'author_role', new.author_role,
    'internal', new.internal
  )::text);
  return null;
end $$;
comment on function private.tickets_notify_message() is
  'Trigger: announces a new ticket message on channel ticket_message (ids only; listeners re-read under RLS). Internal.';
revoke execute on function private.tickets_notify_message() from public, anon, authenticated;

create trigger ticket_messages_notify
after insert on public.ticket_messages
for each row execute function private.tickets_notify_message();

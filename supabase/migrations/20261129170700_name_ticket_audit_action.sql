-- Purpose: status changes of tickets are audited as `tickets.status_change` (the domain's plural prefix, like
--          payments.refund and users.role_change) so the audit page lists and labels them (lib/audit/record.ts).
-- Access: unchanged (the trigger function runs as its owner).
-- Risk: low; only the action name of new audit entries changes (no ticket was audited before this ships).

create or replace function private.tickets_audit_status()
returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.status is distinct from old.status then
    insert into public.ticket_events (ticket_id, actor_id, kind, from_status, to_status)
    values (new.id, auth.uid(), 'status', old.status, new.status);
    perform private.record_audit('tickets.status_change', auth.uid(), auth.jwt() ->> 'email', 'ticket',
      new.id::text, jsonb_build_object('number', new.number, 'from', old.status, 'to', new.status));
    perform tickets.notify('ticket.status_changed', new.id,
      jsonb_build_object('from', old.status, 'to', new.status, 'customer_id', new.customer_id));
  end if;
  new.updated_at := now();
  return new;
end $$;

-- Purpose: tickets.add_attachment records an attachment's metadata (the object itself goes to Storage bucket
--          `ticket-attachments` at {ticket_id}/{name}; the bucket and its storage.objects policies come with the
--          Storage work). The ticket's customer and staff may attach; to a message only of the same ticket, and
--          a customer never to an internal note.
-- Access: authenticated and service_role; another user's ticket is TK001.
-- Risk: low; new function. Size (≤ 10 MB) and MIME type (PNG, JPEG, WebP, PDF, plain text) are checked by the
--       table's constraints and refused here first as TK010.

/** Records an attachment of a ticket (or of one of its messages); returns the row. */
create function tickets.add_attachment(ticket_id bigint, name text, size bigint, mime text, message_id bigint default null)
returns public.ticket_attachments
language plpgsql security definer set search_path = '' as $$
declare
  ticket public.tickets;
  message public.ticket_messages;
  added public.ticket_attachments;
begin
  if auth.uid() is null and auth.role() is distinct from 'service_role' then
    raise exception 'Sign-in required' using errcode = 'TK011';
  end if;
  ticket := private.tickets_lock_visible(add_attachment.ticket_id);
  if ticket.merged_into is not null then
    raise exception 'This ticket was merged into another one.' using errcode = 'TK014';
  end if;
  if coalesce(length(name), 0) not between 1 and 255 or name ~ '[/\\]' or name in ('.', '..')
     or size is null or size not between 0 and 10485760
     or coalesce(mime, '') not in ('image/png', 'image/jpeg', 'image/webp', 'application/pdf', 'text/plain') then
    raise exception 'The attachment is not valid (name, at most 10 MB, PNG, JPEG, WebP, PDF or text).' using errcode = 'TK010';
  end if;
  if add_attachment.message_id is not null then
    select * into message from public.ticket_messages m where m.id = add_attachment.message_id;
    if message.id is null or message.ticket_id <> ticket.id
       or (message.internal and not public.authorize('tickets.manage')) then
      raise exception 'No such message on this ticket.' using errcode = 'TK010';
    end if;
  end if;
  if exists (select 1 from public.ticket_attachments a where a.path = ticket.id || '/' || add_attachment.name) then
    raise exception 'The ticket already has a file with that name.' using errcode = 'TK010';
  end if;
  insert into public.ticket_attachments (ticket_id, message_id, path, name, size, mime, uploaded_by)
  values (ticket.id, add_attachment.message_id, ticket.id || '/' || add_attachment.name, add_attachment.name,
          add_attachment.size, add_attachment.mime, auth.uid())
  returning * into added;
  return added;
end $$;
comment on function tickets.add_attachment(bigint, text, bigint, text, bigint) is
  'Attachment metadata for a ticket or one of its messages (path {ticket_id}/{name} in bucket ticket-attachments).';
revoke execute on function tickets.add_attachment(bigint, text, bigint, text, bigint) from public, anon;
grant execute on function tickets.add_attachment(bigint, text, bigint, text, bigint) to authenticated, service_role;

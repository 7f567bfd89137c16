-- Purpose: the Storage side of ticket attachments: the private bucket `ticket-attachments` (10 MB per file;
--          PNG, JPEG, WebP, PDF and plain text, set on the bucket as Supabase does), the RLS policies on
--          storage.objects for it, and tickets.add_attachment, which records an uploaded object's metadata in
--          public.ticket_attachments.
-- Layout: objects live at {ticket_id}/{file}. The policies call a SECURITY DEFINER helper,
--         tickets.attachment_allowed(operation, name, owner), so that it reads tickets and messages whatever the
--         caller may see of them.
-- Access: read — staff with tickets.manage; the ticket's customer: files recorded on the ticket or on public
--         messages, and their own uploads not yet recorded (never files of internal notes);
--         insert — the ticket's customer (while the ticket is not merged or closed) and staff;
--         delete — staff, or the uploader while the object is not yet recorded as an attachment (clean-up of
--         a failed upload); update — nobody (uploads never overwrite). anon: nothing.
-- Risk: low; a new bucket and new policies scoped to it. New codes (lib/tickets/errors.ts):
--   TK016 ticket_attachment_missing, TK017 ticket_attachment_too_large, TK018 ticket_attachment_type.

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('ticket-attachments', 'ticket-attachments', false, 10485760,
        array['image/png', 'image/jpeg', 'image/webp', 'application/pdf', 'text/plain'])
on conflict (id) do update set public = excluded.public, file_size_limit = excluded.file_size_limit,
  allowed_mime_types = excluded.allowed_mime_types;

/** The ticket id an object of the bucket belongs to (its first folder), or null when the name is not {id}/{file}. */
create function tickets.attachment_ticket_id(object_name text) returns bigint
language sql immutable set search_path = '' as $$
  select case when object_name ~ '^[1-9][0-9]{0,17}/[^/]+$' then split_part(object_name, '/', 1)::bigint end
$$;
comment on function tickets.attachment_ticket_id(text) is
  'The ticket id of a ticket-attachments object name ({ticket_id}/{file}), or null for any other name.';

/**
 * May the caller `read` or `write` (upload) this object of the bucket (with the given owner)?
 * Staff with tickets.manage: both. The ticket's customer: write while the ticket is neither merged nor closed;
 * read a file recorded on the ticket or on a public message, or an upload of their own not yet recorded —
 * never a file of an internal note, nor a staff upload before it is recorded. Anyone else: neither.
 */
create function tickets.attachment_allowed(operation text, object_name text, object_owner text) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  ticket public.tickets;
begin
  select * into ticket from public.tickets where id = tickets.attachment_ticket_id(object_name);
  if ticket.id is null or auth.uid() is null then
    return false;
  end if;
  if public.authorize('tickets.manage') then
    return true;
  end if;
  if ticket.customer_id is distinct from auth.uid() then
    return false;
  end if;
  if operation = 'write' then
    return ticket.merged_into is null and ticket.status <> 'closed';
  end if;
  if exists (select from public.ticket_attachments a where a.path = object_name) then
    return exists (select from public.ticket_attachments a left join public.ticket_messages m on m.id = a.message_id
                   where a.path = object_name and a.ticket_id = ticket.id and not coalesce(m.internal, false));
  end if;
  return object_owner = auth.uid()::text;
end $$;
comment on function tickets.attachment_allowed(text, text, text) is
  'storage.objects policy helper for ticket-attachments: who may read or write an object ({ticket_id}/{file}).';

revoke execute on function tickets.attachment_ticket_id(text), tickets.attachment_allowed(text, text, text)
  from public;
grant execute on function tickets.attachment_ticket_id(text), tickets.attachment_allowed(text, text, text)
  to anon, authenticated, service_role;

create policy "ticket-attachments: customer and ticket staff can read" on storage.objects
  for select to authenticated
  using (bucket_id = 'ticket-attachments' and tickets.attachment_allowed('read', name, owner_id));
create policy "ticket-attachments: customer and ticket staff can upload" on storage.objects
  for insert to authenticated
  with check (bucket_id = 'ticket-attachments' and owner_id = (select auth.uid())::text
              and tickets.attachment_allowed('write', name, owner_id));
create policy "ticket-attachments: staff or uploader before recording delete" on storage.objects
  for delete to authenticated
  using (bucket_id = 'ticket-attachments'
         and ((select public.authorize('tickets.manage'))
              or (owner_id = (select auth.uid())::text
                  and not exists (select from public.ticket_attachments a where a.path = objects.name))));

/**
 * Records an object the caller uploaded to ticket-attachments as an attachment of the ticket (message_id null)
 * or of one of the caller's messages on it. Size and type come from the stored object, not from the caller.
 */
create function tickets.add_attachment(ticket_id bigint, message_id bigint, path text, name text)
returns public.ticket_attachments
language plpgsql security definer set search_path = '' as $$
declare
  ticket public.tickets;
  object storage.objects;
  size bigint;
  mime text;
  added public.ticket_attachments;
begin
  if auth.uid() is null then
    raise exception 'Sign-in required' using errcode = 'TK011';
  end if;
  ticket := private.tickets_lock_visible(add_attachment.ticket_id);
  if tickets.attachment_ticket_id(path) is distinct from ticket.id
     or length(btrim(coalesce(name, ''))) not between 1 and 255 then
    raise exception 'The attachment is not valid.' using errcode = 'TK010';
  end if;
  if add_attachment.message_id is not null and not exists (
    select from public.ticket_messages m
    where m.id = add_attachment.message_id and m.ticket_id = ticket.id and m.author_id = auth.uid()
  ) then
    raise exception 'The attachment is not valid.' using errcode = 'TK010';
  end if;
  select * into object from storage.objects o
  where o.bucket_id = 'ticket-attachments' and o.name = add_attachment.path and o.owner_id = auth.uid()::text;
  if object.id is null or exists (select from public.ticket_attachments a where a.path = add_attachment.path) then
    raise exception 'The file was not uploaded.' using errcode = 'TK016';
  end if;
  size := coalesce((object.metadata ->> 'size')::bigint, (object.metadata ->> 'contentLength')::bigint, 0);
  mime := lower(split_part(coalesce(object.metadata ->> 'mimetype', ''), ';', 1));
  if size > 10485760 then
    raise exception 'The file is larger than 10 MB.' using errcode = 'TK017';
  end if;
  if mime not in ('image/png', 'image/jpeg', 'image/webp', 'application/pdf', 'text/plain') then
    raise exception 'This type of file cannot be attached.' using errcode = 'TK018';
  end if;
  insert into public.ticket_attachments (ticket_id, message_id, path, name, size, mime, uploaded_by)
  values (ticket.id, add_attachment.message_id, add_attachment.path, btrim(add_attachment.name), size, mime, auth.uid())
  returning * into added;
  return added;
end $$;
comment on function tickets.add_attachment(bigint, bigint, text, text) is
  'Records an object the caller uploaded to bucket ticket-attachments ({ticket_id}/{file}) as a ticket or message attachment.';
revoke execute on function tickets.add_attachment(bigint, bigint, text, text) from public, anon;
grant execute on function tickets.add_attachment(bigint, bigint, text, text) to authenticated, service_role;

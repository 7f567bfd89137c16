-- Purpose: what the notification center and the preferences page need beyond part 1's schema (issue 15, part 2).
--          - notifications.my_phone(): the caller's verified phone as E.164, or null (the preferences page
--            offers SMS only once there is one, and shows WhatsApp as unavailable for +98 numbers). auth.users
--            is not readable by API roles, so this is the one look-up they get.
--          - notifications.my_category_choices(): the caller's effective choice per category × channel (their
--            row, else the default), from the same notifications.channel_enabled that emit uses, so the page
--            and the sender never disagree about a default.
--          - A NOTIFY 'notifications' {user_id, read: true} when rows are marked read, so every open bell of
--            that user follows (emit already announces new rows {id, user_id}).
-- Access: both functions read only the caller's own data (auth.uid()); granted to authenticated.
-- Risk: low (new functions, one statement trigger on a table written only by mark-as-read).

create function notifications.my_phone() returns text
language sql stable security definer set search_path = '' as $$
  select notifications.e164(u.phone) from auth.users u
  where u.id = (select auth.uid()) and u.phone_confirmed_at is not null and u.deleted_at is null
$$;
comment on function notifications.my_phone() is 'The caller''s verified phone (E.164), or null.';

create function notifications.my_category_choices()
returns table (category text, channel text, enabled boolean)
language sql stable security definer set search_path = '' as $$
  select k.key, ch.channel,
         notifications.channel_enabled((select auth.uid()), k.key, ch.channel, null::public.notification_preferences, true)
  from public.notification_categories k
  cross join unnest(array['in_app', 'email', 'sms', 'whatsapp']) as ch (channel)
  where (select auth.uid()) is not null
  order by k.position, array_position(array['in_app', 'email', 'sms', 'whatsapp'], ch.channel)
$$;
comment on function notifications.my_category_choices() is
  'The caller''s effective category × channel choices (their rows, else the defaults), before the global switches.';

create function notifications.announce_read() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  reader uuid;
begin
  for reader in select distinct r.user_id from marked r where r.read_at is not null loop
    perform pg_notify('notifications', json_build_object('user_id', reader, 'read', true)::text);
  end loop;
  return null;
end $$;
comment on function notifications.announce_read() is 'NOTIFY notifications {user_id, read} after rows are marked read.';
create trigger notifications_announce_read after update on public.notifications
  referencing new table as marked
  for each statement execute function notifications.announce_read();

revoke execute on function notifications.my_phone(), notifications.my_category_choices(),
  notifications.announce_read() from public, anon, authenticated;
grant execute on function notifications.my_phone(), notifications.my_category_choices() to authenticated, service_role;

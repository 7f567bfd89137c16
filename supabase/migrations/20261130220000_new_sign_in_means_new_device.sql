-- "New sign-in" (security.new_sign_in) means a device the account has not signed in from before, as banks and
-- mail providers use the word: not every session. Every sign-in used to send an in-app notice, an email and,
-- with a verified phone, an SMS (a real cost, and noise people learn to ignore). A device is the user agent and
-- the network (/24 for IPv4, /48 for IPv6); the first device an account ever uses is not announced (it is the
-- sign-up or the first sign-in after this change).
create table notifications.known_devices (
  user_id uuid not null references auth.users (id) on delete cascade,
  device text not null,
  first_seen timestamptz not null default now(),
  primary key (user_id, device)
);
comment on table notifications.known_devices is
  'Devices (user agent + network) each account has signed in from; read and written only by the session hook.';
alter table notifications.known_devices enable row level security;
revoke all on notifications.known_devices from public, anon, authenticated;

create function notifications.device_of(ip inet, user_agent text) returns text
language sql immutable set search_path = '' as $$
  select md5(coalesce(device_of.user_agent, '') || '|' || coalesce(host(network(set_masklen(device_of.ip,
    case when family(device_of.ip) = 4 then 24 else 48 end))), ''))
$$;
comment on function notifications.device_of(inet, text) is 'The device key of a session: its user agent and network.';
revoke execute on function notifications.device_of(inet, text) from public, anon, authenticated;

-- The devices of the sessions open now, so that existing accounts are told about the next new one.
insert into notifications.known_devices (user_id, device, first_seen)
select s.user_id, notifications.device_of(s.ip, s.user_agent), min(s.created_at)
from auth.sessions s
group by 1, 2
on conflict do nothing;

create or replace function notifications.on_auth_session_created() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  known_before boolean;
  added integer;
begin
  known_before := exists (select 1 from notifications.known_devices d where d.user_id = new.user_id);
  insert into notifications.known_devices (user_id, device)
  values (new.user_id, notifications.device_of(new.ip, new.user_agent))
  on conflict do nothing;
  get diagnostics added = row_count;
  if added = 1 and known_before then
    perform notifications.emit('security.new_sign_in', new.user_id, jsonb_build_object(
      'ip', coalesce(host(new.ip), '?'), 'user_agent', left(coalesce(new.user_agent, '?'), 120)),
      'session:' || new.id);
  end if;
  return null;
end $$;
comment on function notifications.on_auth_session_created() is
  'security.new_sign_in (critical) when an account signs in from a device it has not used before.';
revoke execute on function notifications.on_auth_session_created() from public, anon, authenticated;

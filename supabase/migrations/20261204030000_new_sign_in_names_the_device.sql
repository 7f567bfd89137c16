-- Purpose: the "new sign-in" notice names the device as people do ("Chrome on Windows", «Chrome روی
--          Android») instead of quoting its raw user agent. It is a critical notice, so it always goes by
--          SMS as well: «ورود تازه … از 10.0.0.1 (Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36
--          (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36).» was three Persian SMS segments of text nobody
--          reads, where the point of the notice is "was this you?". The preview's sample data already showed
--          the intended "Firefox on Android". A user agent that names no known browser or system is quoted as
--          before (its first 60 characters).
-- Access: notifications.device_name is for the definer functions that call it (no grants).
-- Risk: low (display text only; which sign-ins are announced is unchanged). Tested:
--       tests/integration/notifications_labels_test.ts.

/**
 * The browser and system a user agent names, for people: "Chrome on Windows" (en) or «Chrome روی Windows»
 * (fa); the browser or the system alone when only one is known; null when neither is.
 */
create function notifications.device_name(user_agent text, lang text) returns text
language sql immutable parallel safe set search_path = '' as $$
  select case
    when browser is null and system is null then null
    when browser is null then system
    when system is null then browser
    when $2 = 'fa' then browser || ' روی ' || system
    else browser || ' on ' || system
  end
  from (select
    -- Order matters: Edge, Opera and Samsung Internet also say Chrome and Safari; Chrome also says Safari.
    case
      when $1 ~ '(Edg|EdgA|EdgiOS)/' then 'Edge'
      when $1 ~ '(OPR|Opera)/' then 'Opera'
      when $1 ~ 'SamsungBrowser/' then 'Samsung Internet'
      when $1 ~ '(Firefox|FxiOS)/' then 'Firefox'
      when $1 ~ '(Chrome|CriOS|Chromium)/' then 'Chrome'
      when $1 ~ 'Safari/' then 'Safari'
    end as browser,
    -- iPads may say Macintosh, Android says Linux: the specific names first.
    case
      when $1 ~ 'iPhone' then 'iPhone'
      when $1 ~ 'iPad' then 'iPad'
      when $1 ~ 'Android' then 'Android'
      when $1 ~ 'Windows' then 'Windows'
      when $1 ~ 'CrOS' then 'ChromeOS'
      when $1 ~ '(Macintosh|Mac OS X)' then 'macOS'
      when $1 ~ 'Linux' then 'Linux'
    end as system) named
$$;
comment on function notifications.device_name(text, text) is
  'A user agent as people name the device ("Chrome on Windows"), per language; null when it names no known browser or system.';
revoke execute on function notifications.device_name(text, text) from public, anon, authenticated;

create or replace function notifications.on_auth_session_created() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  known_before boolean;
  added integer;
  raw text := left(coalesce(new.user_agent, '?'), 60);
begin
  known_before := exists (select 1 from notifications.known_devices d where d.user_id = new.user_id);
  insert into notifications.known_devices (user_id, device)
  values (new.user_id, notifications.device_of(new.ip, new.user_agent))
  on conflict do nothing;
  get diagnostics added = row_count;
  if added = 1 and known_before then
    perform notifications.emit('security.new_sign_in', new.user_id, jsonb_build_object(
      'ip', coalesce(host(new.ip), '?'),
      'user_agent', coalesce(notifications.device_name(new.user_agent, 'en'), raw),
      'by_locale', jsonb_build_object(
        'fa', jsonb_build_object('user_agent', coalesce(notifications.device_name(new.user_agent, 'fa'), raw)),
        'en', jsonb_build_object('user_agent', coalesce(notifications.device_name(new.user_agent, 'en'), raw)))),
      'session:' || new.id);
  end if;
  return null;
end $$;

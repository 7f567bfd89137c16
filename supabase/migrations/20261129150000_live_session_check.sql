-- The live-session check of money routes (lib/auth/guards.ts requireLiveSession), answered by one cheap query
-- instead of a request to Auth: the session named by the access token still exists (sign-out, a ban and a
-- demotion delete it), has not passed its time box (not_after), and its user is not banned. The app calls it
-- with the session id and user id of a token whose signature it has already verified.
create function public.session_is_live(p_session_id uuid, p_user_id uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1
    from auth.sessions s
    join auth.users u on u.id = s.user_id
    where s.id = p_session_id
      and s.user_id = p_user_id
      and (s.not_after is null or s.not_after > now())
      and (u.banned_until is null or u.banned_until <= now())
  );
$$;
comment on function public.session_is_live(uuid, uuid) is
  'True while the Auth session exists, is within its time box and its user is not banned (the app''s live-session check).';
revoke all on function public.session_is_live(uuid, uuid) from public, anon, authenticated;
grant execute on function public.session_is_live(uuid, uuid) to service_role;

-- pgTAP: platform objects and the access model every later migration relies on.
begin;
select plan(11);

select has_role('anon', 'anon role exists');
select has_role('authenticated', 'authenticated role exists');
select has_role('service_role', 'service_role role exists');
select has_function('auth', 'uid', 'auth.uid() exists');
select has_function('public', 'authorize', array['app_permission'], 'authorize(permission) exists');

select is_empty(
  $$select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' and not c.relrowsecurity$$,
  'every table in public has row level security'
);

-- authorize() answers from the caller's role in the database (user_roles, which users cannot edit), whatever
-- the token claims.
select tests.create_user('finance@platform.test', 'finance', id => '00000000-0000-0000-0000-000000000002');
set local role authenticated;
select set_config('request.jwt.claims', '{"sub":"00000000-0000-0000-0000-000000000001","role":"authenticated","user_role":"user"}', true);
select is(public.authorize('wallet.adjust'), false, 'a user may not adjust wallets');
select set_config('request.jwt.claims', '{"sub":"00000000-0000-0000-0000-000000000002","role":"authenticated","user_role":"finance"}', true);
select is(public.authorize('wallet.adjust'), true, 'finance may adjust wallets');
select is(public.authorize('users.manage'), false, 'finance may not manage users');
select set_config('request.jwt.claims', '{"sub":"00000000-0000-0000-0000-000000000003","role":"authenticated","user_role":"admin"}', true);
select is(public.authorize('tickets.manage'), false, 'a token claiming admin grants nothing to a user who is not one');
reset role;

select is(
  (public.custom_access_token_hook('{"user_id":"00000000-0000-0000-0000-000000000009","claims":{"sub":"x"}}'::jsonb))
    -> 'claims' ->> 'user_role',
  'user',
  'the access token hook gives an unknown user the user role'
);

select * from finish();
rollback;

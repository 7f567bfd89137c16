-- pgTAP: profiles.phone is the read-only mirror of the phone Auth verified (issue 12). The owner cannot
-- write it (no column grant), the service role's write is replaced by the verified number, and Auth's
-- changes to auth.users.phone / phone_confirmed_at carry over; money routes through the verified number only.
begin;
select plan(8);

select tests.create_user('phone-owner@profile.test', id => 'f0000000-0000-4000-8000-000000000001');
select tests.create_user('phone-payer@profile.test', id => 'f0000000-0000-4000-8000-000000000002');

select tests.act_as('f0000000-0000-4000-8000-000000000001');
select throws_ok(
  $$update public.profiles set phone = '+989121110001' where id = 'f0000000-0000-4000-8000-000000000001'$$,
  '42501', null, 'the owner cannot type a phone into the profile');
select is((select phone from public.profiles where id = 'f0000000-0000-4000-8000-000000000001'), null,
  'no verified phone: none on the profile');

select tests.act_as_service();
update public.profiles set phone = '+989121110001' where id = 'f0000000-0000-4000-8000-000000000001';
select is((select phone from public.profiles where id = 'f0000000-0000-4000-8000-000000000001'), null,
  'even the service role cannot put an unverified number there');

select tests.act_as_owner();
update auth.users set phone = '989121110001' where id = 'f0000000-0000-4000-8000-000000000001';
select is((select phone from public.profiles where id = 'f0000000-0000-4000-8000-000000000001'), null,
  'a number Auth has not confirmed is not mirrored');
select throws_ok($$select ledger.find_user('09121110001')$$, 'LW026', null,
  'nor does it route money');

update auth.users set phone_confirmed_at = now() where id = 'f0000000-0000-4000-8000-000000000001';
select is((select phone from public.profiles where id = 'f0000000-0000-4000-8000-000000000001'), '+989121110001',
  'confirmed by Auth: the profile shows it in E.164');
select is(ledger.find_user('۰۹۱۲ ۱۱۱ ۰۰۰۱'), 'f0000000-0000-4000-8000-000000000001'::uuid,
  'and money finds its owner, however the number is typed');

update auth.users set phone = '989121110002', phone_confirmed_at = now()
  where id = 'f0000000-0000-4000-8000-000000000001';
select is((select phone from public.profiles where id = 'f0000000-0000-4000-8000-000000000001'), '+989121110002',
  'a phone change confirmed by Auth carries over');

select * from finish();
rollback;

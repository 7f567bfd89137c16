-- pgTAP: staff cannot pay themselves or move large sums alone — no adjustment of your own wallet, no
-- approval of your own withdrawal, four eyes above the threshold, a daily adjustment cap, no reversal of
-- payment or withdrawal postings; and powers follow the database's current role and ban, not the token.
begin;
select plan(31);

select tests.create_user('fin1@controls.test', 'finance', id => 'd0000000-0000-4000-8000-0000000000f1');
select tests.create_user('fin2@controls.test', 'finance', id => 'd0000000-0000-4000-8000-0000000000f2');
select tests.create_user('carol@controls.test', id => 'd0000000-0000-4000-8000-00000000000c');
-- Small limits keep the amounts readable: four eyes above 1,000 rials, 5,000 rials a day per staff member.
update private.money_limits set second_approval_above = 1000, daily_adjustment_cap = 5000;

-- self-dealing --------------------------------------------------------------------------------------------
select ledger.post_credit('d0000000-0000-4000-8000-0000000000f1', 10000, 'topup', 'controls-fund-fin1', '{}');
select tests.act_as('d0000000-0000-4000-8000-0000000000f1');
select throws_ok($$select ledger.adjust('d0000000-0000-4000-8000-0000000000f1', 500, 'bonus', 'self-1')$$,
  'LW019', 'self_adjustment', 'finance cannot adjust their own wallet');
select ledger.request_withdrawal(3000, 'IR050170000000123456789012', 'controls-own-withdrawal');
select throws_ok(
  $$select ledger.approve_withdrawal((select max(id) from ledger.withdrawals
      where user_id = 'd0000000-0000-4000-8000-0000000000f1'), 'BANK-1')$$,
  'LW021', 'self_approval', 'finance cannot approve their own withdrawal');

-- four eyes on adjustments --------------------------------------------------------------------------------
select lives_ok($$select ledger.adjust('d0000000-0000-4000-8000-00000000000c', 1000, 'goodwill', 'small-1')$$,
  'an adjustment at the threshold needs one staff member');
select throws_ok($$select ledger.adjust('d0000000-0000-4000-8000-00000000000c', 1001, 'goodwill', 'big-1')$$,
  'LW020', 'second_approval_required', 'an adjustment above the threshold is refused without a second approval');
select throws_ok($$select ledger.adjust('d0000000-0000-4000-8000-00000000000c', -1001, 'claw back', 'big-2')$$,
  'LW020', 'second_approval_required', 'the threshold applies to debits too');
create temp table request on commit drop as
  select ledger.request_adjustment('d0000000-0000-4000-8000-00000000000c', 2000, 'compensation', 'req-1') as id;
grant select on request to authenticated;
select is(ledger.request_adjustment('d0000000-0000-4000-8000-00000000000c', 2000, 'compensation', 'req-1'),
  (select id from request), 'requesting again with the same key returns the same request');
select throws_ok($$select ledger.approve_adjustment((select id from request))$$,
  'LW022', 'same_approver', 'the requester cannot approve their own request');
select tests.act_as_owner();
select is((select balance from ledger.wallet_balances b join ledger.accounts a on a.id = b.account_id
           where a.user_id = 'd0000000-0000-4000-8000-00000000000c'), 1000::bigint,
  'a requested adjustment moves nothing until it is approved');
select tests.act_as('d0000000-0000-4000-8000-0000000000f2');
create temp table approved on commit drop as select ledger.approve_adjustment((select id from request)) as tx;
select isnt((select tx from approved), null, 'a second staff member approves it');
select is(ledger.approve_adjustment((select id from request)), (select tx from approved),
  'approving again returns the same posting');
select tests.act_as_owner();
select is((select balance from ledger.wallet_balances b join ledger.accounts a on a.id = b.account_id
           where a.user_id = 'd0000000-0000-4000-8000-00000000000c'), 3000::bigint,
  'the approved adjustment is credited once');
select results_eq(
  $$select status::text, requested_by, decided_by from ledger.adjustment_requests where id = (select id from request)$$,
  $$values ('approved', 'd0000000-0000-4000-8000-0000000000f1'::uuid, 'd0000000-0000-4000-8000-0000000000f2'::uuid)$$,
  'the request keeps both staff members');
select is((select metadata ->> 'requested_by' from ledger.transactions where id = (select tx from approved)),
  'd0000000-0000-4000-8000-0000000000f1', 'the posting names the requester as well');
select tests.act_as('d0000000-0000-4000-8000-0000000000f2');
select throws_ok(
  $$select ledger.reject_adjustment(
      ledger.request_adjustment('d0000000-0000-4000-8000-0000000000f2', 2000, 'for me', 'req-self'), 'no')$$,
  'LW019', 'self_adjustment', 'nobody may request an adjustment of their own wallet');
select throws_ok(
  $$select ledger.reject_adjustment((select id from request), 'changed my mind')$$,
  'LW025', 'approval_request_not_pending', 'a decided request cannot be rejected');
select throws_ok($$select ledger.approve_adjustment(999999999)$$, 'LW024', 'approval_request_not_found',
  'an unknown request is refused');

-- the daily cap (fin1 has used 1,000 direct + 2,000 requested = 3,000 of 5,000 today) ----------------------
select tests.act_as('d0000000-0000-4000-8000-0000000000f1');
select lives_ok($$select ledger.adjust('d0000000-0000-4000-8000-00000000000c', 900, 'goodwill', 'cap-1')$$,
  'adjustments up to the cap pass');
select lives_ok($$select ledger.request_adjustment('d0000000-0000-4000-8000-00000000000c', 1100, 'goodwill', 'cap-2')$$,
  'requests count against the requester''s cap too, up to it');
select throws_ok($$select ledger.adjust('d0000000-0000-4000-8000-00000000000c', 1, 'goodwill', 'cap-3')$$,
  'LW023', 'daily_cap_exceeded', 'one rial over the cap is refused');
select lives_ok($$select ledger.adjust('d0000000-0000-4000-8000-00000000000c', 1000, 'goodwill', 'small-1')$$,
  'a replay of an adjustment already posted still answers');

-- four eyes on withdrawals ---------------------------------------------------------------------------------
select tests.act_as_owner();
select ledger.post_credit('d0000000-0000-4000-8000-00000000000c', 5000, 'topup', 'controls-fund-carol', '{}');
select tests.act_as('d0000000-0000-4000-8000-00000000000c');
create temp table big_withdrawal on commit drop as
  select ledger.request_withdrawal(2500, 'IR050170000000123456789012', 'controls-big') as id;
grant select on big_withdrawal to authenticated;
select tests.act_as('d0000000-0000-4000-8000-0000000000f1');
select is(ledger.approve_withdrawal((select id from big_withdrawal), 'BANK-2'), null::bigint,
  'the first approval of a large withdrawal pays nothing yet');
select throws_ok($$select ledger.approve_withdrawal((select id from big_withdrawal), 'BANK-2')$$,
  'LW022', 'same_approver', 'the same staff member cannot give the second approval');
select tests.act_as('d0000000-0000-4000-8000-0000000000f2');
select isnt(ledger.approve_withdrawal((select id from big_withdrawal), 'BANK-2'), null::bigint,
  'a second staff member pays it');
select tests.act_as_owner();
select results_eq(
  $$select status::text, first_approved_by, reviewed_by from ledger.withdrawals where id = (select id from big_withdrawal)$$,
  $$values ('approved', 'd0000000-0000-4000-8000-0000000000f1'::uuid, 'd0000000-0000-4000-8000-0000000000f2'::uuid)$$,
  'the withdrawal keeps both approvals');

-- no reversal of payment or withdrawal postings ------------------------------------------------------------
select tests.act_as('d0000000-0000-4000-8000-0000000000f2');
select throws_ok(
  $$select ledger.reverse((select transaction_id from ledger.withdrawals where id = (select id from big_withdrawal)),
      'oops', 'rev-w')$$,
  'LW016', 'not_reversible', 'a paid withdrawal cannot be reversed');
select throws_ok(
  $$select ledger.reverse((select id from ledger.transactions where idempotency_key = 'controls-fund-carol'),
      'oops', 'rev-t')$$,
  'LW016', 'not_reversible', 'a top-up credit cannot be reversed');

-- stale powers: the database's current role and ban decide, not the token --------------------------------
select tests.act_as_owner();
-- Demotion: the finance row goes (every user also holds `user`, so updating it to `user` would collide).
delete from public.user_roles where user_id = 'd0000000-0000-4000-8000-0000000000f2' and role = 'finance';
select tests.act_as('d0000000-0000-4000-8000-0000000000f2', 'finance');
select is(public.authorize('wallet.adjust'), false, 'a demoted staff member with a finance token has no power');
select tests.act_as_owner();
update auth.users set banned_until = now() + interval '1 day' where id = 'd0000000-0000-4000-8000-0000000000f1';
select tests.act_as('d0000000-0000-4000-8000-0000000000f1', 'finance');
select is(public.authorize('wallet.adjust'), false, 'a banned staff member has no power');

-- ending sessions: a ban or a role change signs the user out everywhere ------------------------------------
select tests.act_as_owner();
insert into auth.sessions (id, user_id, created_at)
values ('e0000000-0000-4000-8000-000000000001', 'd0000000-0000-4000-8000-00000000000c', now()),
       ('e0000000-0000-4000-8000-000000000002', 'd0000000-0000-4000-8000-00000000000c', now()),
       ('e0000000-0000-4000-8000-000000000003', 'd0000000-0000-4000-8000-0000000000f2', now());
update auth.users set banned_until = now() + interval '1 hour' where id = 'd0000000-0000-4000-8000-00000000000c';
select is((select count(*) from auth.sessions where user_id = 'd0000000-0000-4000-8000-00000000000c'), 0::bigint,
  'a ban ends every session of the user');
update public.user_roles set role = 'agent' where user_id = 'd0000000-0000-4000-8000-0000000000f2';
select is((select count(*) from auth.sessions where user_id = 'd0000000-0000-4000-8000-0000000000f2'), 0::bigint,
  'a role change ends every session of the user');
insert into auth.sessions (id, user_id, created_at)
values ('e0000000-0000-4000-8000-000000000004', 'd0000000-0000-4000-8000-0000000000f1', now());
update auth.users set raw_user_meta_data = '{"full_name":"Fin One"}' where id = 'd0000000-0000-4000-8000-0000000000f1';
select is((select count(*) from auth.sessions where user_id = 'd0000000-0000-4000-8000-0000000000f1'), 1::bigint,
  'other updates of a user leave their sessions alone');

select * from finish();
rollback;

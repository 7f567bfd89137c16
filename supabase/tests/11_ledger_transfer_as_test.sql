-- pgTAP: ledger.transfer_as (the API's one-statement transfer), its receipt, and the transactions policy.
begin;
select plan(12);

select ok(not has_function_privilege('authenticated', 'ledger.transfer_as(text, text, bigint, text, text)', 'execute'),
  'users cannot call transfer_as (it trusts the claims it is given)');
select ok(not has_function_privilege('anon', 'ledger.transfer_as(text, text, bigint, text, text)', 'execute'),
  'anon cannot call transfer_as');
select ok(has_function_privilege('service_role', 'ledger.transfer_as(text, text, bigint, text, text)', 'execute'),
  'service_role can call transfer_as');

select tests.create_user('tap-as-a@ledger.test', id => '11000000-0000-4000-8000-000000000001');
select tests.create_user('tap-as-b@ledger.test', id => '11000000-0000-4000-8000-000000000002');
select ledger.post_credit('11000000-0000-4000-8000-000000000001', 1000, 'topup', 'tap-as-fund', '{}');

create temp table sent on commit drop as
select * from ledger.transfer_as(
  '{"sub":"11000000-0000-4000-8000-000000000001","role":"authenticated","user_role":"user"}',
  'tap-as-b@ledger.test', 300, 'tap-as-1');
grant select on sent to authenticated;
select results_eq($$select created from sent$$, $$values (true)$$, 'a transfer posts and says it did');
select results_eq(
  $$select e.amount from ledger.entries e join ledger.accounts a on a.id = e.account_id
    where e.transaction_id = (select transaction_id from sent) order by e.amount$$,
  $$values (-300::bigint), (300::bigint)$$,
  'the money left the claims'' user and reached the recipient');
select is(current_user::text, 'postgres', 'the role is back to the caller''s afterwards');
select is(coalesce(current_setting('request.jwt.claims', true), ''), '', 'and the claims are gone');
select throws_ok(
  $$select * from ledger.transfer_as('{"sub":"11000000-0000-4000-8000-000000000001","role":"anon"}',
    'tap-as-b@ledger.test', 1, 'tap-as-2')$$,
  'LW010', 'not_authenticated', 'claims that are not a signed-in user''s are refused');
select throws_ok(
  $$select * from ledger.transfer_as('{"sub":"11000000-0000-4000-8000-000000000002","role":"authenticated"}',
    'tap-as-a@ledger.test', 301, 'tap-as-3')$$,
  'LW001', 'insufficient_funds', 'the sender is the claims'' user, who has only the 300 received');

-- Receipts and the policy, as the recipient.
select tests.act_as('11000000-0000-4000-8000-000000000002');
select is_empty(format('select * from ledger.posting_receipt(%s)', (select transaction_id from sent)),
  'no receipt for a transaction posted by someone else');
select results_eq(format('select count(*)::int from ledger.transactions where id = %s', (select transaction_id from sent)),
  $$values (1)$$, 'the recipient sees the transfer they are part of');
-- The old policy turned into a hashed subplan that read every entry of the caller's wallet per lookup.
select unalike(tests.plan_of('select * from ledger.transactions where id = 1'), '%hashed SubPlan%',
  'looking up one transaction does not read the caller''s whole wallet history');
reset role;

select * from finish();
rollback;

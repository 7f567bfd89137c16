-- pgTAP: `wallet.view_summary` — an agent sees a customer's wallet summary, recent payments and withdrawals
-- through private.staff_wallet_summary(), read-only and audited per look; a plain user, a visitor, a
-- colleague's wallet and a ticket of someone else are refused; the ledger tables' RLS stays closed to agents.
begin;
select plan(17);

select tests.create_user('agent@summary.test', 'agent', id => 'e0000000-0000-4000-8000-0000000000a1');
select tests.create_user('fin@summary.test', 'finance', id => 'e0000000-0000-4000-8000-0000000000f1');
select tests.create_user('cust@summary.test', id => 'e0000000-0000-4000-8000-0000000000c1');
select tests.create_user('other@summary.test', id => 'e0000000-0000-4000-8000-0000000000c2');
select ledger.post_credit('e0000000-0000-4000-8000-0000000000c1', 50000, 'topup', 'summary-fund-c1', '{}');
insert into public.payments (user_id, merchant_key, amount, description, expires_at, card_pan)
values ('e0000000-0000-4000-8000-0000000000c1', '0123456789abcdef', 50000, 'top-up', now() + interval '1 hour',
        '603799******1234');
insert into public.tickets (customer_id, subject, body, department_id)
select 'e0000000-0000-4000-8000-0000000000c1', 'Where is my money?', 'A withdrawal', min(id)
from public.ticket_departments;
create temp table ticket on commit drop as
  select max(id) as id from public.tickets where customer_id = 'e0000000-0000-4000-8000-0000000000c1';
grant select on ticket to authenticated;
select tests.act_as('e0000000-0000-4000-8000-0000000000c1');
select ledger.request_withdrawal(20000, 'IR050170000000123456789012', 'summary-withdrawal-c1');

-- agent -------------------------------------------------------------------------------------------------
select tests.act_as('e0000000-0000-4000-8000-0000000000a1');
select ok(public.authorize('wallet.view_summary'), 'agents hold wallet.view_summary');
select ok(not public.authorize('wallet.view'), 'agents do not hold wallet.view (no direct ledger reads)');
create temp table seen on commit drop as
  select private.staff_wallet_summary('e0000000-0000-4000-8000-0000000000c1', (select id from ticket),
    '{"request_id":"req-summary-1"}') as s;
select is((select s ->> 'balance' from seen), '50000', 'the agent sees the balance');
select is((select s ->> 'held' from seen), '20000', 'and what a pending withdrawal holds');
select is((select s ->> 'available' from seen), '30000', 'and what is available');
select is((select s -> 'withdrawals' -> 0 ->> 'iban_last4' from seen), '9012',
  'withdrawals show only the IBAN''s last four digits');
select is((select s -> 'payments' -> 0 ->> 'card' from seen), '1234', 'payments show only the card''s last four');
select ok((select (s -> 'withdrawals' -> 0) ? 'iban' from seen) is not true, 'no full IBAN leaves the function');
select is((select count(*) from ledger.wallet_balances where user_id = 'e0000000-0000-4000-8000-0000000000c1'),
  0::bigint, 'RLS still hides the ledger tables from agents');
select throws_ok($$select private.staff_wallet_summary('e0000000-0000-4000-8000-0000000000f1')$$,
  'LW009', 'not_permitted', 'an agent cannot look into a colleague''s wallet');
select throws_ok($$select private.staff_wallet_summary('e0000000-0000-4000-8000-0000000000c2', (select id from ticket))$$,
  'LW018', 'invalid_input', 'the ticket must be the customer''s');
select throws_ok($$select private.staff_wallet_summary('e0000000-0000-4000-8000-0000000000ff')$$,
  'LW015', 'account_not_found', 'no such user');

select tests.act_as_owner();
select results_eq(
  $$select action, actor_id, target_id, metadata ->> 'ticket_id', request_id from public.audit_log
    where target_id = 'e0000000-0000-4000-8000-0000000000c1' and action = 'wallet.summary_view'$$,
  $$select 'wallet.summary_view'::text, 'e0000000-0000-4000-8000-0000000000a1'::uuid,
           'e0000000-0000-4000-8000-0000000000c1'::text, (select id from ticket)::text, 'req-summary-1'::text$$,
  'one audit entry for the look, with the agent, the customer, the ticket and the request');

-- a plain user, a visitor ---------------------------------------------------------------------------------
select tests.act_as('e0000000-0000-4000-8000-0000000000c2');
select throws_ok($$select private.staff_wallet_summary('e0000000-0000-4000-8000-0000000000c1')$$,
  'LW009', 'not_permitted', 'a user without wallet.view_summary is refused');
select tests.act_as_anon();
select throws_ok($$select private.staff_wallet_summary('e0000000-0000-4000-8000-0000000000c1')$$,
  '42501', null, 'a visitor cannot call it at all');

-- finance (wallet.view too) -------------------------------------------------------------------------------
select tests.act_as('e0000000-0000-4000-8000-0000000000f1');
select lives_ok($$select private.staff_wallet_summary('e0000000-0000-4000-8000-0000000000a1')$$,
  'finance, who reads every wallet anyway, may see a staff member''s summary');
select tests.act_as_owner();
select is((select count(*) from public.audit_log where action = 'wallet.summary_view'
           and target_id in ('e0000000-0000-4000-8000-0000000000c1', 'e0000000-0000-4000-8000-0000000000a1')),
  2::bigint, 'refused looks leave no audit entry; each allowed look leaves one');

select * from finish();
rollback;

-- pgTAP: API keys (issue 11 item 5) per actor — admin manages keys, finance/users/anonymous cannot, nobody
-- reads a hash; ledger.charge_with_key authenticates by the key, checks its scope and posts in the key's own
-- idempotency scope; payments.settle flags a payment whose ledger credit is refused instead of failing.
begin;
select plan(27);

select tests.create_user('admin-50@test.local', 'admin', id => '50000000-0000-4000-8000-000000000001');
select tests.create_user('finance-50@test.local', 'finance', id => '50000000-0000-4000-8000-000000000002');
select tests.create_user('payer-50@test.local', id => '50000000-0000-4000-8000-000000000003');
select ledger.post_credit('50000000-0000-4000-8000-000000000003', 100000, 'topup', 'fund-50', '{}');

-- admin ------------------------------------------------------------------------------------------------
select tests.act_as('50000000-0000-4000-8000-000000000001');
create temporary table made on commit drop as select * from public.create_api_key('SMS gateway');
grant select on made to service_role, authenticated;
select matches((select api_key from made), '^pk_live_[0-9a-f]{64}$', 'admin: the key is returned once, in full');
select is((select prefix from made), left((select api_key from made), 12), 'admin: the prefix is the key''s start');
select is((select count(*)::int from public.api_keys where id = (select id from made)), 1, 'admin: sees the key');
select is((select created_by from public.api_keys where id = (select id from made)),
  '50000000-0000-4000-8000-000000000001'::uuid, 'admin: the key records its creator');
select throws_ok($$select key_hash from public.api_keys$$, '42501', null, 'admin: cannot read the hash');
select throws_ok($$select * from public.create_api_key('x', 'gateway_clearing')$$, 'AK006', null,
  'admin: a key cannot credit a bookkeeping account');
select throws_ok($$select * from public.create_api_key('x', 'revenue', array['wallet.drain'])$$, 'AK005', null,
  'admin: unknown scopes are refused');
select throws_ok($$insert into public.api_keys (name, prefix, key_hash, account_id) values ('x', 'pk_live_0000', sha256('x'), 1)$$,
  '42501', null, 'admin: cannot write the table directly');
create temporary table unscoped on commit drop as select * from public.create_api_key('No scopes', 'revenue', '{}');
grant select on unscoped to service_role, authenticated;
create temporary table rotated on commit drop as select * from public.rotate_api_key((select id from made));
grant select on rotated to service_role, authenticated;
select results_eq($$select revoked_at is not null, replaced_by from public.api_keys where id = (select id from made)$$,
  $$values (true, (select id from rotated))$$, 'admin: rotating revokes the old key and links the new one');
select throws_ok($$select public.revoke_api_key((select id from made))$$, 'AK004', null,
  'admin: a revoked key cannot be revoked again');
select throws_ok($$select public.revoke_api_key(999999999)$$, 'AK003', null, 'admin: an unknown key is not found');

-- finance, user, anonymous -----------------------------------------------------------------------------
select tests.act_as('50000000-0000-4000-8000-000000000002');
select is((select count(*)::int from public.api_keys), 0, 'finance: sees no keys');
select throws_ok($$select * from public.create_api_key('mine')$$, 'AK007', null, 'finance: cannot create keys');
select throws_ok($$select public.revoke_api_key((select id from rotated))$$, 'AK007', null, 'finance: cannot revoke');
select throws_ok($$select * from ledger.charge_with_key((select api_key from rotated), '50000000-0000-4000-8000-000000000003', 1, 'k')$$,
  '42501', null, 'finance: cannot charge with a key (service only)');
select tests.act_as('50000000-0000-4000-8000-000000000003');
select is((select count(*)::int from public.api_keys), 0, 'user: sees no keys');
select throws_ok($$select * from public.rotate_api_key((select id from rotated))$$, 'AK007', null, 'user: cannot rotate');
select tests.act_as_anon();
select throws_ok($$select * from public.api_keys$$, '42501', null, 'anonymous: no access to the table');
select throws_ok($$select * from public.create_api_key('anon')$$, '42501', null, 'anonymous: cannot create keys');

-- service: charging with a key -------------------------------------------------------------------------
select tests.act_as_service();
select throws_ok($$select * from ledger.charge_with_key((select api_key from made), '50000000-0000-4000-8000-000000000003', 100, 'k1')$$,
  'AK001', null, 'service: a revoked (rotated) key is refused');
select throws_ok($$select * from ledger.charge_with_key('pk_live_' || repeat('0', 64), '50000000-0000-4000-8000-000000000003', 100, 'k1')$$,
  'AK001', null, 'service: an unknown key is refused');
select throws_ok($$select * from ledger.charge_with_key((select api_key from unscoped), '50000000-0000-4000-8000-000000000003', 100, 'k1')$$,
  'AK002', null, 'service: a key without charges.create is refused');
create temporary table charged on commit drop as select * from ledger.charge_with_key((select api_key from rotated),
  '50000000-0000-4000-8000-000000000003', 100, 'payment:42');
select is((select t.idempotency_scope from charged c join ledger.transactions t on t.id = c.transaction_id),
  'apikey:' || (select id from rotated), 'service: a key''s charge is posted in the key''s own scope');
select ok((select last_used_at is not null from public.api_keys where id = (select id from rotated)),
  'service: using a key records when');

-- The internal key payment:<id> stays free for the settlement, whatever a client sent.
select tests.act_as('50000000-0000-4000-8000-000000000003');
create temporary table opened on commit drop as select payments.create_pending(50000, 'test top-up', '0123456789abcdef') as id;
grant select on opened to service_role, authenticated;
select tests.act_as_service();
select * from ledger.charge_with_key((select api_key from rotated), '50000000-0000-4000-8000-000000000003', 100,
  'payment:' || (select id from opened));
select is((select outcome from payments.settle((select id from opened), 50000)), 'settled',
  'service: a key''s charge keyed payment:<id> does not block that payment''s settlement');

-- A refused ledger credit flags the payment for review with the reason (it used to fail on every retry).
select tests.act_as('50000000-0000-4000-8000-000000000003');
create temporary table blocked on commit drop as select payments.create_pending(60000, 'test top-up', '0123456789abcdef') as id;
grant select on blocked to service_role, authenticated;
select tests.act_as_service();
select ledger.post_credit('50000000-0000-4000-8000-000000000003', 1, 'credit', 'payment:' || (select id from blocked), '{}');
select is((select outcome from payments.settle((select id from blocked), 60000)), 'flagged',
  'service: a settlement the ledger refuses is flagged, not an error');
select results_eq($$select status::text, needs_review, review_reason ~ 'idempotency_conflict' from public.payments where id = (select id from blocked)$$,
  $$values ('pending', true, true)$$, 'service: the payment stays pending, needs review, and says why');

select * from finish();
rollback;

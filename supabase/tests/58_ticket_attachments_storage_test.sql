-- pgTAP: the ticket-attachments bucket and its storage.objects policies, by actor — the ticket's customer,
-- a stranger, an agent (tickets.manage) and anonymous — plus tickets.add_attachment, which records only
-- objects the caller uploaded. Objects are inserted the way the Storage API does: as the caller, under RLS.
-- Counts are scoped to this ticket's folder: other suites leave files of their own tickets in the bucket.
begin;
select plan(32);

select tests.create_user('cara@tk-files.test', id => 'c5000000-0000-4000-8000-00000000000c');
select tests.create_user('sam@tk-files.test', id => 'c5000000-0000-4000-8000-0000000000f5');
select tests.create_user('ava@tk-files.test', 'agent', id => 'c5000000-0000-4000-8000-0000000000a1');
create temp table t (id bigint) on commit drop;
grant all on t to anon, authenticated;

-- the bucket, as Supabase configures limits
select is((select public from storage.buckets where id = 'ticket-attachments'), false, 'the bucket is private');
select is((select file_size_limit from storage.buckets where id = 'ticket-attachments'), 10485760::bigint,
  'file_size_limit is 10 MB');
select is((select allowed_mime_types from storage.buckets where id = 'ticket-attachments'),
  array['image/png', 'image/jpeg', 'image/webp', 'application/pdf', 'text/plain'], 'allowed_mime_types');

-- customer: opens a ticket, uploads into its folder, reads it back, records it
select tests.act_as('c5000000-0000-4000-8000-00000000000c');
insert into t select (tickets.open('charged twice', 'see the receipt')).id;
select lives_ok($$insert into storage.objects (bucket_id, name, owner_id, metadata)
  select 'ticket-attachments', id || '/receipt.png', 'c5000000-0000-4000-8000-00000000000c',
         '{"size": 2048, "mimetype": "image/png"}' from t$$, 'customer uploads into their ticket''s folder');
select is((select count(*)::int from storage.objects where bucket_id = 'ticket-attachments'
  and name like (select id from t) || '/%'), 1,
  'customer reads their upload');
select is((select (tickets.add_attachment((select id from t), null, (select id from t) || '/receipt.png',
  'رسید.png')).size), 2048::bigint, 'customer records it; size comes from the stored object');
select throws_ok($$insert into storage.objects (bucket_id, name, owner_id)
  values ('ticket-attachments', '999999999/x.png', 'c5000000-0000-4000-8000-00000000000c')$$, '42501', null,
  'customer cannot upload into a folder that is not their ticket');
select throws_ok($$insert into storage.objects (bucket_id, name, owner_id)
  select 'ticket-attachments', id || '/spoof.png', 'c5000000-0000-4000-8000-0000000000a1' from t$$, '42501', null,
  'customer cannot upload in someone else''s name');
select throws_ok($$select tickets.add_attachment((select id from t), null, (select id from t) || '/nothing.png', 'x')$$,
  'TK016', null, 'recording an object that was never uploaded: refused');
select is_empty($$update storage.objects set name = name || '.bak' where bucket_id = 'ticket-attachments' returning 1$$,
  'customer cannot rename (update) an object');
select is_empty($$delete from storage.objects where bucket_id = 'ticket-attachments' returning 1$$,
  'customer cannot delete a recorded attachment');

-- agent: reads everything of the ticket, writes a file on an internal note
select tests.act_as('c5000000-0000-4000-8000-0000000000a1');
select is((select count(*)::int from storage.objects where bucket_id = 'ticket-attachments'
  and name like (select id from t) || '/%'), 1,
  'agent reads the customer''s file');
create temp table note (id bigint) on commit drop;
grant all on note to authenticated;
insert into note select (tickets.post_message((select id from t), 'internal: fraud check', true)).id;
select lives_ok($$insert into storage.objects (bucket_id, name, owner_id, metadata)
  select 'ticket-attachments', id || '/bank-log.pdf', 'c5000000-0000-4000-8000-0000000000a1',
         '{"size": 100, "mimetype": "application/pdf"}' from t$$, 'agent uploads');
select lives_ok($$select tickets.add_attachment((select id from t), (select id from note),
  (select id from t) || '/bank-log.pdf', 'bank-log.pdf')$$, 'agent records it on the internal note');
select is((select count(*)::int from storage.objects where bucket_id = 'ticket-attachments'
  and name like (select id from t) || '/%'), 2,
  'agent reads both files');
select lives_ok($$insert into storage.objects (bucket_id, name, owner_id, metadata)
  select 'ticket-attachments', id || '/big.png', 'c5000000-0000-4000-8000-0000000000a1',
         '{"size": 10485761, "mimetype": "image/png"}' from t$$, 'agent uploads a (pretend) oversize object');
select throws_ok($$select tickets.add_attachment((select id from t), null, (select id from t) || '/big.png', 'b')$$,
  'TK017', null, 'recording more than 10 MB: refused');
select lives_ok($$insert into storage.objects (bucket_id, name, owner_id, metadata)
  select 'ticket-attachments', id || '/x.exe', 'c5000000-0000-4000-8000-0000000000a1',
         '{"size": 10, "mimetype": "application/x-msdownload"}' from t$$, 'agent uploads a (pretend) program');
select throws_ok($$select tickets.add_attachment((select id from t), null, (select id from t) || '/x.exe', 'x')$$,
  'TK018', null, 'recording another type: refused');
select isnt_empty($$delete from storage.objects where bucket_id = 'ticket-attachments' and name like '%/big.png'
  returning 1$$, 'agent deletes a file');

-- customer again: the internal note's file stays hidden, even by its exact name
select tests.act_as('c5000000-0000-4000-8000-00000000000c');
select is((select array_agg(name) from storage.objects where bucket_id = 'ticket-attachments'),
  array[(select id from t) || '/receipt.png'], 'customer never sees the file of an internal note');
select throws_ok($$select tickets.add_attachment((select id from t), (select id from note),
  (select id from t) || '/receipt2.png', 'x')$$, 'TK010', null,
  'customer cannot put a file on a message that is not theirs');
select throws_ok($$select tickets.add_attachment((select id from t), null, (select id from t) || '/x.exe', 'x')$$,
  'TK016', null, 'customer cannot record an object someone else uploaded');

-- stranger: nothing of it
select tests.act_as('c5000000-0000-4000-8000-0000000000f5');
select is_empty($$select name from storage.objects where bucket_id = 'ticket-attachments'$$,
  'stranger reads nothing');
select throws_ok($$insert into storage.objects (bucket_id, name, owner_id)
  select 'ticket-attachments', id || '/evil.png', 'c5000000-0000-4000-8000-0000000000f5' from t$$, '42501', null,
  'stranger cannot upload into the ticket');
select is_empty($$delete from storage.objects where bucket_id = 'ticket-attachments' returning 1$$,
  'stranger deletes nothing');
select throws_ok($$select tickets.add_attachment((select id from t), null, (select id from t) || '/receipt.png', 'x')$$,
  'TK001', null, 'stranger cannot record on the ticket: not found');

-- anonymous: nothing
select tests.act_as_anon();
select is_empty($$select name from storage.objects where bucket_id = 'ticket-attachments'$$, 'anon reads nothing');
select throws_ok($$insert into storage.objects (bucket_id, name)
  select 'ticket-attachments', id || '/anon.png' from t$$, '42501', null, 'anon cannot upload');
select throws_ok($$select tickets.add_attachment(1, null, '1/x.png', 'x')$$, '42501', null,
  'anon cannot call add_attachment');

-- customer, once the ticket is closed: no more uploads
select tests.act_as('c5000000-0000-4000-8000-00000000000c');
select tickets.change_status((select id from t), 'closed') is not null as closed;
select throws_ok($$insert into storage.objects (bucket_id, name, owner_id)
  select 'ticket-attachments', id || '/late.png', 'c5000000-0000-4000-8000-00000000000c' from t$$, '42501', null,
  'customer cannot upload to a closed ticket');

select tests.act_as_owner();
select is((select count(*)::int from storage.objects where bucket_id = 'ticket-attachments'
  and name like (select id from t) || '/%'), 3,
  'nothing else changed (receipt, bank log, the program)');

select * from finish();
rollback;

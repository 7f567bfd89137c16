-- Purpose: tickets.search_ids answers the newest matches without reading every match. Profiled at 100k tickets
--          (EXPLAIN ANALYZE with auto_explain for the nested statements): a common word ('پرداخت', 13% of the
--          tickets) or a phrase ('كيف پول', 15%) made both branches (full text, trigram) visit every matching row
--          (2 × 13–15k heap rows, ≈ 9–10k buffers, 35–40 ms) to keep the newest 1000. Now the function first
--          walks the caller's newest visible tickets by key (the primary key for staff, tickets_customer_idx for a
--          customer), at most `probe` rows, and stops at `max_results` matches: the stored, write-time normalised
--          columns (search_tsv, search_text) are tested row by row, so a common word stops after a few hundred
--          rows. Only a rarer term (fewer matches than asked for among the newest `probe` tickets) goes on to the
--          two indexes as before. The visibility rule is evaluated once (staff or not) and folded into each plan
--          instead of being re-checked per row, and the query is normalised once.
--          The store now asks for a few pages' worth of ids at a time (lib/tickets/store.ts) and looks them up by
--          primary key, instead of joining 1000 ids by a walk of the whole key (which read 57k rows for a rare
--          term).
-- Access: unchanged (authenticated and service_role); answers only ids of tickets the caller may read anyway.
-- Risk: low; read-only, same matches (both conditions), same order. The visibility rule still duplicates the
--       RLS policy on public.tickets (the caller's own tickets, or every ticket with tickets.manage): a change to
--       one must change the other (supabase/tests/51_tickets_stranger_test.sql checks search as a stranger).

/**
 * Ids of the tickets matching `query` (every word by full text, or the whole phrase as a substring) that the
 * caller may see, newest first, below `before_id` when given; at most `max_results` (1–5000).
 */
create or replace function tickets.search_ids(query text, before_id bigint default null, max_results integer default 1000)
returns setof bigint
language plpgsql stable security definer set search_path = '' set plan_cache_mode = force_custom_plan as $$
declare
  normalized text := tickets.normalize_search(search_ids.query);
  words tsquery := plainto_tsquery('simple'::regconfig, normalized);
  phrase text := '%' || replace(replace(replace(normalized, '\', '\\'), '%', '\%'), '_', '\_') || '%';
  wanted integer := least(greatest(coalesce(search_ids.max_results, 1000), 1), 5000);
  caller uuid := auth.uid();
  staff boolean := coalesce(public.authorize('tickets.manage'), false);
  -- How many of the newest visible tickets to test row by row before the indexes are worth it.
  probe integer := least(wanted * 20, 2000);
  newest bigint[];
  window_rows integer;
begin
  if not staff and caller is null then
    return;
  end if;
  -- The newest matches among the newest `probe` visible tickets; stops as soon as `wanted` are found.
  select array(
    select p.id from (
      select t.id, t.search_tsv, t.search_text from public.tickets t
      where (staff or t.customer_id = caller) and (search_ids.before_id is null or t.id < search_ids.before_id)
      order by t.id desc
      limit probe
    ) p
    where p.search_tsv @@ words or p.search_text like phrase
    order by p.id desc
    limit wanted
  ) into newest;
  if cardinality(newest) < wanted then
    -- Fewer than asked for: complete when the window held every visible ticket (a customer's few tickets).
    select count(*) into window_rows from (
      select 1 from public.tickets t
      where (staff or t.customer_id = caller) and (search_ids.before_id is null or t.id < search_ids.before_id)
      order by t.id desc -- the same key walk as the window (a scan in any order may read far more to count)
      limit probe
    ) w;
  end if;
  if cardinality(newest) = wanted or window_rows < probe then
    return query select unnest(newest);
    return;
  end if;
  -- A rarer term: one branch per index (the planner costs an OR of two GIN conditions poorly).
  return query
    select m.id from (
      select t.id from public.tickets t
      where t.search_tsv @@ words and (staff or t.customer_id = caller)
        and (search_ids.before_id is null or t.id < search_ids.before_id)
      union
      select t.id from public.tickets t
      where t.search_text like phrase and (staff or t.customer_id = caller)
        and (search_ids.before_id is null or t.id < search_ids.before_id)
    ) m
    order by m.id desc
    limit wanted;
end $$;
comment on function tickets.search_ids(text, bigint, integer) is
  'Ids of visible tickets matching a Persian-correct search, newest first (newest tickets first, then the indexes; the tickets RLS rule applied inside).';

-- The same lookup for tickets.search: the ids by primary key (a join of the function's ids walked the key).
create or replace function tickets.search(query text, max_results integer default 50)
returns setof public.tickets
language sql stable security invoker set search_path = '' as $$
  select t.* from public.tickets t
  where t.id = any(array(select tickets.search_ids(search.query, null, least(greatest(search.max_results, 1), 200))))
  order by t.id desc
$$;

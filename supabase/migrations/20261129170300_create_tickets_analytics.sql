-- Purpose: help desk views for analysts: volume by Tehran day, department and channel; first-response and
--          resolution times (median and p90, business minutes, pauses excluded); SLA attainment %; per-agent
--          load and CSAT; backlog age.
-- Access: like the other analytics views: role `analyst` selects; the views run with their owner's rights
--         (security_invoker = false); API roles get nothing. No subjects, bodies or emails are exposed.
-- Risk: low; read-only.

create view analytics.tickets_volume_daily with (security_invoker = false) as
  select (t.created_at at time zone 'Asia/Tehran')::date as day,
         d.code as department,
         t.channel,
         count(*) as opened,
         count(*) filter (where t.status in ('resolved', 'closed')) as resolved_or_closed
  from public.tickets t join public.ticket_departments d on d.id = t.department_id
  where t.merged_into is null
  group by 1, 2, 3;
comment on view analytics.tickets_volume_daily is 'Tickets opened per Tehran day, department and channel.';

create view analytics.tickets_response_times with (security_invoker = false) as
  select d.code as department,
         t.priority,
         count(t.first_response_minutes) as responded,
         percentile_cont(0.5) within group (order by t.first_response_minutes) as first_response_median_minutes,
         percentile_cont(0.9) within group (order by t.first_response_minutes) as first_response_p90_minutes,
         count(t.resolution_minutes) as resolved,
         percentile_cont(0.5) within group (order by t.resolution_minutes) as resolution_median_minutes,
         percentile_cont(0.9) within group (order by t.resolution_minutes) as resolution_p90_minutes
  from public.tickets t join public.ticket_departments d on d.id = t.department_id
  where t.merged_into is null
  group by 1, 2;
comment on view analytics.tickets_response_times is
  'First-response and resolution time per department and priority: median and p90 in business minutes (pending time excluded).';

create view analytics.tickets_sla_attainment with (security_invoker = false) as
  select (t.created_at at time zone 'Asia/Tehran')::date as day,
         d.code as department,
         t.priority,
         count(*) as tickets,
         round(100.0 * count(*) filter (where t.first_responded_at <= t.first_response_due_at)
               / nullif(count(*) filter (where t.first_responded_at is not null
                                         or t.first_response_due_at < now()), 0), 1) as first_response_met_pct,
         round(100.0 * count(*) filter (where t.resolved_at <= t.resolution_due_at)
               / nullif(count(*) filter (where t.resolved_at is not null or t.resolution_due_at < now()), 0), 1)
           as resolution_met_pct,
         count(*) filter (where t.sla_breached) as breached
  from public.tickets t join public.ticket_departments d on d.id = t.department_id
  where t.merged_into is null
  group by 1, 2, 3;
comment on view analytics.tickets_sla_attainment is
  'Share of tickets (per Tehran day opened, department, priority) whose first response and resolution met the SLA, of those decided (answered, or past due).';

create view analytics.tickets_agent_load with (security_invoker = false) as
  select t.assignee_id as agent_id,
         count(*) filter (where t.status in ('open', 'reopened')) as open,
         count(*) filter (where t.status = 'pending') as pending,
         count(*) filter (where t.resolved_at >= now() - interval '30 days') as resolved_30d,
         round(avg(t.csat_score), 2) as csat_average,
         count(t.csat_score) as ratings
  from public.tickets t
  where t.assignee_id is not null and t.merged_into is null
  group by 1;
comment on view analytics.tickets_agent_load is 'Per agent: open and pending tickets assigned, resolved in 30 days, CSAT average and count.';

create view analytics.tickets_backlog_age with (security_invoker = false) as
  select d.code as department,
         t.status,
         count(*) as tickets,
         percentile_cont(0.5) within group (order by extract(epoch from now() - t.created_at) / 3600) as median_age_hours,
         max(extract(epoch from now() - t.created_at) / 3600) as oldest_age_hours
  from public.tickets t join public.ticket_departments d on d.id = t.department_id
  where t.status in ('open', 'pending', 'reopened') and t.merged_into is null
  group by 1, 2;
comment on view analytics.tickets_backlog_age is 'Unresolved tickets per department and status: how many, median and oldest age in hours.';

grant select on analytics.tickets_volume_daily, analytics.tickets_response_times, analytics.tickets_sla_attainment,
  analytics.tickets_agent_load, analytics.tickets_backlog_age to analyst;

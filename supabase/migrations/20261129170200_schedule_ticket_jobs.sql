-- Purpose: pg_cron runs the help desk's jobs: tickets.check_sla() every minute (SLA warning at 80%, breach at
--          100%) and tickets.auto_close_pending() every hour at :17 (reminder after 5 days pending without a
--          customer reply, close after 7). Cron expressions only (no 'N seconds' schedules), so the jobs
--          work on pg_cron 1.4 and 1.6 alike.
-- Access: only postgres (cron) and service_role run the jobs; API users cannot.
-- Risk: low; both jobs are idempotent (each flag, reminder and close happens once) and skip locked rows.

select cron.schedule('tickets-sla', '* * * * *', 'select tickets.check_sla()');
select cron.schedule('tickets-auto-close', '17 * * * *', 'select tickets.auto_close_pending()');

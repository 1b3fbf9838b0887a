-- A job or run marked failed/interrupted leaves an audit row whether it was running or still queued when
-- its server died (a reader marks a queued one whose server stopped confirming it, see queued_seen_at):
-- 0014's triggers fired only for a running one (review finding 9). EndJob, the graceful path, leaves the
-- row of an interrupted job to these triggers too, so there is one row per change.
DROP TRIGGER import_jobs_audit_interrupted ON import_jobs;
DROP TRIGGER entitlement_runs_audit_interrupted ON entitlement_runs;
CREATE TRIGGER import_jobs_audit_interrupted AFTER UPDATE OF status ON import_jobs FOR EACH ROW
  WHEN (OLD.status IN ('queued', 'running') AND NEW.status = 'failed' AND NEW.failure_reason = 'interrupted')
  EXECUTE FUNCTION audit_interrupted('import_job');
CREATE TRIGGER entitlement_runs_audit_interrupted AFTER UPDATE OF status ON entitlement_runs FOR EACH ROW
  WHEN (OLD.status IN ('queued', 'running') AND NEW.status = 'failed' AND NEW.failure_reason = 'interrupted')
  EXECUTE FUNCTION audit_interrupted('entitlement_run');

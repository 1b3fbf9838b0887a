DROP TRIGGER import_jobs_audit_interrupted ON import_jobs;
DROP TRIGGER entitlement_runs_audit_interrupted ON entitlement_runs;
CREATE TRIGGER import_jobs_audit_interrupted AFTER UPDATE OF status ON import_jobs FOR EACH ROW
  WHEN (OLD.status = 'running' AND NEW.status = 'failed' AND NEW.failure_reason = 'interrupted')
  EXECUTE FUNCTION audit_interrupted('import_job');
CREATE TRIGGER entitlement_runs_audit_interrupted AFTER UPDATE OF status ON entitlement_runs FOR EACH ROW
  WHEN (OLD.status = 'running' AND NEW.status = 'failed' AND NEW.failure_reason = 'interrupted')
  EXECUTE FUNCTION audit_interrupted('entitlement_run');

DROP TABLE IF EXISTS entitlement_run_results;
DROP TABLE IF EXISTS entitlement_runs;

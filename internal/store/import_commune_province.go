package store

import "context"

// keepOldProvinceCodes gives the communes import's rows that leave old_province_code empty (or whose file
// has no such column) the value the register holds for the same unit (code and first day), so that the
// upsert, which writes every staged column, keeps it: a unit recorded from another pre-2025 province by
// the records API or the reference-units load keeps saying so when a file updates its other columns. A
// new unit without the value has none.
func keepOldProvinceCodes(ctx context.Context, tx *Tx) error {
	_, err := tx.Exec(ctx, `UPDATE import_stage s SET old_province_code = c.old_province_code FROM communes c
		WHERE c.province_code = $1 AND c.code = s.code AND c.effective_from = s.effective_from
		  AND s.old_province_code IS NULL AND c.old_province_code IS NOT NULL`, tx.P.Province)
	return err
}

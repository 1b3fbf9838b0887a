package store

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// RejectPage is how many failed rows one read of errors.csv fetches: the file is streamed page by page
// (keyset on the line), each page in its own short transaction, so that neither the whole file nor a
// pooled connection is held while a slow client downloads it.
const RejectPage = 1000

// ImportRejectsAfter returns up to limit failed rows of a job after the given line, by line (the job
// itself must be readable: see GetImportJob).
func (s *Store) ImportRejectsAfter(ctx context.Context, p Principal, province, id string, after, limit int) ([]Reject, error) {
	var out []Reject
	err := s.InTx(ctx, p, func(tx *Tx) error {
		if !validUUID(id) {
			return ErrNotFound
		}
		rows, err := tx.Query(ctx, `SELECT line, fields, error FROM import_rejects
			WHERE province_code = $1 AND job_id = $2::uuid AND line > $3 ORDER BY line LIMIT $4`, province, id, after, limit)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Reject])
		return err
	})
	return out, err
}

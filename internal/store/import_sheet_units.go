package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// SheetHamlet is a hamlet as the combined sheet resolves it: by code, or by name within its commune on a
// post's first day.
type SheetHamlet struct {
	Code        string
	CommuneCode string
	Name        string
	From        time.Time
	To          *time.Time
}

// SheetUnits returns the codes of the province's communes (every period) and its hamlets, for the sheet's
// rows to name their hamlet by name (a row naming a unit that is gone by the time the import locks it is
// still refused by the import's own checks).
func (s *Store) SheetUnits(ctx context.Context, p Principal, province string) (map[string]bool, []SheetHamlet, error) {
	communes := map[string]bool{}
	var hamlets []SheetHamlet
	err := s.InTx(ctx, p, func(tx *Tx) error {
		rows, err := tx.Query(ctx, `SELECT DISTINCT code FROM communes WHERE province_code = $1`, province)
		if err != nil {
			return err
		}
		codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		for _, c := range codes {
			communes[c] = true
		}
		rows, err = tx.Query(ctx, `SELECT code, commune_code, name, effective_from, effective_to FROM hamlets
			WHERE province_code = $1 ORDER BY code`, province)
		if err != nil {
			return err
		}
		hamlets, err = pgx.CollectRows(rows, pgx.RowToStructByPos[SheetHamlet])
		return err
	})
	return communes, hamlets, err
}

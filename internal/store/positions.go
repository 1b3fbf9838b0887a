package store

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// Position is an entry of the national catalogue of posts (docs/legal-basis.md §9).
type Position struct {
	Code           string `json:"code"`
	Level          string `json:"level"`
	TitleVI        string `json:"title_vi"`
	TitleEN        string `json:"title_en"`
	ElectedDefault bool   `json:"elected_default"`
	PaidHamletPost bool   `json:"paid_hamlet_post"`
}

// ListPositions returns the national catalogue, commune posts first, then hamlet posts, by code.
func (s *Store) ListPositions(ctx context.Context, p Principal) ([]Position, error) {
	var out []Position
	err := s.InTx(ctx, p, func(tx *Tx) error {
		rows, err := tx.Query(ctx,
			`SELECT code, level, title_vi, title_en, elected_default, paid_hamlet_post FROM positions ORDER BY level, code`)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Position])
		return err
	})
	return out, err
}

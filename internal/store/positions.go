package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"communehr/internal/policy"
)

// Position is an entry of the national catalogue of posts (docs/legal-basis.md §9).
type Position struct {
	Code           string `json:"code"`
	Level          string `json:"level"`
	TitleVI        string `json:"title_vi"`
	TitleEN        string `json:"title_en"`
	ElectedDefault bool   `json:"elected_default"`
	PaidHamletPost bool   `json:"paid_hamlet_post"`
	// MaxPerUnit is how many may hold the post at once in one unit (nil: no limit).
	MaxPerUnit *int `json:"max_per_unit"`
	// LegalEnd is the last day the law keeps the post (commune-level non-professional posts: policy
	// CommunePostsLastDay, a province may record its own end before 2026-05-31); nil: no end.
	LegalEnd *string `json:"legal_end"`
}

// ListPositions returns the national catalogue, commune posts first, then hamlet posts, by code.
func (s *Store) ListPositions(ctx context.Context, p Principal) ([]Position, error) {
	var out []Position
	err := s.InTx(ctx, p, func(tx *Tx) error {
		rows, err := tx.Query(ctx,
			`SELECT code, level, title_vi, title_en, elected_default, paid_hamlet_post, max_per_unit, NULL::text FROM positions
			ORDER BY level, code`)
		if err != nil {
			return err
		}
		if out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Position]); err != nil {
			return err
		}
		end := policy.CommunePostsLastDay(nil).LastDay.String()
		for i := range out {
			if out[i].Level == "commune" {
				out[i].LegalEnd = &end
			}
		}
		return nil
	})
	return out, err
}

package store

import (
	"context"
	"time"
)

// CommunePostsEnd returns the province's own last day of its commune-level non-professional posts (nil:
// none recorded, the legal end applies; internal/policy.CommunePostsLastDay).
func (s *Store) CommunePostsEnd(ctx context.Context, p Principal, province string) (*time.Time, error) {
	var out *time.Time
	err := s.InTx(ctx, p, func(tx *Tx) error {
		return translate(tx.QueryRow(ctx, `SELECT commune_posts_end FROM provinces WHERE province_code = $1`, province).Scan(&out))
	})
	return out, err
}

// SetCommunePostsEnd records (or clears, with nil) the province's own end of the transition and audits it.
func (s *Store) SetCommunePostsEnd(ctx context.Context, p Principal, province string, last *time.Time) error {
	return s.InTx(ctx, p, func(tx *Tx) error {
		var before *time.Time
		if err := tx.QueryRow(ctx, `SELECT commune_posts_end FROM provinces WHERE province_code = $1 FOR UPDATE`, province).
			Scan(&before); err != nil {
			return translate(err)
		}
		tag, err := tx.Exec(ctx, `UPDATE provinces SET commune_posts_end = $2, version = version + 1, updated_at = now()
			WHERE province_code = $1`, province, last)
		if err != nil {
			return translate(err)
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		return tx.Audit(ctx, province, "update", "commune_posts_end", province,
			map[string]any{"last_day": before}, map[string]any{"last_day": last})
	})
}

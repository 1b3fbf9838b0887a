package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// Province is a tenant.
type Province struct {
	Code           string     `json:"code"`
	Name           string     `json:"name"`
	EffectiveFrom  time.Time  `json:"-"`
	EffectiveTo    *time.Time `json:"-"`
	AllowanceBasis string     `json:"allowance_basis"`
	Version        int        `json:"-"`
	CreatedAt      time.Time  `json:"created_at"`
}

const provinceCols = `province_code, name, effective_from, effective_to, allowance_basis, version, created_at`

func scanProvince(r pgx.CollectableRow) (Province, error) {
	var p Province
	err := r.Scan(&p.Code, &p.Name, &p.EffectiveFrom, &p.EffectiveTo, &p.AllowanceBasis, &p.Version, &p.CreatedAt)
	return p, err
}

// ListProvinces returns the provinces the principal may see (row-level security filters), by code.
func (s *Store) ListProvinces(ctx context.Context, p Principal) ([]Province, error) {
	var out []Province
	err := s.InTx(ctx, p, func(tx *Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+provinceCols+` FROM provinces ORDER BY province_code`)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, scanProvince)
		return err
	})
	return out, err
}

// GetProvince returns one province, or ErrNotFound when it does not exist or is not the principal's.
func (s *Store) GetProvince(ctx context.Context, p Principal, code string) (Province, error) {
	var out Province
	err := s.InTx(ctx, p, func(tx *Tx) error {
		var err error
		out, err = getProvince(ctx, tx, code)
		return err
	})
	return out, err
}

func getProvince(ctx context.Context, tx *Tx, code string) (Province, error) {
	rows, err := tx.Query(ctx, `SELECT `+provinceCols+` FROM provinces WHERE province_code = $1`, code)
	if err != nil {
		return Province{}, err
	}
	pr, err := pgx.CollectExactlyOneRow(rows, scanProvince)
	return pr, translate(err)
}

// CreateProvince adds a tenant (operators only; row-level security refuses anyone else).
func (s *Store) CreateProvince(ctx context.Context, p Principal, in Province) (Province, error) {
	var out Province
	err := s.InTx(ctx, p, func(tx *Tx) error {
		basis := in.AllowanceBasis
		if basis == "" {
			basis = "central_fund_share"
		}
		rows, err := tx.Query(ctx,
			`INSERT INTO provinces (province_code, name, allowance_basis) VALUES ($1, $2, $3) RETURNING `+provinceCols,
			in.Code, in.Name, basis)
		if err != nil {
			return translate(err)
		}
		out, err = pgx.CollectExactlyOneRow(rows, scanProvince)
		if err != nil {
			return translate(err)
		}
		return tx.Audit(ctx, out.Code, "create", "province", out.Code, nil, out)
	})
	return out, err
}

func (p Province) rowVersion() int { return p.Version }

// UpdateProvince changes a province's name or allowance basis at the version the caller read (operators
// only: row-level security's provinces_update policy refuses anyone else), audited under the province.
func (s *Store) UpdateProvince(ctx context.Context, p Principal, code string, version int, change func(*Province) error) (Province, error) {
	var out Province
	err := s.InTx(ctx, p, func(tx *Tx) error {
		before, after, err := lockAtVersion(version, change, func() (Province, error) {
			rows, err := tx.Query(ctx, `SELECT `+provinceCols+` FROM provinces WHERE province_code = $1 FOR UPDATE`, code)
			if err != nil {
				return Province{}, err
			}
			pr, err := pgx.CollectExactlyOneRow(rows, scanProvince)
			return pr, translate(err)
		})
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `UPDATE provinces SET name = $2, allowance_basis = $3, version = version + 1, updated_at = now()
			WHERE province_code = $1 RETURNING `+provinceCols, code, after.Name, after.AllowanceBasis)
		if err != nil {
			return translate(err)
		}
		if out, err = pgx.CollectExactlyOneRow(rows, scanProvince); err != nil {
			return translate(err)
		}
		return tx.Audit(ctx, code, "update", "province", code, before, out)
	})
	return out, err
}

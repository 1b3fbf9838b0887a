package store

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// ErrNotFound is returned when a row does not exist or is not visible to the principal (row-level security
// makes another province's row indistinguishable from a missing one).
var ErrNotFound = errors.New("not found")

// ErrStale is returned when an If-Match version does not match the row's current version.
var ErrStale = errors.New("stale version")

// ConstraintError is a database constraint violation translated to the field it concerns.
type ConstraintError struct {
	Kind       string // "conflict" (unique), "reference" (foreign key), "invalid" (check / not null)
	Constraint string
	Field      string // JSON field name the constraint guards, when known
	Err        error
}

func (e *ConstraintError) Error() string {
	return fmt.Sprintf("%s violation of %s (field %s)", e.Kind, e.Constraint, e.Field)
}
func (e *ConstraintError) Unwrap() error { return e.Err }

// constraintFields maps constraint names to the request field they concern. Names not listed fall back to
// the column PostgreSQL reports, or to the part of the name between the table and the suffix.
var constraintFields = map[string]string{
	"provinces_pkey":                 "code",
	"communes_pkey":                  "code",
	"hamlets_pkey":                   "code",
	"cadres_national_id_key":         "national_id",
	"communes_successor_fkey":        "successor_code",
	"hamlets_successor_fkey":         "successor_code",
	"hamlets_commune_fkey":           "commune_code",
	"assignments_commune_fkey":       "commune_code",
	"assignments_hamlet_fkey":        "hamlet_code",
	"assignments_cadre_fkey":         "cadre_id",
	"assignments_unit_check":         "commune_code",
	"assignments_dates_check":        "end_date",
	"communes_effective_check":       "effective_to",
	"hamlets_effective_check":        "effective_to",
	"communes_successor_check":       "successor_code",
	"hamlets_successor_check":        "successor_code",
	"cadres_left_on_check":           "left_on",
	"api_keys_province_check":        "province",
	"assignments_position_code_fkey": "position_code",
}

// addConstraintFields lets each aggregate's file name the fields of its own constraints (call it from an
// init function beside the queries).
func addConstraintFields(m map[string]string) {
	for k, v := range m {
		constraintFields[k] = v
	}
}

// translate turns SQLSTATE 23xxx errors into *ConstraintError and pgx.ErrNoRows into ErrNotFound; other
// errors pass through unchanged.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return err
	}
	kind := ""
	switch pgErr.Code {
	case "23505", "23P01":
		kind = "conflict"
	case "23503":
		kind = "reference"
	case "23514", "23502", "22001", "22003", "22007", "22008", "22P02":
		kind = "invalid"
	case "42501":
		// Row-level security refused a write: for the caller it is a row it may not see.
		if strings.Contains(pgErr.Message, "row-level security") {
			return ErrNotFound
		}
		return err
	default:
		return err
	}
	field := constraintFields[pgErr.ConstraintName]
	if field == "" {
		field = pgErr.ColumnName
	}
	if field == "" && pgErr.ConstraintName != "" {
		name := strings.TrimPrefix(pgErr.ConstraintName, pgErr.TableName+"_")
		for _, suf := range []string{"_check", "_fkey", "_key"} {
			name = strings.TrimSuffix(name, suf)
		}
		field = name
	}
	return &ConstraintError{Kind: kind, Constraint: pgErr.ConstraintName, Field: field, Err: err}
}

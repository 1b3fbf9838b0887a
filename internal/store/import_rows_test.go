package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"communehr/internal/store"
	"communehr/internal/testdb"
)

// Issue 15 point 4: an import's staging table (StageDDL), its COPY columns (StageCols) and the values of
// its typed rows must agree column by column, or a value lands in its neighbour's column. Each kind's
// row type is filled with a distinct value in every field (and again with every pointer nil and every
// flag flipped), staged through the COPY the imports use, and read back by column name: each column
// holds the value of the field whose tag names it.

// stageKinds are the import kinds and their row types.
var stageKinds = map[string]store.StageRow{
	"communes": &store.CommuneStageRow{}, "hamlets": &store.HamletStageRow{}, "cadres": &store.CadreStageRow{},
	"assignments": &store.AssignmentStageRow{}, store.SheetKind: &store.SheetStageRow{},
}

func TestStageRowsRoundTripEveryColumn(t *testing.T) {
	st, _ := testdb.Open(t)
	ctx := context.Background()
	p := store.Principal{Role: store.RoleProvinceEditor, Province: "01"}
	if len(stageKinds) != len(store.ImportSpecs) {
		t.Fatalf("%d import kinds, %d row types under test", len(store.ImportSpecs), len(stageKinds))
	}
	for kind, proto := range stageKinds {
		t.Run(kind, func(t *testing.T) {
			spec := store.ImportSpecs[kind]
			typ := reflect.TypeOf(proto).Elem()
			rows := []store.StageRow{fillRow(typ, true), fillRow(typ, false)}
			if kind == store.SheetKind { // a person without a post, a post without its person
				rows = append(rows, &store.SheetStageRow{NationalID: "001080012345", Person: rows[0].(*store.SheetStageRow).Person},
					&store.SheetStageRow{NationalID: "001080012345", Post: rows[1].(*store.SheetStageRow).Post})
			}
			got := stageAndRead(ctx, t, st, p, spec, rows)
			for i, r := range rows {
				want := map[string]*string{"line": ptr(strconv.Itoa(i + 2))}
				expectColumns(reflect.ValueOf(r).Elem(), want, false)
				if len(want) != len(spec.StageCols) {
					t.Errorf("row %d: the row type names %d columns, the spec stages %d", i, len(want), len(spec.StageCols))
				}
				for _, c := range spec.StageCols {
					w, ok := want[c]
					if !ok {
						t.Errorf("row %d: column %s is not a field of %s", i, c, typ.Name())
					} else if g := got[i][c]; !equalText(g, w) {
						t.Errorf("row %d: column %s holds %s, want %s", i, c, show(g), show(w))
					}
				}
			}
		})
	}
}

// stageAndRead creates the kind's staging table from its DDL, COPYs the rows into it as an import does
// (lines 2, 3 …), and reads every column back as text, by name.
func stageAndRead(ctx context.Context, t *testing.T, st *store.Store, p store.Principal, spec store.ImportSpec,
	rows []store.StageRow) []map[string]*string {
	t.Helper()
	var out []map[string]*string
	err := st.InTx(ctx, p, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE import_stage (`+spec.StageDDL+`) ON COMMIT DROP`); err != nil {
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"import_stage"}, spec.StageCols, store.StageCopySource(spec, &sliceSource{rows: rows})); err != nil {
			return err
		}
		sel := make([]string, len(spec.StageCols))
		for i, c := range spec.StageCols {
			sel[i] = c + "::text"
		}
		res, err := tx.Query(ctx, `SELECT `+strings.Join(sel, ", ")+` FROM import_stage ORDER BY line`)
		if err != nil {
			return err
		}
		for res.Next() {
			vals := make([]*string, len(sel))
			dst := make([]any, len(sel))
			for i := range vals {
				dst[i] = &vals[i]
			}
			if err := res.Scan(dst...); err != nil {
				return err
			}
			m := map[string]*string{}
			for i, c := range spec.StageCols {
				m[c] = vals[i]
			}
			out = append(out, m)
		}
		return res.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(rows) {
		t.Fatalf("%d rows staged, %d read back", len(rows), len(out))
	}
	return out
}

// fillRow is a row of type typ with every field set: a distinct value in each (full), or with every
// pointer nil and every bool the other way round.
func fillRow(typ reflect.Type, full bool) store.StageRow {
	v := reflect.New(typ)
	for i := range typ.NumField() {
		f := v.Elem().Field(i)
		switch ft := typ.Field(i).Type; {
		case ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Struct && ft.Elem().PkgPath() == typ.PkgPath():
			f.Set(reflect.ValueOf(fillRow(ft.Elem(), full))) // a part of the combined sheet
		case ft.Kind() == reflect.Pointer:
			if full {
				f.Set(reflect.New(ft.Elem()))
				setValue(f.Elem(), typ.Field(i).Name, i, full)
			}
		default:
			setValue(f, typ.Field(i).Name, i, full)
		}
	}
	return v.Interface().(store.StageRow)
}

func setValue(f reflect.Value, name string, i int, full bool) {
	switch f.Interface().(type) {
	case string:
		f.SetString("v" + name)
	case int:
		f.SetInt(int64(100 + i))
	case bool:
		f.SetBool((i%2 == 0) == full) // neighbours differ
	case time.Time:
		f.Set(reflect.ValueOf(time.Date(2000, 1, 1+i, 0, 0, 0, 0, time.UTC)))
	case decimal.Decimal:
		f.Set(reflect.ValueOf(decimal.New(int64(i*100+25), -2)))
	default:
		panic("no test value for " + f.Type().String())
	}
}

// expectColumns is the text each column of v's row should hold, by the tag of the field that gives it;
// a part's flag tells whether it is there, and its columns are NULL when it is not (null).
func expectColumns(v reflect.Value, want map[string]*string, null bool) {
	for i := range v.NumField() {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("stage"), " ")
		f := v.Field(i)
		if f.Kind() == reflect.Pointer && f.Type().Elem().Kind() == reflect.Struct && f.Type().Elem().PkgPath() == v.Type().PkgPath() {
			absent := f.IsNil()
			want[name] = ptr(strconv.FormatBool(!absent))
			if absent {
				f = reflect.New(f.Type().Elem())
			}
			part := map[string]*string{}
			expectColumns(f.Elem(), part, absent || null)
			for c, t := range part {
				if _, shared := want[c]; !shared {
					want[c] = t
				}
			}
			continue
		}
		if _, shared := want[name]; !shared {
			want[name] = textOf(f, null)
		}
	}
}

func textOf(f reflect.Value, null bool) *string {
	if f.Kind() == reflect.Pointer {
		if f.IsNil() {
			return nil
		}
		f = f.Elem()
	}
	if null {
		return nil
	}
	switch x := f.Interface().(type) {
	case time.Time:
		return ptr(x.Format(time.DateOnly))
	case decimal.Decimal:
		return ptr(x.StringFixed(2))
	default:
		return ptr(fmt.Sprint(x))
	}
}

func ptr(s string) *string { return &s }

func equalText(a, b *string) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func show(s *string) string {
	if s == nil {
		return "NULL"
	}
	return strconv.Quote(*s)
}

// sliceSource yields rows from line 2 on (store.StageSource).
type sliceSource struct {
	rows []store.StageRow
	i    int
}

func (s *sliceSource) Next() bool                 { s.i++; return s.i <= len(s.rows) }
func (s *sliceSource) Row() (int, store.StageRow) { return s.i + 1, s.rows[s.i-1] }
func (s *sliceSource) Err() error                 { return nil }

// A row of another kind never reaches the staging table: the COPY fails.
func TestStageCopyRefusesARowOfAnotherKind(t *testing.T) {
	st, _ := testdb.Open(t)
	ctx := context.Background()
	p := store.Principal{Role: store.RoleProvinceEditor, Province: "01"}
	spec := store.ImportSpecs["cadres"]
	err := st.InTx(ctx, p, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE import_stage (`+spec.StageDDL+`) ON COMMIT DROP`); err != nil {
			return err
		}
		src := &sliceSource{rows: []store.StageRow{fillRow(reflect.TypeFor[store.CadreStageRow](), true),
			fillRow(reflect.TypeFor[store.HamletStageRow](), true)}}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"import_stage"}, spec.StageCols, store.StageCopySource(spec, src))
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "HamletStageRow is not a row of the cadre import") {
		t.Fatalf("a hamlet row staged as a person: %v", err)
	}
}

// Each staging column has the type of the register's column of the same name, so that the upsert writes
// what was checked (a staging column of another type would be cast, or refused, only at the write).
func TestStageColumnsHaveTheRegisterTypes(t *testing.T) {
	_, dbURL := testdb.Open(t)
	admin := testdb.Admin(t, dbURL)
	ctx := context.Background()
	tables := map[string]string{"communes": "communes", "hamlets": "hamlets", "cadres": "cadres", "assignments": "assignments"}
	for kind, table := range tables {
		spec := store.ImportSpecs[kind]
		ddl := map[string]string{}
		for _, d := range strings.Split(spec.StageDDL, ", ") {
			name, typ, _ := strings.Cut(d, " ")
			ddl[name] = typ
		}
		matched := 0
		for _, c := range spec.StageCols[1:] {
			var typ string
			err := admin.QueryRow(ctx, `SELECT format_type(atttypid, atttypmod) FROM pg_attribute
				WHERE attrelid = $1::regclass AND attname = $2 AND NOT attisdropped`, table, c).Scan(&typ)
			if errors.Is(err, pgx.ErrNoRows) {
				continue // the person of a post is staged by national ID
			} else if err != nil {
				t.Fatal(err)
			}
			matched++
			if short := map[string]string{"integer": "int", "boolean": "bool"}[typ]; short != "" {
				typ = short
			}
			if ddl[c] != typ && !strings.HasPrefix(typ, ddl[c]+"(") {
				t.Errorf("%s: staging column %s is %s, %s.%s is %s", kind, c, ddl[c], table, c, typ)
			}
		}
		if matched < len(spec.StageCols)-2 {
			t.Errorf("%s: only %d of %d staging columns are columns of %s", kind, matched, len(spec.StageCols)-1, table)
		}
	}
}

package store

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// A stageTable is the staging table of one kind of import, read once (at init) from the struct tags of
// the kind's row type (import_rows.go): the table's columns, their SQL types and the values a row gives
// come from the same fields, in the same order, so they cannot disagree. The first column is always
// `line int`, the row's line in the file.
//
// A field's tag is `stage:"name type"`. A field that is a pointer to another row type (the combined
// sheet's parts) is `stage:"flag bool"`: the flag column tells whether the part is there, and the part's
// columns follow, but those the row already has before it (national_id: the key the parts share) with
// the same type; a nil part gives NULL in each of its columns.
type stageTable struct {
	typ    reflect.Type
	cols   []string // the COPY columns, `line` first
	types  []string // their SQL types
	ddl    string   // the columns of CREATE TEMP TABLE, `line int` first
	fields []stageField
}

// stageField is one column a row gives (or, for a part, its flag and its columns).
type stageField struct {
	index int                     // the struct field
	value func(reflect.Value) any // the column's value (nil for a part)
	part  *stageTable             // a part's own table, nil for a plain column
	skip  []bool                  // a part's columns (after line) left out: the row has them already
}

// stageTypes are the Go types a column of each SQL type is given by; a pointer to one is NULL when nil.
var stageTypes = map[string]reflect.Type{
	"text": reflect.TypeFor[string](), "int": reflect.TypeFor[int](), "smallint": reflect.TypeFor[int](),
	"bool": reflect.TypeFor[bool](), "date": reflect.TypeFor[time.Time](), "numeric": reflect.TypeFor[decimal.Decimal](),
}

// stageTableOf reads the staging table of row type R (a struct; its rows are *R), whose parts are row
// types read before (given, so that they are initialised first). A tag that is missing or malformed, an
// SQL type that does not fit the field's Go type, a column named twice and a part that has parts panic:
// they are programming errors, found when the package loads.
func stageTableOf[R any](parts ...*stageTable) *stageTable {
	t := reflect.TypeFor[R]()
	st := &stageTable{typ: t, cols: []string{"line"}, types: []string{"int"}}
	for i := range t.NumField() {
		f := t.Field(i)
		name, typ, ok := strings.Cut(f.Tag.Get("stage"), " ")
		if !ok || name == "" || typ == "" || strings.Contains(typ, " ") {
			panic(fmt.Sprintf("store: %s.%s: want a tag stage:\"name type\"", t.Name(), f.Name))
		}
		if part := partOf(parts, f.Type); part != nil {
			st.fields = append(st.fields, st.addPart(f, name, typ, part))
			continue
		}
		st.add(name, typ)
		st.fields = append(st.fields, stageField{index: i, value: stageValue(t.Name()+"."+f.Name, f.Type, typ)})
	}
	defs := make([]string, len(st.cols))
	for i, c := range st.cols {
		defs[i] = c + " " + st.types[i]
	}
	st.ddl = strings.Join(defs, ", ")
	return st
}

// partOf is the table of the parts whose rows are of type t (a pointer), nil when t is not one.
func partOf(parts []*stageTable, t reflect.Type) *stageTable {
	for _, p := range parts {
		if t.Kind() == reflect.Pointer && t.Elem() == p.typ {
			return p
		}
	}
	return nil
}

// add appends a column.
func (st *stageTable) add(name, typ string) {
	if st.typeOf(name) != "" {
		panic(fmt.Sprintf("store: %s: staging column %s named twice", st.typ.Name(), name))
	}
	st.cols, st.types = append(st.cols, name), append(st.types, typ)
}

// addPart appends a part's flag and its columns, but those the row already has with the same type.
func (st *stageTable) addPart(f reflect.StructField, flag, typ string, part *stageTable) stageField {
	if typ != "bool" {
		panic(fmt.Sprintf("store: %s.%s: a part's flag is bool", st.typ.Name(), f.Name))
	}
	for _, pf := range part.fields {
		if pf.part != nil {
			panic(fmt.Sprintf("store: %s.%s: a part has no parts", st.typ.Name(), f.Name))
		}
	}
	st.add(flag, typ)
	sf := stageField{index: f.Index[0], part: part, skip: make([]bool, len(part.cols)-1)}
	for j, c := range part.cols[1:] {
		if st.typeOf(c) == part.types[j+1] {
			sf.skip[j] = true
			continue
		}
		st.add(c, part.types[j+1])
	}
	return sf
}

// typeOf is the SQL type of column c, "" when the table has no such column.
func (st *stageTable) typeOf(c string) string {
	for i, name := range st.cols {
		if name == c {
			return st.types[i]
		}
	}
	return ""
}

// stageValue is how a field of Go type t gives its column of SQL type typ: a nil pointer gives NULL, a
// decimal its text (which COPY reads into numeric exactly), anything else itself.
func stageValue(field string, t reflect.Type, typ string) func(reflect.Value) any {
	want, ok := stageTypes[typ]
	if !ok {
		panic(fmt.Sprintf("store: %s: staging type %q is not one of text, int, smallint, bool, date, numeric", field, typ))
	}
	elem := t
	if t.Kind() == reflect.Pointer {
		elem = t.Elem()
	}
	if elem != want {
		panic(fmt.Sprintf("store: %s: a %s column is given by %s or *%s, not %s", field, typ, want, want, t))
	}
	// Bools and small ints are boxed without allocating (as a literal is); reflect.Value.Interface would
	// copy each to the heap.
	var get func(reflect.Value) any
	switch typ {
	case "text":
		get = func(v reflect.Value) any { return v.String() }
	case "int", "smallint":
		get = func(v reflect.Value) any { return int(v.Int()) }
	case "bool":
		get = func(v reflect.Value) any { return v.Bool() }
	case "numeric":
		get = func(v reflect.Value) any { return v.Interface().(decimal.Decimal).String() }
	default:
		get = reflect.Value.Interface
	}
	if t.Kind() != reflect.Pointer {
		return get
	}
	return func(v reflect.Value) any {
		if v.IsNil() {
			return nil
		}
		return get(v.Elem())
	}
}

// values appends the row's values, in the order of st.cols after line, to dst (which holds the line);
// skip leaves out the columns of a part that its row has already.
func (st *stageTable) values(dst []any, v reflect.Value, skip []bool) []any {
	for i, f := range st.fields {
		fv := v.Field(f.index)
		switch {
		case f.part == nil:
			if skip == nil || !skip[i] {
				dst = append(dst, f.value(fv))
			}
		case fv.IsNil():
			dst = append(dst, false)
			for _, s := range f.skip {
				if !s {
					dst = append(dst, nil)
				}
			}
		default:
			dst = f.part.values(append(dst, true), fv.Elem(), f.skip)
		}
	}
	return dst
}

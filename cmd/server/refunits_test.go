package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"communehr/internal/testdb"
)

// The CLI loads one province's reference units and lineage, reports the sources' wrinkles, and a second
// run inserts nothing.
func TestReferenceUnitsLoadCLI(t *testing.T) {
	t.Parallel()
	dbURL := testdb.Empty(t)
	env := envOf(map[string]string{"DATABASE_URL": dbURL})
	ctx := context.Background()
	if err := run(ctx, []string{"migrate", "up"}, env, io.Discard, io.Discard, nil); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"reference-units", "load", "--province", "22"}, env, &out, io.Discard, nil); err != nil {
		t.Fatalf("load: %v\n%s", err, out.String())
	}
	first := out.String()
	if !strings.Contains(first, "22 Tỉnh Quảng Ninh: units_2025 54,") || !strings.Contains(first, "warning new_unit_not_in_2025 06970") {
		t.Errorf("first load printed:\n%s", first)
	}
	out.Reset()
	if err := run(ctx, []string{"reference-units", "load", "--province", "22"}, env, &out, io.Discard, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "(inserted 0/0/0)") {
		t.Errorf("second load printed:\n%s", out.String())
	}
	// A pre-2025 province names its successor (review finding 10); a code on neither map is not a province.
	if err := run(ctx, []string{"reference-units", "load", "--province", "02"}, env, io.Discard, io.Discard, nil); err == nil ||
		!strings.Contains(err.Error(), "merged into 08 Tỉnh Tuyên Quang") {
		t.Errorf("old province 02: %v", err)
	}
	if err := run(ctx, []string{"reference-units", "load", "--province", "97"}, env, io.Discard, io.Discard, nil); err == nil ||
		!strings.Contains(err.Error(), "not a 2025 province") {
		t.Errorf("province 97: %v", err)
	}
}

package testdb

import (
	"context"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"communehr/internal/store"
	"communehr/migrations"
)

// Copies of the template are fully migrated, independent of each other, and the template is built once
// even when several test processes (here goroutines bypassing the per-process once) ask at the same time.
func TestMigratedFromTemplate(t *testing.T) {
	admin := AdminURL(t)
	names, _ := fs.Glob(migrations.FS, "*.up.sql")
	sort.Strings(names)
	latest, err := strconv.Atoi(strings.SplitN(names[len(names)-1], "_", 2)[0])
	if err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	got := make([]string, 4)
	errs := make([]error, 4)
	for i := range got {
		wg.Add(1)
		go func() { defer wg.Done(); got[i], errs[i] = ensureTemplate(admin) }()
	}
	wg.Wait()
	for i := range got {
		if errs[i] != nil || got[i] != got[0] {
			t.Fatalf("concurrent template builds: %q %v, want all %q", got[i], errs[i], got[0])
		}
	}

	a, b := Migrated(t), Migrated(t)
	if a == b {
		t.Fatalf("two tests share one database %s", a)
	}
	ca, cb := Admin(t, a), Admin(t, b)
	ctx := context.Background()
	for name, conn := range map[string]*pgx.Conn{"a": ca, "b": cb} {
		var v int
		var dirty bool
		if err := conn.QueryRow(ctx, "SELECT version, dirty FROM schema_migrations").Scan(&v, &dirty); err != nil {
			t.Fatalf("%s: schema_migrations: %v", name, err)
		}
		if v != latest || dirty {
			t.Errorf("%s: schema version %d dirty=%v, want %d clean", name, v, dirty, latest)
		}
	}
	Province(t, ca, "01", "Hà Nội")
	var n int
	if err := cb.QueryRow(ctx, "SELECT count(*) FROM provinces").Scan(&n); err != nil || n != 0 {
		t.Errorf("a write to one copy shows in another: %d provinces, %v", n, err)
	}
}

// BenchmarkMigrated is what a test pays for its database now: a copy of the migrated template. (The
// databases are dropped when the benchmark ends.)
func BenchmarkMigrated(b *testing.B) {
	Migrated(b) // the template, once
	for b.Loop() {
		Migrated(b)
	}
}

// BenchmarkMigrateFresh is what it paid before: an empty database and every migration run on it.
func BenchmarkMigrateFresh(b *testing.B) {
	for b.Loop() {
		mg, err := store.NewMigrator(Empty(b))
		if err != nil {
			b.Fatal(err)
		}
		if err := mg.Up(); err != nil {
			b.Fatal(err)
		}
		mg.Close()
	}
}

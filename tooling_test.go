package communehr

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// scripts/new-migration.sh creates the next-numbered up/down pair and refuses a bad name.
func TestNewMigrationScript(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"scripts", "migrations"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	script, err := os.ReadFile("scripts/new-migration.sh")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "scripts/new-migration.sh"), script, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"0001_init.up.sql", "0001_init.down.sql", "0009_x.up.sql", "0009_x.down.sql", "embed.go"} {
		if err := os.WriteFile(filepath.Join(dir, "migrations", f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(name string) (string, error) {
		out, err := exec.Command("bash", filepath.Join(dir, "scripts/new-migration.sh"), name).CombinedOutput()
		return string(out), err
	}
	out, err := run("add_cadre_email")
	if err != nil {
		t.Fatalf("new-migration.sh: %v\n%s", err, out)
	}
	for _, f := range []string{"0010_add_cadre_email.up.sql", "0010_add_cadre_email.down.sql"} {
		if _, err := os.Stat(filepath.Join(dir, "migrations", f)); err != nil {
			t.Errorf("%s not created: %v (output %q)", f, err, out)
		}
	}
	if out, err := run("add_cadre_email"); err != nil || !strings.Contains(out, "0011_") {
		t.Errorf("second run: %v %q, want 0011", err, out)
	}
	for _, bad := range []string{"", "Add Email", "../x", "1x"} {
		if out, err := run(bad); err == nil {
			t.Errorf("name %q accepted: %q", bad, out)
		}
	}
}

// Every Makefile target says what it does (a `## name: …` line above it), so `make help` lists it.
func TestMakefileTargetsDocumented(t *testing.T) {
	b, err := os.ReadFile("Makefile")
	if err != nil {
		t.Fatal(err)
	}
	target := regexp.MustCompile(`^([a-z][a-z0-9-]*):`)
	lines := strings.Split(string(b), "\n")
	documented := map[string]bool{}
	for _, l := range lines {
		if m := regexp.MustCompile(`^## ([a-z][a-z0-9-]*):`).FindStringSubmatch(l); m != nil {
			documented[m[1]] = true
		}
	}
	for i, l := range lines {
		if m := target.FindStringSubmatch(l); m != nil && !documented[m[1]] {
			t.Errorf("Makefile:%d: target %q has no `## %s: …` line, so make help does not list it", i+1, m[1], m[1])
		}
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed")
	}
	out, err := exec.Command("make", "-s", "help").CombinedOutput()
	if err != nil {
		t.Fatalf("make help: %v\n%s", err, out)
	}
	for name := range documented {
		if !strings.Contains(string(out), "make "+name+" ") {
			t.Errorf("make help does not list %s:\n%s", name, out)
		}
	}
}

// make lint's comment check flags a comment naming a path outside the repository (a file under /tmp, the
// shared spec, a *.md the repository does not hold) and passes one naming a file in it.
func TestCommentPathsCheck(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "x.go")
	// Written with @@ for the comment marker, so that this file's own comments stay clean.
	src := strings.ReplaceAll("package x\n\n@@ see /tmp/notes.txt\n@@ the rules (rules.md §3)\n@@ from ../shared/spec\n"+
		"@@ as docs/legal-basis.md §3 says\nvar s = \"http://example.com/README.md\" @@ a URL is not a path\n", "@@", "/"+"/")
	if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("bash", "scripts/comment-paths.sh", f).CombinedOutput()
	if err != nil {
		t.Fatalf("comment-paths.sh: %v\n%s", err, out)
	}
	got := string(out)
	for _, want := range []string{":3:", ":4:", ":5:"} {
		if !strings.Contains(got, f+want) {
			t.Errorf("line %s not flagged:\n%s", want, got)
		}
	}
	for _, not := range []string{":6:", ":7:"} {
		if strings.Contains(got, f+not) {
			t.Errorf("line %s flagged:\n%s", not, got)
		}
	}
	// The repository itself is clean (make lint fails otherwise).
	if out, err := exec.Command("bash", "scripts/comment-paths.sh").CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("the repository's comments name outside paths (%v):\n%s", err, out)
	}
}

// Review finding 19: SQL comments of migrations, # comments of scripts and the Makefile, and Lua comments
// are checked too, each by its own marker; what is not a comment (a string, ${x#y}) is not.
func TestCommentPathsCheckSQLAndScripts(t *testing.T) {
	dir := t.TempDir()
	fixtures := map[string]string{
		"0099_x.up.sql": "-- see /tmp/notes.txt\nSELECT 1; -- from ../shared/spec\n-- as docs/legal-basis.md says\n" +
			"COMMENT ON TABLE t IS 'the rules (rules.md)';\n-- the rules (rules.md §3)\n",
		"x.sh": "#!/usr/bin/env bash\n# see /work/notes\necho \"${x#/tmp/}\"  # fine: docs/legal-basis.md\n" +
			"cp a /tmp/b  # a command, not a comment\nls # from ../shared/data\n",
		"Makefile": "# see /home/me/notes\nrun:\n\t@echo /tmp/x # the rules (rules.md)\n",
		"x.lua":    "-- see /root/x\nlocal s = \"/tmp/y\"\n",
		"tool":     "#!/bin/sh\n# see /tmp/tool\n",
	}
	want := map[string][]string{"0099_x.up.sql": {":1:", ":2:", ":5:"}, "x.sh": {":2:", ":5:"}, "Makefile": {":1:", ":3:"},
		"x.lua": {":1:"}, "tool": {":2:"}}
	notWant := map[string][]string{"0099_x.up.sql": {":3:", ":4:"}, "x.sh": {":3:", ":4:"}, "Makefile": {":2:"}, "x.lua": {":2:"}}
	var args []string
	for name, src := range fixtures {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, f)
	}
	out, err := exec.Command("bash", append([]string{"scripts/comment-paths.sh"}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("comment-paths.sh: %v\n%s", err, out)
	}
	got := string(out)
	for name, lines := range want {
		for _, l := range lines {
			if !strings.Contains(got, filepath.Join(dir, name)+l) {
				t.Errorf("%s line %s not flagged:\n%s", name, l, got)
			}
		}
	}
	for name, lines := range notWant {
		for _, l := range lines {
			if strings.Contains(got, filepath.Join(dir, name)+l) {
				t.Errorf("%s line %s flagged:\n%s", name, l, got)
			}
		}
	}
}

// No build output is tracked: four benchmark binaries (115 MB) built with `go build` in the repository root
// were once committed and carried by every clone. Every tracked file is source or data: under 2 MB, and
// not an executable (ELF).
func TestNoBuildOutputsAreTracked(t *testing.T) {
	if _, err := os.Stat(".git"); err != nil {
		t.Skip("not a git checkout")
	}
	out, err := exec.Command("git", "ls-files", "-z").Output()
	if err != nil {
		t.Skipf("git ls-files: %v", err)
	}
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		f, err := os.Open(name)
		if err != nil {
			continue // deleted in the work tree, not yet committed
		}
		head := make([]byte, 4)
		n, _ := f.Read(head)
		st, err := f.Stat()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(head[:n], []byte("\x7fELF")) {
			t.Errorf("%s is an executable: build outputs belong in bin/ (ignored), not in the repository", name)
		} else if st.Size() > 2<<20 {
			t.Errorf("%s is %d bytes: is it a build output?", name, st.Size())
		}
	}
}

package communehr

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var (
	// mdRef is a Markdown file named in a comment ("docs/legal-basis.md", "README.md").
	mdRef = regexp.MustCompile(`[\w./-]*[\w-]+\.md\b`)
	// absPath is an absolute path on a developer's machine.
	absPath = regexp.MustCompile(`(^|[\s("'=])/(tmp|work|home|root|Users|var/folders)/`)
)

// Every comment of the Go code cites sources inside the repository: a Markdown file it names exists
// (docs/legal-basis.md holds the law as the code implements it), and no comment points to a file on
// someone's machine (a temporary or home directory). The specs the project was written from are not in the repository,
// so a comment citing them leaves the reader nowhere to go.
func TestCommentsCiteOnlyTheRepository(t *testing.T) {
	checked := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != "." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		checked++
		for _, g := range f.Comments {
			for _, c := range g.List {
				pos := fset.Position(c.Pos())
				if absPath.MatchString(c.Text) {
					t.Errorf("%s:%d: a comment names a path outside the repository: %s", path, pos.Line, c.Text)
				}
				for _, ref := range mdRef.FindAllString(c.Text, -1) {
					if !existsFrom(ref, filepath.Dir(path)) {
						t.Errorf("%s:%d: a comment cites %q, which is not in the repository (cite docs/legal-basis.md)", path, pos.Line, ref)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("only %d Go files checked", checked)
	}
}

// existsFrom reports whether ref names a file from the repository root or from dir.
func existsFrom(ref, dir string) bool {
	for _, p := range []string{ref, filepath.Join(dir, ref)} {
		if _, err := os.Stat(p); err == nil {
			return true
		}
	}
	return false
}

// The check itself finds what it should.
func TestCommentCheckPatterns(t *testing.T) {
	for _, s := range []string{"// see /tmp/notes/x.txt", "// (/work/shared/spec/rules.md)"} {
		if !absPath.MatchString(s) {
			t.Errorf("%q not caught", s)
		}
	}
	if got := mdRef.FindAllString("// (rules.md §3.2; docs/legal-basis.md §1)", -1); len(got) != 2 || existsFrom(got[0], ".") || !existsFrom(got[1], ".") {
		t.Errorf("%v", got)
	}
	if absPath.MatchString("// a/tmp/b and 1/2") {
		t.Error("a relative path caught")
	}
}

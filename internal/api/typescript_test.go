package api

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"communehr/internal/store"
)

// The tools the TypeScript check installs (npm), pinned: openapi-typescript with its default options, as an
// integrator would run it, and the TypeScript compiler.
const (
	tsGenerator = "openapi-typescript@7.13.0"
	tsCompiler  = "typescript@5.9.3"
)

// TestTypeScriptClientTypeChecksAgainstRealResponses generates a TypeScript client from openapi.yaml with
// openapi-typescript (default options) and type-checks, with tsc --strict, a small program whose request
// bodies are typed by the generated request types and whose fixtures are real responses of this server,
// typed by the generated response types. A required field the server omits, a null where the contract
// says non-nullable, a field the contract does not know, or a request field the server does not need but
// the contract requires (CadreCreate's si_months and status were) fails the compile.
//
// It needs node and npm: without them it is skipped with a message (NO_TYPESCRIPT=1 skips it too). The
// tools are installed once into .cache/typescript at the repository's root (git-ignored).
func TestTypeScriptClientTypeChecksAgainstRealResponses(t *testing.T) {
	t.Parallel()
	if os.Getenv("NO_TYPESCRIPT") != "" {
		t.Skip("NO_TYPESCRIPT is set: the generated TypeScript client is not type-checked")
	}
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed: the generated TypeScript client is not type-checked (install nodejs and npm to run this test)", tool)
		}
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	bin := installTypeScriptTools(t, filepath.Join(root, ".cache", "typescript"))

	// Real responses of five operations (and one problem), read through the contract-validating client.
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	ed := e.key(store.RoleProvinceEditor, "01")
	op := e.key(store.RoleOperator, "")
	ministry := e.key(store.RoleMinistry, "")
	seedCadreCommune(e, ed, "00004")
	createBody := `{"national_id": "` + nidMale1985 + `", "full_name": "Nguyễn Văn An", "gender": "male", "birth_date": "1985-03-02"}`
	captured := []struct{ name, typ, body string }{}
	capture := func(name, typ string, r resp, status int) {
		t.Helper()
		mustStatus(t, r, status)
		captured = append(captured, struct{ name, typ, body string }{name, typ, string(bytes.TrimSpace(r.Body))})
	}
	capture("me", `Ok<"getMe", 200>`, e.do("GET", "/v1/me", ed, nil), 200)
	capture("created", `Ok<"createCadre", 201>`, e.do("POST", "/v1/provinces/01/cadres", ed, createBody), 201)
	capture("cadres", `Ok<"listCadres", 200>`, e.do("GET", "/v1/provinces/01/cadres", ed, nil), 200)
	r := e.do("GET", "/v1/provinces/01", op, nil)
	capture("province", `Ok<"getProvince", 200>`, r, 200)
	capture("patched", `Ok<"patchProvince", 200>`, e.do("PATCH", "/v1/provinces/01", op,
		map[string]any{"allowance_basis": "hdnd_level"}, "If-Match", r.Header.Get("ETag")), 200)
	capture("communes", `Ok<"listCommunes", 200>`, e.do("GET", "/v1/provinces/01/communes", ed, nil), 200)
	capture("summary", `Ok<"getNationalSummary", 200>`, e.do("GET", "/v1/national/summary?as_of=2025-03-01", ministry, nil), 200)
	capture("problem", `components["schemas"]["Problem"]`, e.do("GET", "/v1/provinces/01/cadres?national_id=1", ed, nil), 400)

	dir := t.TempDir()
	gen := exec.Command(filepath.Join(bin, "openapi-typescript"), filepath.Join(root, "openapi.yaml"), "-o", filepath.Join(dir, "schema.d.ts"))
	if out, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("openapi-typescript: %v\n%s", err, out)
	}
	var prog strings.Builder
	prog.WriteString(`import type { components, operations } from "./schema";

// The JSON body of an operation's response with a given status.
type Ok<O extends keyof operations, S extends keyof operations[O]["responses"]> =
  operations[O]["responses"][S] extends { content: { "application/json": infer J } } ? J : never;
type Body<O extends keyof operations> =
  operations[O] extends { requestBody: { content: { "application/json": infer B } } } ? B : never;

// A minimal client: the calls an integrator writes, typed by the generated types.
async function call<O extends keyof operations, S extends keyof operations[O]["responses"]>(
  method: string, path: string, token: string, body?: unknown): Promise<Ok<O, S>> {
  const res = await fetch(path, { method, headers: { Authorization: "Bearer " + token, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body) });
  return (await res.json()) as Ok<O, S>;
}

// Request bodies as an integrator writes them: only what the server needs.
export const newCadre: Body<"createCadre"> = ` + createBody + `;
export const basis: Body<"patchProvince"> = { allowance_basis: "hdnd_level" };

export async function program(token: string): Promise<string> {
  const me = await call<"getMe", 200>("GET", "/v1/me", token);
  const created = await call<"createCadre", 201>("POST", "/v1/provinces/01/cadres", token, newCadre);
  const list = await call<"listCadres", 200>("GET", "/v1/provinces/01/cadres?q=" + created.national_id, token);
  const province = await call<"getProvince", 200>("GET", "/v1/provinces/" + (me.province ?? "01"), token);
  const summary = await call<"getNationalSummary", 200>("GET", "/v1/national/summary", token);
  const diff: string | null = summary.provinces[0]?.funds.difference ?? null;
  return [list.items.length, province.allowance_basis, diff, list.next_cursor ?? ""].join(",");
}

// Real responses of this server, typed by the generated response types.
`)
	for _, c := range captured {
		fmt.Fprintf(&prog, "export const %s: %s = %s;\n", c.name, c.typ, c.body)
	}
	if err := os.WriteFile(filepath.Join(dir, "client.ts"), []byte(prog.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	tsc := exec.Command(filepath.Join(bin, "tsc"), "--noEmit", "--strict", "--target", "es2022", "--lib", "es2022,dom",
		"--module", "es2022", "--moduleResolution", "bundler", "--skipLibCheck", "false",
		filepath.Join(dir, "client.ts"))
	tsc.Dir = dir
	if out, err := tsc.CombinedOutput(); err != nil {
		t.Fatalf("tsc: the generated client does not type-check against the server's responses: %v\n%s\nprogram:\n%s", err, out, prog.String())
	}
}

// installTypeScriptTools installs the pinned generator and compiler into dir (once; later runs reuse it)
// and returns the directory of their executables.
func installTypeScriptTools(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "node_modules", ".bin")
	stamp := filepath.Join(dir, ".installed")
	want := tsGenerator + " " + tsCompiler
	if got, err := os.ReadFile(stamp); err == nil && string(got) == want {
		return bin
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"private": true}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	npm := exec.Command("npm", "install", "--no-audit", "--no-fund", "--no-save", "--loglevel=error", tsGenerator, tsCompiler)
	npm.Dir = dir
	if out, err := npm.CombinedOutput(); err != nil {
		t.Fatalf("npm install %s: %v\n%s", want, err, out)
	}
	t.Logf("installed %s into %s in %s", want, dir, time.Since(start).Round(time.Millisecond))
	if err := os.WriteFile(stamp, []byte(want), 0o644); err != nil {
		t.Fatal(err)
	}
	return bin
}

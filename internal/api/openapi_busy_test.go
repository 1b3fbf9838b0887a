package api

import (
	"strings"
	"testing"
)

// Every operation that opens a database transaction can be answered 429 with Retry-After: the store admits
// only part of the requests' pool to one province (store/provinceconns.go), and the heavy-work gate and
// the job queue refuse too. openapi.yaml says so on each of them, so that a client generated from it
// expects the answer. The calculators, the parameters and the import templates never touch the register.
func TestEveryRegisterOperationDeclaresTooManyRequests(t *testing.T) {
	doc, err := spec()
	if err != nil {
		t.Fatal(err)
	}
	for path, item := range doc.Paths.Map() {
		if !strings.HasPrefix(path, "/v1/") || strings.HasPrefix(path, "/v1/calculations/") ||
			path == "/v1/parameters" || strings.HasPrefix(path, "/v1/import-templates/") {
			continue
		}
		for method, op := range item.Operations() {
			if op.Responses.Value("429") == nil {
				t.Errorf("%s %s does not declare 429", method, path)
			}
		}
	}
}

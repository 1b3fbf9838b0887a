// Package communehr is the root of the module; it carries the API contract so that the server can serve
// it and the tests can hold the router to it.
package communehr

import _ "embed"

// OpenAPI is openapi.yaml, the contract of the HTTP API.
//
//go:embed openapi.yaml
var OpenAPI []byte

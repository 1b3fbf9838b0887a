// Package migrations holds the reviewed SQL migrations, embedded into the server binary so that
// `server migrate up` needs nothing but the binary and a database.
package migrations

import "embed"

// FS holds every NNNN_name.up.sql / .down.sql pair of this directory.
//
//go:embed *.sql
var FS embed.FS

// Package policy is communehr's rules engine: the legal rules of
// docs/legal-basis.md as pure, effective-dated, cited Go.
//
// Every parameter is a dated table whose entries carry a citation
// (params.go); every calculator takes a plain input struct (with its own
// as-of or exit date) and returns an itemised Result whose lines each name
// their legal source. The package does no I/O, never reads the clock and
// imports nothing of communehr. Money is decimal.Decimal throughout; no
// floating point is used anywhere.
package policy

// RulesetVersion identifies the rules and parameters this package encodes.
// Bump it (semver) whenever a rule, parameter value or citation changes:
// stored decisions record it so a later recomputation can be explained.
const RulesetVersion = "1.2.0"

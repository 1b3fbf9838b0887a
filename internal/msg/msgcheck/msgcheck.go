// Package msgcheck is the tests' check that a text an officer reads carries nothing meant for developers.
// It is imported by tests only, so its deny-list never ships in the server.
package msgcheck

import (
	"regexp"
	"strings"
)

var (
	httpVerb   = regexp.MustCompile(`\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b`)
	identifier = regexp.MustCompile(`\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b`)
	// uuid is a record's internal id ("(assignment 48a78552-…)"): an officer knows a post by its title and dates.
	uuid = regexp.MustCompile(`(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`)
	// jsonWord is JSON's vocabulary ("must be null"), which an officer does not speak.
	jsonWord = regexp.MustCompile(`\b(null|true|false)\b`)
	notes    = []string{"rules.md", "VERIFY", "TODO", "FIXME", ".md", ".go", "/v1", "/tmp", "internal/", "legal-basis"}
)

// DeveloperText returns the first thing in s a reader must not see — an HTTP verb, a snake_case identifier
// (an API field name such as hamlet_code or position_code, or a code), an internal id (a UUID), a JSON word
// (null), a file name, a path or a review note — or "" when s is clean.
func DeveloperText(s string) string {
	for _, n := range notes {
		if strings.Contains(s, n) {
			return n
		}
	}
	if v := httpVerb.FindString(s); v != "" {
		return v
	}
	if v := uuid.FindString(s); v != "" {
		return v
	}
	if v := jsonWord.FindString(s); v != "" {
		return v
	}
	return identifier.FindString(s)
}

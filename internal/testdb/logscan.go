package testdb

import (
	"regexp"
	"strings"
	"testing"
)

var (
	// An API token: the chr_ prefix and 32 random bytes in unpadded base64url (43 characters).
	tokenInLog = regexp.MustCompile(`chr_[A-Za-z0-9_-]{40,}`)
	// A national identity number (CCCD): 12 digits standing alone (not part of a longer run of digits or
	// of a hexadecimal request id).
	nationalIDInLog = regexp.MustCompile(`(^|[^0-9A-Za-z])[0-9]{12}($|[^0-9A-Za-z])`)
)

// CheckLogs fails the test for every log line that holds an API token or a 12-digit national ID: the
// server must never log either.
func CheckLogs(t testing.TB, logs string) {
	t.Helper()
	for i, line := range strings.Split(logs, "\n") {
		if m := tokenInLog.FindString(line); m != "" {
			t.Errorf("log line %d holds an API token (%s…): %s", i+1, m[:8], line)
		}
		if nationalIDInLog.MatchString(line) {
			t.Errorf("log line %d holds a 12-digit number (a national ID): %s", i+1, line)
		}
	}
}

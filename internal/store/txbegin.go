package store

import (
	"strconv"
	"strings"
)

// beginQuery is the whole start of a tenant transaction in one round trip: BEGIN, the transaction-local
// tenant settings and role, and for a national principal its role, sent as one simple-protocol query
// (pgx.TxOptions.BeginQuery). Before it, BEGIN and the settings were two round trips of every request.
// The values are inlined, so only values made of safe characters are (province codes, role names and ids
// always are); for any other value ok is false and the caller sets them with bound parameters.
func beginQuery(p Principal) (q string, ok bool) {
	if !plainValue(p.Province) || !plainValue(p.Role) {
		return "", false
	}
	var b strings.Builder
	b.Grow(320)
	b.WriteString("BEGIN; SELECT set_config('app.province', '")
	b.WriteString(p.Province)
	b.WriteString("', true), set_config('app.role', '")
	b.WriteString(p.Role)
	b.WriteString("', true), set_config('app.key_id', '")
	b.WriteString(strconv.FormatInt(p.KeyID, 10))
	b.WriteString("', true), set_config('app.user_id', '")
	b.WriteString(strconv.FormatInt(p.UserID, 10))
	b.WriteString("', true), ")
	b.WriteString(setLocalAppRole)
	if p.National() {
		b.WriteString("; SET LOCAL ROLE " + NationalRole)
	}
	return b.String(), true
}

// plainValue reports whether s may be written inside a quoted SQL literal as it is: ASCII letters,
// digits, '_' and '-' only, at most 64 bytes.
func plainValue(s string) bool {
	if len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

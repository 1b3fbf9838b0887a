package api

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// normalizeText trims and NFC-normalises a name, so that the same Vietnamese text typed with combining
// marks or precomposed letters is stored (and compared) the same way.
func normalizeText(s string) string {
	return norm.NFC.String(strings.TrimSpace(s))
}

package api

import (
	"net/http"

	"communehr/internal/msg"
)

// langOf is the reader's language for catalogue messages (package msg): Vietnamese when Accept-Language
// puts vi first, else English (as problems are rendered).
func langOf(r *http.Request) msg.Lang { return msg.LangOf(vietnamese(r)) }

// localizer is a result whose messages render in the reader's language (policy.Result and the results
// that embed it).
type localizer interface{ Localize(msg.Lang) }

// localize renders v's messages in the reader's language when v has any.
func localize(r *http.Request, v any) {
	if l, ok := v.(localizer); ok {
		l.Localize(langOf(r))
	}
}

// contentLanguage says which language the body's messages are in.
func contentLanguage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Language", string(langOf(r)))
}

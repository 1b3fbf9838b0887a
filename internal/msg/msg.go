// Package msg is the one catalogue of user-visible messages in both languages (issue 12 item 4, issue 13
// item 5). Code that has something to tell a user returns a Message — a code and its arguments, pure data —
// and the edge (the API by Accept-Language, a CSV file, a report) renders it in the reader's language.
//
// Vietnamese is the reference language: every code has a Vietnamese and an English text, and the catalogue
// test checks both, their arguments, and that neither carries API field names, HTTP verbs, file names or
// developer notes.
package msg

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Lang is a language the catalogue speaks.
type Lang string

// The two languages of the catalogue.
const (
	VI Lang = "vi"
	EN Lang = "en"
)

// LangOf maps a "vi" flag to a Lang.
func LangOf(vietnamese bool) Lang {
	if vietnamese {
		return VI
	}
	return EN
}

// Text is one argument in both languages: a citation, a label. A number or a date reads the same in both.
type Text struct {
	VI string `json:"vi"`
	EN string `json:"en"`
}

// In returns the text in l.
// FromStored reads a text stored in both languages as JSON ({"vi":…,"en":…}, as the entitlement runs and
// the exit computations keep their reasons); any other string is taken as it is, in both.
func FromStored(stored string) Text {
	var t Text
	if strings.HasPrefix(stored, "{") && json.Unmarshal([]byte(stored), &t) == nil && (t.VI != "" || t.EN != "") {
		return t
	}
	return Text{VI: stored, EN: stored}
}

func (t Text) In(l Lang) string {
	if l == VI && t.VI != "" {
		return t.VI
	}
	return t.EN
}

// Bilingual is anything that reads differently in each language (policy.Citation does).
type Bilingual interface {
	VI() string
	EN() string
}

// Message is a catalogue code with its arguments.
type Message struct {
	Code string `json:"code"`
	Args []Text `json:"args,omitempty"`
}

// New builds a message. Each argument is a Text, a Bilingual (rendered both ways now, so that the message
// stays pure data), a Message (rendered both ways), or anything else formatted with %v in both languages.
// An unknown code panics: a message must be in the catalogue (the catalogue test covers every code).
func New(code string, args ...any) Message {
	if _, ok := catalogue[code]; !ok {
		panic("msg: code not in the catalogue: " + code)
	}
	m := Message{Code: code}
	for _, a := range args {
		m.Args = append(m.Args, textOf(a))
	}
	return m
}

func textOf(a any) Text {
	switch v := a.(type) {
	case Text:
		return v
	case Message:
		return Text{VI: v.Render(VI), EN: v.Render(EN)}
	case Bilingual:
		return Text{VI: v.VI(), EN: v.EN()}
	case fmt.Stringer:
		s := v.String()
		return Text{VI: s, EN: s}
	default:
		s := fmt.Sprint(v)
		return Text{VI: s, EN: s}
	}
}

// IsZero reports whether m carries no message.
func (m Message) IsZero() bool { return m.Code == "" }

// Render returns the message in l. An unknown code renders as the code itself (never a panic at the edge).
func (m Message) Render(l Lang) string {
	e, ok := catalogue[m.Code]
	if !ok {
		return m.Code
	}
	f := e.EN
	if l == VI {
		f = e.VI
	}
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		args[i] = a.In(l)
	}
	if len(args) == 0 {
		return f
	}
	return fmt.Sprintf(f, args...)
}

// VI and EN make a Message a Bilingual.
func (m Message) VI() string { return m.Render(VI) }
func (m Message) EN() string { return m.Render(EN) }

// Both renders the message as "English / Vietnamese", for a single text that must serve both readers
// (a log line; a stored note written before the reader is known).
func (m Message) Both() string { return m.Render(EN) + " / " + m.Render(VI) }

// RenderAll renders a list of messages in l (never nil).
func RenderAll(ms []Message, l Lang) []string {
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		out = append(out, m.Render(l))
	}
	return out
}

// entry is one catalogue text: fmt formats with the same verbs in both languages.
type entry struct{ VI, EN string }

// Codes lists every catalogue code, sorted.
func Codes() []string {
	out := make([]string, 0, len(catalogue))
	for c := range catalogue {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// FieldLabel is the label of an API field as a reader calls it, from the catalogue ("field."+name); ok is
// false for a field the catalogue does not label.
func FieldLabel(name string, l Lang) (string, bool) {
	e, ok := catalogue["field."+name]
	if !ok {
		return "", false
	}
	if l == VI {
		return e.VI, true
	}
	return e.EN, true
}

// Texts returns the two texts of a code (for the catalogue test).
func Texts(code string) (vi, en string, ok bool) {
	e, ok := catalogue[code]
	return e.VI, e.EN, ok
}

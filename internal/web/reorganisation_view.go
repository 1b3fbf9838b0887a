package web

import (
	"encoding/json"
	"fmt"
	"strings"

	"communehr/internal/msg"
	"communehr/internal/refdata"
	"communehr/internal/reorg"
)

// reorgListCap is how many rows of each list the page shows (the counts and totals are always whole):
// the demo province's merger affects about a thousand people, and a page stays under 200 KB.
const reorgListCap = 100

// reorgView is the reorganisation page's data: the form, and once previewed the summary, the questions
// a split asks (with the choices named) and the first rows of each list.
type reorgView struct {
	Province, Base   string
	National         bool // the reference data holds the province: the 2025 merger can be chosen
	Form             reorgForm
	AnswerKeys       []string
	Sum              *reorg.Summary
	Refusal          string
	Problems         []string
	Confirm, Applied bool
	Questions        []reorgQuestion
	Hidden           []reorgChoice // answers already given, carried as hidden fields (Value is the field)
	Closed, Created  []reorg.UnitRef
	Ended            []reorg.Post
	People           []reorgPersonRow
	Cap              int
}

// reorgQuestion is one split's question as a choice list.
type reorgQuestion struct {
	Field, Kind, ID, Unit, Message string
	Choices                        []reorgChoice
	Selected                       string
}

type reorgChoice struct{ Value, Label string }

// reorgPersonRow is an affected person with their post's title, its unit's code and the reason of their
// best exit in the officer's language.
type reorgPersonRow struct {
	reorg.Person
	Title, Unit, Reason string
}

// unitCodeOf is the code of a unit's id (code@first day).
func unitCodeOf(id string) string { code, _, _ := strings.Cut(id, "@"); return code }

func titleOf(titles map[string]string, code string) string {
	if t := titles[code]; t != "" {
		return t
	}
	return code
}

func newReorgView(province, base string, f reorgForm) *reorgView {
	v := &reorgView{Province: province, Base: base, Form: f, AnswerKeys: sortedKeys(f.Answers), Cap: reorgListCap}
	if d, err := refdata.Load(); err == nil {
		_, v.National = d.Province(province)
	}
	return v
}

// fill derives what the page shows from the summary, in the language of cat.
func (v *reorgView) fill(cat catalog, language string, titles map[string]string) {
	s := v.Sum
	if s == nil {
		return
	}
	names := map[string]string{}
	for _, u := range s.UnitsCreated {
		names[u.Code] = u.Name
	}
	v.Questions = v.Questions[:0]
	for _, q := range s.NeedsAnswer {
		rq := reorgQuestion{Field: q.Kind + ":" + q.ID, Kind: q.Kind, ID: q.ID, Unit: q.Unit,
			Message: fmt.Sprintf(cat["reorg.q_hamlet"], q.Name, q.ID, unitCodeOf(q.Unit))}
		if q.Kind == "post" {
			rq.Message = fmt.Sprintf(cat["reorg.q_post"], q.Name, titleOf(titles, q.PositionCode), unitCodeOf(q.Unit))
		}
		rq.Selected = v.Form.Answers[rq.Field]
		for _, c := range q.Choices {
			label := c
			switch {
			case c == "end":
				label = cat["reorg.end_post"]
			case names[c] != "":
				label = c + " — " + names[c]
			}
			rq.Choices = append(rq.Choices, reorgChoice{Value: c, Label: label})
		}
		v.Questions = append(v.Questions, rq)
	}
	asked := map[string]bool{}
	for _, q := range v.Questions {
		asked[q.Field] = true
	}
	v.Hidden = v.Hidden[:0]
	for _, k := range v.AnswerKeys {
		if !asked[k] {
			v.Hidden = append(v.Hidden, reorgChoice{Value: k, Label: v.Form.Answers[k]})
		}
	}
	v.Closed, v.Created, v.Ended = first(s.UnitsClosed), first(s.UnitsCreated), first(s.PostsEnded)
	lang := msg.EN
	if language == "vi" {
		lang = msg.VI
	}
	v.People = v.People[:0]
	for _, p := range first(s.PeopleAffected) {
		v.People = append(v.People, reorgPersonRow{Person: p, Title: titleOf(titles, p.Post.PositionCode),
			Unit: unitCodeOf(p.Post.FromUnit), Reason: reasonText(p.BestExit.Reason, lang)})
	}
}

func first[T any](xs []T) []T {
	if len(xs) > reorgListCap {
		return xs[:reorgListCap]
	}
	return xs
}

// reasonText reads an exit's reason, kept in both languages, in l.
func reasonText(stored string, l msg.Lang) string {
	var t msg.Text
	if strings.HasPrefix(stored, "{") && json.Unmarshal([]byte(stored), &t) == nil {
		return t.In(l)
	}
	return stored
}

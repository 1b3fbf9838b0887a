package api

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"communehr/internal/msg"
	"communehr/internal/store"
)

type cadreResponse struct {
	ID               string `json:"id"`
	NationalID       string `json:"national_id"`
	NationalIDMasked bool   `json:"national_id_masked"`
	FullName         string `json:"full_name"`
	Gender           string `json:"gender"`
	BirthDate        Date   `json:"birth_date"`
	SIMonths         int    `json:"si_months"`
	cadreLawFields
	Status     string `json:"status"`
	LeftOn     *Date  `json:"left_on"`
	ActiveFrom *Date  `json:"active_from"`
	Version    int    `json:"version"`
	// AsOf and StatusPeriod: GET with as_of (status and left_on are then those in force on that date).
	AsOf          *Date                   `json:"as_of,omitempty"`
	StatusPeriod  *statusPeriodResponse   `json:"status_period,omitempty"`
	StatusHistory *[]statusPeriodResponse `json:"status_history,omitempty"`
	Assignments   *[]assignmentResponse   `json:"assignments,omitempty"`
}

// masksNationalID reports whether the caller sees identity numbers masked: viewers do; editors, the
// Ministry and operators see them whole.
// cadreCCCDQuery is a `q` that may be (part of) a CCCD: digits only.
var cadreCCCDQuery = regexp.MustCompile(`^[0-9]{1,12}$`)

func masksNationalID(p store.Principal) bool { return p.Role == store.RoleProvinceViewer }

func toCadreResponse(c store.Cadre, mask bool) cadreResponse {
	out := cadreResponse{ID: c.ID, NationalID: c.NationalID, FullName: c.FullName, Gender: c.Gender,
		BirthDate: Date{Time: c.BirthDate}, SIMonths: c.SIMonths, Status: c.Status, LeftOn: datePtr(c.LeftOn),
		ActiveFrom: datePtr(c.ActiveFrom), Version: c.Version, cadreLawFields: lawFieldsOf(c)}
	addStatusHistory(&out, c)
	if mask {
		out.NationalID, out.NationalIDMasked = store.MaskNationalID(c.NationalID), true
	}
	return out
}

type cadreList struct {
	Items      []cadreResponse `json:"items"`
	NextCursor *string         `json:"next_cursor"`
}

func (s *Server) mountCadres(r chi.Router) {
	r.Route("/cadres", func(r chi.Router) {
		r.Get("/", handle(s.listCadres))
		r.With(idempotent(s.store)).Post("/", handle(s.createCadre))
		r.Get("/{id}", handle(s.getCadre))
		r.Patch("/{id}", handle(s.patchCadre))
		r.Delete("/{id}", handle(s.deleteCadre))
		s.mountAssignments(r)
	})
}

var cadreUUIDPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// pathUUID reads a uuid path parameter; a malformed one names no resource, so it is a 404.
func cadrePathUUID(r *http.Request, name string) (string, error) {
	id := chi.URLParam(r, name)
	if !cadreUUIDPattern.MatchString(id) {
		return "", errNotFound()
	}
	return strings.ToLower(id), nil
}

var (
	cadreCommuneFilterPattern = regexp.MustCompile(`^[0-9]{5}$`)
	cadreHamletFilterPattern  = regexp.MustCompile(`^[0-9A-Za-z_.-]{1,32}$`)
)

func (s *Server) listCadres(w http.ResponseWriter, r *http.Request) error {
	limit, after, err := page(r)
	if err != nil {
		return err
	}
	if after != "" && !cadreUUIDPattern.MatchString(after) {
		return queryError("cursor", "cursor", "is not a cursor this API returned", "không phải con trỏ do API trả về")
	}
	q := r.URL.Query()
	search, err := queryText(r, "q")
	if err != nil {
		return err
	}
	f := store.CadreFilter{Status: q.Get("status"), Q: normalizeText(search), CommuneCode: q.Get("commune_code"),
		HamletCode: q.Get("hamlet_code"), After: after, Limit: limit}
	if f.Status != "" && !oneOf(f.Status, "active", "left", "retired") {
		return queryError("status", "oneof", "must be active, left or retired", "phải là active, left hoặc retired")
	}
	if f.CommuneCode != "" && !cadreCommuneFilterPattern.MatchString(f.CommuneCode) {
		return queryError("commune_code", "len", "must be 5 digits", "phải gồm 5 chữ số")
	}
	if f.HamletCode != "" && !cadreHamletFilterPattern.MatchString(f.HamletCode) {
		return queryError("hamlet_code", "format", "must be 1–32 letters, digits, '.', '_' or '-'", "phải gồm 1–32 chữ, số, '.', '_' hoặc '-'")
	}
	asOf, err := queryDate(r, "as_of")
	if err != nil {
		return err
	}
	f.AsOf = timePtr(asOf)
	p := principalFrom(r.Context())
	if cadreCCCDQuery.MatchString(f.Q) {
		switch {
		case len(f.Q) == 12:
			f.QNationalID = "exact"
		case !masksNationalID(p):
			f.QNationalID = "part"
		}
	}
	items, err := s.store.ListCadres(r.Context(), p, chi.URLParam(r, "province"), f)
	if err != nil {
		return err
	}
	out := cadreList{Items: make([]cadreResponse, 0, len(items))}
	last := ""
	for _, c := range items {
		item := toCadreResponse(c, masksNationalID(p))
		if asOf != nil && c.StatusAt != nil { // status and left_on are those in force on as_of: say which period
			sp := toStatusPeriod(*c.StatusAt)
			item.AsOf, item.StatusPeriod = asOf, &sp
		}
		out.Items = append(out.Items, item)
		last = c.ID
	}
	out.NextCursor = nextCursor(last, len(items), limit)
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) getCadre(w http.ResponseWriter, r *http.Request) error {
	id, err := cadrePathUUID(r, "id")
	if err != nil {
		return err
	}
	asOf, err := queryDate(r, "as_of")
	if err != nil {
		return err
	}
	p := principalFrom(r.Context())
	c, as, err := s.store.GetCadre(r.Context(), p, chi.URLParam(r, "province"), id)
	if err != nil {
		return err
	}
	out := toCadreResponse(c, masksNationalID(p))
	if asOf != nil {
		statusAsOf(&out, c, asOf.Time)
	}
	out.Assignments = toAssignmentResponses(as)
	setETag(w, c.Version)
	return writeJSON(w, http.StatusOK, out)
}

type cadreCreate struct {
	NationalID string `json:"national_id" validate:"required,len=12,number"`
	FullName   string `json:"full_name" validate:"required,max=400"`
	Gender     string `json:"gender" validate:"required,oneof=male female"`
	BirthDate  Date   `json:"birth_date" validate:"required"`
	SIMonths   int    `json:"si_months" validate:"min=0,max=720"`
	cadreLawFields
	Status string `json:"status" validate:"omitempty,oneof=active left retired"`
	LeftOn *Date  `json:"left_on"`
}

func (s *Server) createCadre(w http.ResponseWriter, r *http.Request) error {
	var req cadreCreate
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	c := store.Cadre{Province: chi.URLParam(r, "province"), NationalID: req.NationalID, FullName: normalizeName(req.FullName),
		Gender: req.Gender, BirthDate: req.BirthDate.Time, SIMonths: req.SIMonths, Status: req.Status, LeftOn: timePtr(req.LeftOn)}
	req.cadreLawFields.applyTo(&c)
	if c.Status == "" {
		c.Status = "active"
	}
	if err := checkCadre(c, s.store.CadreReferenceDate()); err != nil {
		return err
	}
	p := principalFrom(r.Context())
	out, err := s.store.CreateCadre(r.Context(), p, c)
	if err != nil {
		return err
	}
	w.Header().Set("Location", strings.TrimSuffix(r.URL.Path, "/")+"/"+out.ID)
	setETag(w, out.Version)
	return writeJSON(w, http.StatusCreated, toCadreResponse(out, masksNationalID(p)))
}

// normalizeName NFC-normalises a person's name and collapses runs of spaces.
func normalizeName(s string) string { return strings.Join(strings.Fields(normalizeText(s)), " ") }

var firstOfYear1900 = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

// checkCadre holds the rules that span fields or need more than a tag: the name's letters, the birth date's
// range, left_on against status, and the identity number's gender/century and year digits (docs/legal-basis.md §10).
func checkCadre(c store.Cadre, today time.Time) error {
	var fields []FieldError
	bad := func(ptr, code string, m msg.Message) { fields = append(fields, fieldMsg(ptr, code, m)) }
	if n := utf8.RuneCountInString(c.FullName); n < 2 || n > 100 {
		bad("/full_name", "length", msg.New("cadre.name_length"))
	} else if !validName(c.FullName) {
		bad("/full_name", "letters", msg.New("cadre.name_letters"))
	}
	birthOK := true
	switch {
	case c.BirthDate.After(today):
		birthOK = false
		bad("/birth_date", "not_future", msg.New("cadre.birth_future"))
	case c.BirthDate.Before(firstOfYear1900):
		birthOK = false
		bad("/birth_date", "min_date", msg.New("cadre.birth_before_1900"))
	}
	switch {
	case c.Status == "active" && c.LeftOn != nil:
		bad("/left_on", "must_be_null", msg.New("cadre.left_on_while_active"))
	case c.Status != "active" && c.LeftOn == nil:
		bad("/left_on", "required", msg.New("cadre.left_on_required", statusLeftText(c.Status)))
	case c.LeftOn != nil && c.LeftOn.Before(c.BirthDate):
		bad("/left_on", "after_birth_date", msg.New("cadre.left_on_before_birth"))
	case c.LeftOn != nil && c.ActiveFrom != nil && !c.LeftOn.After(*c.ActiveFrom):
		bad("/left_on", "after_active_from", msg.New("cadre.left_on_before_return", statusDateText(*c.ActiveFrom)))
	}
	if birthOK && len(c.NationalID) == 12 {
		fields = append(fields, checkNationalID(c.NationalID, c.Gender, c.BirthDate)...)
	}
	fields = append(fields, checkCadreLaw(c)...)
	if len(fields) > 0 {
		return errInvalid("Some fields are not valid.", "Một số trường không hợp lệ.", fields...)
	}
	return nil
}

func validName(s string) bool {
	prevSep := true // a name starts with a letter and never has two separators in a row
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			prevSep = false
		case r == ' ' || r == '\'' || r == '’' || r == '-':
			if prevSep {
				return false
			}
			prevSep = true
		default:
			return false
		}
	}
	return !prevSep
}

// checkNationalID compares a 12-digit citizen identity number with the record: the 4th digit encodes gender
// and century of birth (0/1 male/female 1900–1999, 2/3 2000–2099, 4/5 2100–2199), digits 5–6 the last two
// digits of the birth year (docs/legal-basis.md §10). The messages say what disagrees without repeating the number.
func checkNationalID(id, gender string, birth time.Time) []FieldError {
	var out []FieldError
	add := func(code string, m msg.Message) { out = append(out, fieldMsg("/national_id", code, m)) }
	year := birth.Year()
	d := int(id[3] - '0')
	if d > 5 {
		add("gender_century_digit", msg.New("nid.not_gender_century", d))
	} else {
		digitGender, digitFrom := "male", 1900+100*(d/2)
		if d%2 == 1 {
			digitGender = "female"
		}
		if digitGender != gender {
			add("gender_century_digit", msg.New("nid.gender", d, genderText(digitGender), genderText(gender)))
		}
		if year < digitFrom || year > digitFrom+99 {
			add("gender_century_digit", msg.New("nid.century", d, digitFrom, digitFrom+99, year))
		}
	}
	if yy := id[4:6]; yy != fmt.Sprintf("%02d", year%100) {
		add("birth_year_digits", msg.New("nid.birth_year", yy, year))
	}
	return out
}

type cadrePatch struct {
	NationalID Opt[string] `json:"national_id"`
	FullName   Opt[string] `json:"full_name"`
	Gender     Opt[string] `json:"gender"`
	BirthDate  Opt[Date]   `json:"birth_date"`
	SIMonths   Opt[int]    `json:"si_months"`
	Status     Opt[string] `json:"status"`
	LeftOn     Opt[Date]   `json:"left_on"`
	ActiveFrom Opt[Date]   `json:"active_from"`

	SITotalMonths         Opt[int]  `json:"si_total_months"`
	SIUncompensatedMonths Opt[int]  `json:"si_uncompensated_months"`
	Decree29Paid          Opt[bool] `json:"decree29_paid"`
	Decree29PaidOn        Opt[Date] `json:"decree29_paid_on"`
	MergedUnitSurplus     Opt[bool] `json:"merged_unit_surplus"`
}

// apply returns the change of the patch: the fields present replace the record's, a null on a required field
// is refused, and the result must still be a valid person.
func (p cadrePatch) apply(today time.Time) func(*store.Cadre) error {
	return func(c *store.Cadre) error {
		before := *c
		var fields []FieldError
		if p.NationalID.required("/national_id", &fields) {
			c.NationalID = *p.NationalID.Value
		}
		if p.FullName.required("/full_name", &fields) {
			c.FullName = normalizeName(*p.FullName.Value)
		}
		if p.Gender.required("/gender", &fields) {
			c.Gender = *p.Gender.Value
		}
		if p.BirthDate.required("/birth_date", &fields) {
			c.BirthDate = p.BirthDate.Value.Time
		}
		if p.SIMonths.required("/si_months", &fields) {
			c.SIMonths = *p.SIMonths.Value
		}
		if p.Status.required("/status", &fields) {
			c.Status = *p.Status.Value
		}
		if p.LeftOn.Set {
			c.LeftOn = timePtr(p.LeftOn.Value)
		}
		if p.ActiveFrom.Set {
			c.ActiveFrom = timePtr(p.ActiveFrom.Value)
		}
		fields = append(fields, checkReturn(before, *c)...)
		if p.SITotalMonths.Set {
			c.SITotalMonths = p.SITotalMonths.Value
		}
		if p.SIUncompensatedMonths.Set {
			c.SIUncompensatedMonths = p.SIUncompensatedMonths.Value
		}
		if p.Decree29Paid.Set {
			c.Decree29Paid = p.Decree29Paid.Value
		}
		if p.Decree29PaidOn.Set {
			c.Decree29PaidOn = timePtr(p.Decree29PaidOn.Value)
		}
		if p.MergedUnitSurplus.required("/merged_unit_surplus", &fields) {
			c.MergedUnitSurplus = *p.MergedUnitSurplus.Value
		}
		if len(fields) > 0 {
			return errInvalid("Some fields are not valid.", "Một số trường không hợp lệ.", fields...)
		}
		req := cadreCreate{NationalID: c.NationalID, FullName: c.FullName, Gender: c.Gender, BirthDate: Date{Time: c.BirthDate},
			SIMonths: c.SIMonths, Status: c.Status, cadreLawFields: lawFieldsOf(*c)}
		if err := validateStruct(&req); err != nil {
			return err
		}
		return checkCadre(*c, today)
	}
}

func (s *Server) patchCadre(w http.ResponseWriter, r *http.Request) error {
	id, err := cadrePathUUID(r, "id")
	if err != nil {
		return err
	}
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var req cadrePatch
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	p := principalFrom(r.Context())
	out, err := s.store.UpdateCadre(r.Context(), p, chi.URLParam(r, "province"), id, version, req.apply(s.store.CadreReferenceDate()))
	if err != nil {
		return err
	}
	setETag(w, out.Version)
	return writeJSON(w, http.StatusOK, toCadreResponse(out, masksNationalID(p)))
}

func (s *Server) deleteCadre(w http.ResponseWriter, r *http.Request) error {
	id, err := cadrePathUUID(r, "id")
	if err != nil {
		return err
	}
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	if err := s.store.DeleteCadre(r.Context(), principalFrom(r.Context()), chi.URLParam(r, "province"), id, version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

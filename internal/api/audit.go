package api

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"communehr/internal/store"
)

type auditEntry struct {
	ID        string          `json:"id"`
	At        time.Time       `json:"at"`
	KeyID     *string         `json:"key_id"`
	Username  *string         `json:"username"`
	RequestID string          `json:"request_id"`
	Action    string          `json:"action"`
	Entity    string          `json:"entity"`
	EntityID  string          `json:"entity_id"`
	Before    json.RawMessage `json:"before"`
	After     json.RawMessage `json:"after"`
}

type auditList struct {
	Items      []auditEntry `json:"items"`
	NextCursor *string      `json:"next_cursor"`
}

func (s *Server) mountAudit(r chi.Router) {
	r.Get("/audit", handle(s.listAudit))
}

var (
	auditEntityPattern = regexp.MustCompile(`^[a-z_]{1,40}$`)
	uuidPattern        = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

// listAudit pages through the province's audit log, newest first. Viewer keys see national identity
// numbers in before/after masked, as in the list views.
func (s *Server) listAudit(w http.ResponseWriter, r *http.Request) error {
	limit, after, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	entityID, err := queryText(r, "entity_id")
	if err != nil {
		return err
	}
	f := store.AuditFilter{Entity: q.Get("entity"), EntityID: entityID, Limit: limit}
	if f.Entity != "" && !auditEntityPattern.MatchString(f.Entity) {
		return queryError("entity", "pattern", "must be an entity name such as commune or hamlet", "phải là tên đối tượng như commune hoặc hamlet")
	}
	if len(f.EntityID) > 200 {
		return queryError("entity_id", "max", "must be at most 200 characters", "tối đa 200 ký tự")
	}
	if after != "" {
		if !uuidPattern.MatchString(after) {
			return queryError("cursor", "cursor", "is not a cursor this API returned", "không phải con trỏ do API trả về")
		}
		f.Before = after
	}
	from, err := queryDate(r, "from")
	if err != nil {
		return err
	}
	to, err := queryDate(r, "to")
	if err != nil {
		return err
	}
	if from != nil && to != nil && to.Before(from.Time) {
		return queryError("to", "before_from", "must not be before from", "không được trước from")
	}
	f.From, f.To = timePtr(from), timePtr(to)
	p := principalFrom(r.Context())
	items, err := s.store.ListAudit(r.Context(), p, chi.URLParam(r, "province"), f)
	if err != nil {
		return err
	}
	mask := p.Role == store.RoleProvinceViewer
	out := auditList{Items: make([]auditEntry, 0, len(items))}
	last := ""
	for _, e := range items {
		out.Items = append(out.Items, auditEntry{ID: e.ID, At: e.At.UTC(), KeyID: e.KeyID, Username: e.Username, RequestID: e.RequestID,
			Action: e.Action, Entity: e.Entity, EntityID: e.EntityID,
			Before: auditSnapshot(e.Before, mask), After: auditSnapshot(e.After, mask)})
		last = e.ID
	}
	out.NextCursor = nextCursor(last, len(items), limit)
	return writeJSON(w, http.StatusOK, out)
}

// auditSnapshot returns a stored before/after as JSON (null when absent), with national identity numbers
// masked when mask is set.
func auditSnapshot(raw json.RawMessage, mask bool) json.RawMessage {
	if len(raw) == 0 {
		return json.RawMessage("null")
	}
	if !mask {
		return raw
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return json.RawMessage("null")
	}
	b, err := json.Marshal(maskNationalIDs(v))
	if err != nil {
		return json.RawMessage("null")
	}
	return b
}

// maskNationalIDs walks a decoded snapshot and masks every value under a key that names a national
// identity number (national_id, NationalID, …), keeping the first 4 and last 3 digits.
func maskNationalIDs(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if s, ok := val.(string); ok && strings.ReplaceAll(strings.ToLower(k), "_", "") == "nationalid" {
				t[k] = auditMaskDigits(s)
				continue
			}
			t[k] = maskNationalIDs(val)
		}
	case []any:
		for i := range t {
			t[i] = maskNationalIDs(t[i])
		}
	}
	return v
}

func auditMaskDigits(s string) string {
	if len(s) < 8 {
		return strings.Repeat("*", len(s))
	}
	return s[:4] + strings.Repeat("*", len(s)-7) + s[len(s)-3:]
}

package api

import (
	"encoding/json"
	"regexp"
	"testing"

	"communehr/internal/store"
)

// Review finding 15: a key's id is a random public id, not the global counter of api_keys.id. A province
// reading its own key (GET /v1/me) and its audit log learns nothing when keys are made in another province
// between two reads, and the id it sees revokes the key.
func TestKeyIDsAreOpaque(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.province("01", "Thành phố Hà Nội")
	e.province("79", "Thành phố Hồ Chí Minh")
	id, ed := keyWithID(e, store.RoleProvinceEditor, "01")
	mustStatus(t, e.do("POST", "/v1/provinces/01/communes", ed, communeBody("00001", "Xã Một")), 201)
	reads := func() (string, string) {
		me := e.do("GET", "/v1/me", ed, nil)
		mustStatus(t, me, 200)
		audit := e.do("GET", "/v1/provinces/01/audit", ed, nil)
		mustStatus(t, audit, 200)
		return string(me.Body), string(audit.Body)
	}
	me1, audit1 := reads()
	uuid := regexp.MustCompile(`^"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"$`)
	var me map[string]json.RawMessage
	if err := json.Unmarshal([]byte(me1), &me); err != nil || !uuid.Match(me["key_id"]) || string(me["key_id"]) != `"`+id+`"` {
		t.Fatalf("GET /v1/me key_id %s is not the key's random id %s", me["key_id"], id)
	}
	var audit struct {
		Items []map[string]json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal([]byte(audit1), &audit); err != nil || len(audit.Items) != 1 || string(audit.Items[0]["key_id"]) != `"`+id+`"` {
		t.Fatalf("audit key_id: %s", audit1)
	}
	for range 3 {
		e.key(store.RoleProvinceEditor, "79")
	}
	if me2, audit2 := reads(); me2 != me1 || audit2 != audit1 {
		t.Fatalf("keys made in 79 changed what 01 reads:\n%s\n%s\nthen\n%s\n%s", me1, audit1, me2, audit2)
	}
	if err := store.RevokeKey(t.Context(), e.admin, id); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, e.do("GET", "/v1/me", ed, nil), 401)
}

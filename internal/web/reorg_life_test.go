package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"communehr/internal/msg/msgcheck"
	"communehr/internal/store"
)

// Done when: an apply the register refuses at its last word — it would close a hamlet and leave in it a
// post that starts after the effective date, which the plan neither moves nor ends — is shown to the
// editor as the refusal, naming the post's unit and both periods, with a 422, not the "system error"
// page; the preview already shows the same refusal (brief reorgcsv item 3: never a clean preview and
// then a refused apply); nothing is written.
func TestReorganisationRefusalOfTheRegisterIsWordedInTheConsole(t *testing.T) {
	s := newSite(t)
	var h1, h2, cadre string
	if err := s.admin.QueryRow(context.Background(), `SELECT min(code), max(code) FROM (SELECT code FROM hamlets
		WHERE province_code = '99' AND commune_code = (SELECT min(commune_code) FROM hamlets WHERE province_code = '99')
		  AND effective_to IS NULL ORDER BY code LIMIT 2) x`).Scan(&h1, &h2); err != nil || h1 == h2 {
		t.Fatalf("two hamlets of one commune: %q %q %v", h1, h2, err)
	}
	if err := s.admin.QueryRow(context.Background(), `SELECT min(id::text) FROM cadres c WHERE province_code = '99'
		AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.province_code = c.province_code AND a.cadre_id = c.id)`).Scan(&cadre); err != nil {
		t.Fatal(err)
	}
	if _, err := s.admin.Exec(context.Background(), `INSERT INTO assignments (province_code, cadre_id, position_code, hamlet_code, start_date)
		VALUES ('99', $1, 'bi_thu_chi_bo', $2, '2026-03-01')`, cadre, h1); err != nil {
		t.Fatal(err)
	}
	b := s.browser()
	b.login("bien.tap", s.user("bien.tap", store.RoleProvinceEditor, "99"), "một mật khẩu đủ dài")
	answers := url.Values{"level": {"hamlet"}, "effective_date": {"01/01/2026"}, "mapping": {"csv"},
		"mapping_csv": {"old,new,coverage\n" + h1 + "," + h2 + ",full\n"}}
	p := b.post("/reorganisation/preview", answers)
	mustStatus(t, p, 422)
	preview := alertOf(p.Body)
	for _, m := range postQuestionRe.FindAllStringSubmatch(p.Body, -1) {
		answers.Set(m[1], "end")
	}
	answers.Set("confirm", "yes")
	p = b.post("/reorganisation/apply", answers)
	mustStatus(t, p, 422)
	text := alertOf(p.Body)
	if !strings.Contains(text, h1) || !strings.Contains(text, "01/03/2026") {
		t.Errorf("the refusal does not name the hamlet and the post's period: %s", text)
	}
	if preview != text {
		t.Errorf("the preview says %q, the apply %q", preview, text)
	}
	if bad := msgcheck.DeveloperText(text); bad != "" {
		t.Errorf("developer text %q", bad)
	}
	var n int
	if err := s.admin.QueryRow(context.Background(), `SELECT count(*) FROM reorganisations`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("a refused apply wrote %d reorganisations (%v)", n, err)
	}
}

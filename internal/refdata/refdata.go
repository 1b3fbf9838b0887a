// Package refdata is the national reference data of Vietnam's 2025 reorganisation, embedded in the binary:
// the 3,321 commune-level units of 1 July 2025, the 10,035 units in force before it and the old→new lineage
// (data/, MIT; sources and notices in README.md and data/LICENSE.md). It parses the files once, groups them
// by 2025 province and reports the sources' disagreements as warnings instead of dropping rows. It does no
// other I/O and knows nothing of the database.
package refdata

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

var (
	//go:embed data/vn-admin-units-2025.csv
	units2025CSV []byte
	//go:embed data/vn-admin-units-pre2025.csv
	unitsPreCSV []byte
	//go:embed data/vn-admin-units-2025-lineage.csv
	lineageCSV []byte
)

// The dates of the two maps. The sources say when the 2025 map took effect, not when each pre-2025 unit was
// created, so a pre-2025 unit is recorded as in force from PreFrom (the earliest date the register accepts):
// any post it held before the merger then lies inside its life.
var (
	Effective2025 = time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	PreTo         = time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	PreFrom       = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
)

// Unit is one commune-level unit of either map.
type Unit struct {
	Province string // the province it belonged to on its map (pre-2025 numbering for the old map)
	Code     string
	Name     string
	Kind     string // xa, phuong, thi_tran, dac_khu
	District string // pre-2025 only: the district's name
}

// Link says that (part of) an old unit went into a new one.
type Link struct {
	OldCode, NewCode string
	Coverage         string // full or partial
	Successors       int    // how many new units the old unit went into
}

// Warning is one precise disagreement between the sources, said in English and Vietnamese.
type Warning struct {
	Code     string `json:"code"`
	UnitCode string `json:"unit_code"`
	EN       string `json:"-"`
	VI       string `json:"-"`
}

// Province is what one 2025 province needs: its units of 2025, the pre-2025 units whose lineage leads into
// it, the links between them and the warnings about them.
type Province struct {
	Code, Name string
	Units2025  []Unit
	UnitsPre   []Unit
	Links      []Link
	Warnings   []Warning
}

// Data is the parsed reference data.
type Data struct {
	provinces map[string]*Province
	codes     []string
	merged    map[string]Merged // pre-2025 province codes that are not 2025 codes
}

var (
	once   sync.Once
	loaded *Data
	errLd  error
)

// Load parses the embedded files once and returns the same Data afterwards.
func Load() (*Data, error) {
	once.Do(func() { loaded, errLd = parse() })
	return loaded, errLd
}

// Provinces lists the 34 province codes of 2025 in order.
func (d *Data) Provinces() []string { return append([]string(nil), d.codes...) }

// Province returns one 2025 province, or false when the code is not one of the 34.
func (d *Data) Province(code string) (*Province, bool) {
	p, ok := d.provinces[code]
	return p, ok
}

// readCSV splits an embedded file (no quoted fields, see README.md) into records of n fields after the header.
func readCSV(name string, b []byte, n int) ([][]string, error) {
	var out [][]string
	sc := bufio.NewScanner(bytes.NewReader(b))
	line := 0
	for sc.Scan() {
		line++
		if line == 1 {
			continue
		}
		f := strings.Split(sc.Text(), ",")
		if len(f) != n {
			return nil, fmt.Errorf("%s line %d: %d fields, want %d", name, line, len(f), n)
		}
		out = append(out, f)
	}
	return out, sc.Err()
}

// sameName compares two spellings of a name ignoring runs of spaces and letter case ("Thị Trấn" and
// "Thị trấn", "Xã  Mỹ Lộc" and "Xã Mỹ Lộc" are one name).
func sameName(a, b string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(a), " "), strings.Join(strings.Fields(b), " "))
}

// kindOf reads a unit's kind from the first word(s) of its name.
func kindOf(name string) string {
	l := strings.ToLower(strings.Join(strings.Fields(name), " "))
	switch {
	case strings.HasPrefix(l, "phường "):
		return "phuong"
	case strings.HasPrefix(l, "thị trấn "):
		return "thi_tran"
	case strings.HasPrefix(l, "đặc khu "):
		return "dac_khu"
	}
	return "xa"
}

func parse() (*Data, error) {
	rows25, err := readCSV("vn-admin-units-2025.csv", units2025CSV, 5)
	if err != nil {
		return nil, err
	}
	rowsPre, err := readCSV("vn-admin-units-pre2025.csv", unitsPreCSV, 7)
	if err != nil {
		return nil, err
	}
	rowsLin, err := readCSV("vn-admin-units-2025-lineage.csv", lineageCSV, 8)
	if err != nil {
		return nil, err
	}
	d := &Data{provinces: map[string]*Province{}}
	new25 := map[string]Unit{}
	for _, f := range rows25 {
		u := Unit{Province: f[0], Code: f[2], Name: f[3], Kind: f[4]}
		new25[u.Code] = u
		p := d.provinces[u.Province]
		if p == nil {
			p = &Province{Code: u.Province, Name: f[1]}
			d.provinces[u.Province] = p
			d.codes = append(d.codes, u.Province)
		}
		p.Units2025 = append(p.Units2025, u)
	}
	pre := map[string]Unit{}
	preNames := map[string]string{}
	for _, f := range rowsPre {
		preNames[f[0]] = f[1]
		pre[f[4]] = Unit{Province: f[0], District: f[3], Code: f[4], Name: f[5], Kind: f[6]}
	}
	hasPred := map[string]bool{}
	for _, f := range rowsLin {
		if _, ok := new25[f[4]]; ok {
			hasPred[f[4]] = true
		}
	}
	// A lineage code missing from the 2025 list is taken as the province's 2025 unit of the same name that
	// no other lineage row leads into, when there is exactly one.
	resolveNew := func(prov, code, name string) (string, bool) {
		var found []string
		for _, u := range d.provinces[prov].Units2025 {
			if !hasPred[u.Code] && sameName(u.Name, name) {
				found = append(found, u.Code)
			}
		}
		if len(found) == 1 {
			return found[0], true
		}
		return "", false
	}
	seenOld := map[string]bool{}
	resolved := map[string]string{}
	for _, f := range rowsLin {
		oldProv, oldCode, oldName, newProv, newCode, newName, cov := f[0], f[1], f[2], f[3], f[4], f[5], f[6]
		succ, err := strconv.Atoi(f[7])
		if err != nil {
			return nil, fmt.Errorf("lineage %s→%s: successors %q", oldCode, newCode, f[7])
		}
		p := d.provinces[newProv]
		if p == nil {
			return nil, fmt.Errorf("lineage %s→%s: province %s is not a 2025 province", oldCode, newCode, newProv)
		}
		if nu, ok := new25[newCode]; !ok {
			to, ok := resolved[newCode]
			if !ok {
				to, ok = resolveNew(newProv, newCode, newName)
				if ok {
					resolved[newCode] = to
				}
			}
			if !ok {
				p.Warnings = append(p.Warnings, Warning{Code: "new_unit_not_in_2025", UnitCode: newCode,
					EN: fmt.Sprintf("The lineage names the 2025 unit %s %s, which is not in the list of 2025 units; the link from %s %s is not loaded.", newCode, newName, oldCode, oldName),
					VI: fmt.Sprintf("Dữ liệu kế thừa nêu đơn vị năm 2025 %s %s, không có trong danh sách đơn vị năm 2025; liên kết từ %s %s không được nạp.", newCode, newName, oldCode, oldName)})
				continue
			}
			if _, once := resolved[newCode+"!"]; !once {
				resolved[newCode+"!"] = to
				p.Warnings = append(p.Warnings, Warning{Code: "new_unit_not_in_2025", UnitCode: newCode,
					EN: fmt.Sprintf("The lineage names the 2025 unit %s %s, which is not in the list of 2025 units; its links are loaded into %s %s, the province's only 2025 unit of that name without another predecessor.", newCode, newName, to, new25[to].Name),
					VI: fmt.Sprintf("Dữ liệu kế thừa nêu đơn vị năm 2025 %s %s, không có trong danh sách đơn vị năm 2025; các liên kết được nạp vào %s %s, đơn vị năm 2025 duy nhất của tỉnh mang tên này chưa có đơn vị tiền thân khác.", newCode, newName, to, new25[to].Name)})
			}
			newCode = to
		} else if !sameName(nu.Name, newName) {
			p.Warnings = append(p.Warnings, Warning{Code: "name_differs", UnitCode: newCode,
				EN: fmt.Sprintf("The lineage calls the 2025 unit %s %q, the list of 2025 units %q; the list's name is kept.", newCode, newName, nu.Name),
				VI: fmt.Sprintf("Dữ liệu kế thừa gọi đơn vị năm 2025 %s là %q, danh sách đơn vị năm 2025 gọi là %q; giữ tên theo danh sách.", newCode, newName, nu.Name)})
		}
		if !seenOld[oldCode] {
			seenOld[oldCode] = true
			u, ok := pre[oldCode]
			if !ok {
				u = Unit{Province: oldProv, Code: oldCode, Name: strings.Join(strings.Fields(oldName), " "), Kind: kindOf(oldName)}
				p.Warnings = append(p.Warnings, Warning{Code: "old_unit_not_in_pre2025", UnitCode: oldCode,
					EN: fmt.Sprintf("The lineage names the pre-2025 unit %s %s of province %s, which is not in the list of pre-2025 units; it is loaded with the lineage's name.", oldCode, u.Name, oldProv),
					VI: fmt.Sprintf("Dữ liệu kế thừa nêu đơn vị trước năm 2025 %s %s của tỉnh %s, không có trong danh sách đơn vị trước năm 2025; đơn vị được nạp theo tên trong dữ liệu kế thừa.", oldCode, u.Name, oldProv)})
			} else if !sameName(u.Name, oldName) {
				p.Warnings = append(p.Warnings, Warning{Code: "name_differs", UnitCode: oldCode,
					EN: fmt.Sprintf("The lineage calls the pre-2025 unit %s %q, the list of pre-2025 units %q; the list's name is kept.", oldCode, oldName, u.Name),
					VI: fmt.Sprintf("Dữ liệu kế thừa gọi đơn vị trước năm 2025 %s là %q, danh sách đơn vị trước năm 2025 gọi là %q; giữ tên theo danh sách.", oldCode, oldName, u.Name)})
			}
			p.UnitsPre = append(p.UnitsPre, u)
		}
		p.Links = append(p.Links, Link{OldCode: oldCode, NewCode: newCode, Coverage: cov, Successors: succ})
	}
	for _, to := range resolved {
		hasPred[to] = true
	}
	for _, code := range d.codes {
		p := d.provinces[code]
		for _, u := range p.Units2025 {
			if !hasPred[u.Code] {
				p.Warnings = append(p.Warnings, Warning{Code: "no_predecessor", UnitCode: u.Code,
					EN: fmt.Sprintf("No pre-2025 unit leads into the 2025 unit %s %s in the lineage; it is loaded without a predecessor.", u.Code, u.Name),
					VI: fmt.Sprintf("Không đơn vị trước năm 2025 nào dẫn vào đơn vị năm 2025 %s %s trong dữ liệu kế thừa; đơn vị được nạp không có đơn vị tiền thân.", u.Code, u.Name)})
			}
		}
		sort.SliceStable(p.Warnings, func(i, j int) bool { return p.Warnings[i].UnitCode < p.Warnings[j].UnitCode })
	}
	sort.Strings(d.codes)
	d.mergedProvinces(rowsLin, preNames)
	return d, nil
}

package refdata

// Merged is a province of the pre-2025 map that is not a province of 2025: the 2025 province most of its
// units went into (issue 11 item 1: the tenant is the 2025 province).
type Merged struct {
	Code, Name string    // the pre-2025 province
	Into       *Province // its successor of 2025
}

// MergedInto returns the successor of a pre-2025 province code that is not one of the 34 of 2025; false for
// a 2025 code or a code neither map knows.
func (d *Data) MergedInto(code string) (Merged, bool) {
	m, ok := d.merged[code]
	return m, ok
}

// mergedProvinces finds, for every pre-2025 province code that is not a 2025 code, the 2025 province that
// received most of its units by the lineage (a province merged whole; the count only settles the odd unit
// moved elsewhere). names maps pre-2025 codes to their names.
func (d *Data) mergedProvinces(rowsLin [][]string, names map[string]string) {
	count := map[string]map[string]int{}
	for _, f := range rowsLin {
		oldProv, newProv := f[0], f[3]
		if _, now := d.provinces[oldProv]; now {
			continue
		}
		if count[oldProv] == nil {
			count[oldProv] = map[string]int{}
		}
		count[oldProv][newProv]++
	}
	d.merged = map[string]Merged{}
	for old, to := range count {
		best := ""
		for p, n := range to {
			if best == "" || n > to[best] || n == to[best] && p < best {
				best = p
			}
		}
		d.merged[old] = Merged{Code: old, Name: names[old], Into: d.provinces[best]}
	}
}

package reorg

// Masked returns a copy of the summary with every text it echoes passed through mask: unit, hamlet and
// post codes and names (a mapping file's cells among them), people's names, questions, reasons and
// warnings. The API and the console give it the viewers' masking of 12-digit runs (a national ID typed in
// the wrong cell), the one implementation imports' errors.csv uses. Record ids (UUIDs the service made:
// the reorganisation's, a post's, a person's) are not echoes and are kept, so answers still name them.
func (s *Summary) Masked(mask func(string) string) *Summary {
	out := *s
	out.Mode, out.Level = mask(s.Mode), mask(s.Level)
	out.FundsBefore, out.FundsAfter = maskFunds(s.FundsBefore, mask), maskFunds(s.FundsAfter, mask)
	out.UnitsClosed = maskUnits(s.UnitsClosed, mask)
	out.UnitsCreated = maskUnits(s.UnitsCreated, mask)
	out.HamletsMoved = make([]HamletMove, len(s.HamletsMoved))
	for i, h := range s.HamletsMoved {
		out.HamletsMoved[i] = HamletMove{HamletCode: mask(h.HamletCode), Name: mask(h.Name), FromUnit: mask(h.FromUnit), ToUnit: mask(h.ToUnit)}
	}
	out.PostsMoved = maskPosts(s.PostsMoved, mask)
	out.PostsEnded = maskPosts(s.PostsEnded, mask)
	out.PeopleAffected = make([]Person, len(s.PeopleAffected))
	for i, p := range s.PeopleAffected {
		p.FullName, p.Post = mask(p.FullName), maskPost(p.Post, mask)
		p.BestExit.Policy, p.BestExit.Reason = mask(p.BestExit.Policy), mask(p.BestExit.Reason)
		out.PeopleAffected[i] = p
	}
	out.NeedsAnswer = make([]Question, len(s.NeedsAnswer))
	for i, q := range s.NeedsAnswer {
		if q.Kind != "post" { // a post's question is keyed by its record id
			q.ID = mask(q.ID)
		}
		q.Unit, q.Message, q.Name, q.PositionCode = mask(q.Unit), mask(q.Message), mask(q.Name), mask(q.PositionCode)
		q.Choices = maskAll(q.Choices, mask)
		out.NeedsAnswer[i] = q
	}
	out.Warnings = maskAll(s.Warnings, mask)
	return &out
}

func maskFunds(f Funds, mask func(string) string) Funds {
	for _, lines := range []*[]FundLine{&f.Communes, &f.Hamlets} {
		if *lines == nil {
			continue
		}
		ls := make([]FundLine, len(*lines))
		copy(ls, *lines)
		for i := range ls {
			ls[i].Category = mask(ls[i].Category)
		}
		*lines = ls
	}
	return f
}

func maskUnits(us []UnitRef, mask func(string) string) []UnitRef {
	if us == nil {
		return nil
	}
	out := make([]UnitRef, len(us))
	for i, u := range us {
		u.Code, u.UnitID, u.Name, u.Kind, u.Coverage = mask(u.Code), mask(u.UnitID), mask(u.Name), mask(u.Kind), mask(u.Coverage)
		u.Successors = maskUnits(u.Successors, mask)
		out[i] = u
	}
	return out
}

func maskPost(p Post, mask func(string) string) Post {
	p.FullName, p.PositionCode, p.FromUnit, p.ToUnit = mask(p.FullName), mask(p.PositionCode), mask(p.FromUnit), mask(p.ToUnit)
	return p
}

func maskPosts(ps []Post, mask func(string) string) []Post {
	out := make([]Post, len(ps))
	for i, p := range ps {
		out[i] = maskPost(p, mask)
	}
	return out
}

func maskAll(ss []string, mask func(string) string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = mask(s)
	}
	return out
}

// Masked returns a copy of the refusal with its texts and pointers passed through mask (a pointer names a
// unit's code as the mapping gave it).
func (e *Invalid) Masked(mask func(string) string) *Invalid {
	out := *e
	out.DetailEN, out.DetailVI = mask(e.DetailEN), mask(e.DetailVI)
	out.Fields = make([]Field, len(e.Fields))
	for i, f := range e.Fields {
		out.Fields[i] = Field{mask(f.Pointer), f.Code, mask(f.EN), mask(f.VI)}
	}
	return &out
}

package store

// RuleError is a register rule a record breaks, worded for people. The records API reports it as a 422
// on its field; an import reports it on the row's line and the field's column, with the same code and
// message: one rule, one implementation, two ways in.
type RuleError struct {
	Field     string // the JSON field (and CSV column) it concerns
	Code      string
	MessageEN string
	MessageVI string
}

func (e *RuleError) Error() string { return "rule " + e.Code + " broken on " + e.Field }

// UnitRule is the one implementation of the post-level rule, for POST/PATCH …/assignments and the
// assignments import alike: a commune-level post names commune_code and no hamlet_code, a hamlet-level
// post hamlet_code and no commune_code. nil when the units fit the post.
func UnitRule(pos Position, commune, hamlet *string) *AssignmentRuleError {
	wanted, other := commune, hamlet
	wantedField, otherField := "commune_code", "hamlet_code"
	if pos.Level == "hamlet" {
		wanted, other = hamlet, commune
		wantedField, otherField = "hamlet_code", "commune_code"
	}
	if other != nil {
		return &AssignmentRuleError{Rule: RuleUnitNotAllowed, Field: otherField, Position: pos}
	}
	if wanted == nil {
		return &AssignmentRuleError{Rule: RuleUnitRequired, Field: wantedField, Position: pos}
	}
	return nil
}

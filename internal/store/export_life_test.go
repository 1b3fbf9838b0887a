package store

import "context"

// LifeRuleStatements returns, for an import of kind (communes, hamlets or cadres) whose file is staged,
// the statements its register rules of issue 11 run and their arguments, as ruleChecks runs them (plan
// tests EXPLAIN them).
func LifeRuleStatements(ctx context.Context, tx *Tx, kind string) ([]string, [][]any, error) {
	p := tx.P.Province
	if kind == "cadres" {
		return []string{cadreReturnSQL, cadreLeftBeforeReturnSQL, cadreReturnFillSQL}, [][]any{{p}, {p}, {p}}, nil
	}
	level, sql := "commune", communeChildrenSQL
	if kind == "hamlets" {
		level, sql = "hamlet", hamletChildrenSQL
	}
	rows, err := tx.Query(ctx, stagedPeriodsSQL[level], p)
	if err != nil {
		return nil, nil, err
	}
	var keys []int32
	var codes, names []string
	var froms, tos, oldFroms, oldTos []any
	for rows.Next() {
		var u lifeUnit
		if err := rows.Scan(&u.Key, &u.Code, &u.Name, &u.From, &u.To, &u.OldFrom, &u.OldTo); err != nil {
			return nil, nil, err
		}
		keys, codes, names, froms, tos = append(keys, int32(u.Key)), append(codes, u.Code), append(names, u.Name), append(froms, u.From), append(tos, u.To)
		oldFroms, oldTos = append(oldFroms, u.OldFrom), append(oldTos, u.OldTo)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	return []string{stagedPeriodsSQL[level], sql}, [][]any{{p}, {p, keys, codes, names, froms, tos, oldFroms, oldTos}}, nil
}

package policy

import "communehr/internal/msg"

// Decree 178/2024 (as amended by Decree 67/2025) has no end date of its own,
// but for this reorganisation it stopped being offered: Official Letter
// 6383/BNV-TCBC of 2025-08-13 (implementing Conclusion 183-KL/TW) asked
// ministries and provinces to complete the settlement of Decree 178 policies
// before 2025-08-31 (news.laodong.vn "Bộ Nội vụ yêu cầu báo cáo kết quả triển
// khai Nghị định 178 và Nghị định 67 trước ngày 8/9", 1569877; vjs.vietnam.vn
// "Bộ Nội vụ đề nghị báo cáo kết quả thực hiện Nghị định 178 và Nghị định 67").
// Conclusion 195-KL/TW of 2025-09-26 and Official Dispatch 19/CV-BCĐ then
// required payment by 2025-10-15 of the cases "có quyết định nghỉ việc trước
// ngày 31/8/2025" (news.laodong.vn 1583411). Workers leaving from 2025-09-01
// are handled under Decree 154/2025 (dantri/ngoisao, Ministry answers to
// commune workers leaving after 31/8). The last exit date offered Decree 178
// is therefore 2025-08-31 (docs/legal-basis.md, corner 2).
var d178Availability = register(&table[bool]{
	Name:  "decree_178_2024.last_exit_date",
	Show:  func(bool) string { return "offered for exits up to 2025-08-31; from 2025-09-01 Decree 154/2025" },
	Until: d178LastExit,
	Entries: []entry[bool]{
		{d178Start, true, cite(instOL6383of2025, "", "")},
	},
})

var d178LastExit = MustDate("2025-08-31")

// d178Offered reports whether Decree 178 is offered for an exit on d; when
// it is not, it returns why in both languages and records the parameter.
func d178Offered(b *builder, d Date) (ok bool, why msg.Message) {
	if b != nil {
		b.param(d178Availability.use(d178Availability.Entries[0]))
	}
	if !d.After(d178LastExit) {
		return true, msg.Message{}
	}
	c := d178Availability.Entries[0].Citation
	return false, msg.New("d178.not_offered", d, c, d178LastExit, d178LastExit.AddDays(1))
}

// d178MergedUnits: people made surplus by the 2019–2021 and 2023–2025
// arrangements of district- and commune-level units come under Decree 178
// Art. 2 cl. 1 pt. b only when they leave after 2025-01-01: Official Letter
// 1814/BNV-TCBC of 2025-04-26, Section II cl. 3 pt. d, as the Ministry
// quoted it answering a commune civil servant (news.laodong.vn "Chế độ của
// công chức xã tự nguyện xin nghỉ việc từ ngày 1/6", 1502634: "nghỉ việc sau
// ngày 01/01/2025"). An exit on 2025-01-01 (the first day out) is not after
// it: such a person is not under Decree 178 (docs/legal-basis.md, corner 5).
var d178MergedUnits = register(&table[Date]{
	Name: "decree_178_2024.merged_units_exit_after",
	Show: func(d Date) string { return "surplus from the 2019–2025 unit mergers: exits after " + d.String() },
	Entries: []entry[Date]{
		{d178Start, MustDate("2025-01-01"), cite(instOL1814of2025, "", "")},
	},
})

// d178MergedUnitReason is why Decree 178 does not cover a person made
// surplus by the 2019–2025 unit mergers ("" when it does).
func d178MergedUnitReason(b *builder, merged bool, exit Date) msg.Message {
	if !merged {
		return msg.Message{}
	}
	e, err := d178MergedUnits.get(b, exit)
	if err != nil || exit.After(e.Value) {
		return msg.Message{}
	}
	return msg.New("d178.merged_unit_not_covered", e.Value, e.Citation, exit)
}

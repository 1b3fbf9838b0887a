package api

import "communehr/internal/msg"

// fieldMsg is a field error whose text comes from the message catalogue (package msg): the pointer names
// the field for a program, the message speaks to a person without naming it.
func fieldMsg(pointer, code string, m msg.Message) FieldError {
	return FieldError{Pointer: pointer, Code: code, MessageEN: m.Render(msg.EN), MessageVI: m.Render(msg.VI)}
}

// genderText is a gender as each language says it.
func genderText(g string) msg.Text {
	if g == "female" {
		return msg.Text{VI: "nữ", EN: "female"}
	}
	return msg.Text{VI: "nam", EN: "male"}
}

// statusLeftText is what a person's status says they did, for "the date left is required when …".
func statusLeftText(status string) msg.Text {
	if status == "retired" {
		return msg.Text{VI: "đã nghỉ hưu", EN: "retired"}
	}
	return msg.Text{VI: "đã nghỉ việc", EN: "left"}
}

package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"communehr/internal/store"
)

// createUserRequest is the body of POST /v1/users (operator keys): a console officer. The password is
// generated and returned once.
type createUserRequest struct {
	Username string `json:"username" validate:"required,min=3,max=64"`
	Role     string `json:"role" validate:"required,oneof=operator ministry province_editor province_viewer"`
	Province string `json:"province" validate:"omitempty,len=2,numeric"`
}

type userResponse struct {
	ID                 int64     `json:"id"`
	Username           string    `json:"username"`
	Role               string    `json:"role"`
	Province           *string   `json:"province"`
	MustChangePassword bool      `json:"must_change_password"`
	CreatedAt          time.Time `json:"created_at"`
	OneTimePassword    string    `json:"one_time_password"`
}

// userFieldMessages are the English and Vietnamese texts of the store's user error codes.
var userFieldMessages = map[string][2]string{
	"username_invalid":     {"must be 3 to 64 lower-case letters, digits, dots, hyphens or underscores, starting with a letter or digit", "phải gồm 3 đến 64 chữ thường, chữ số, dấu chấm, gạch ngang hoặc gạch dưới, bắt đầu bằng chữ hoặc số"},
	"role_invalid":         {"is not a role", "không phải là vai trò hợp lệ"},
	"province_required":    {"a province officer needs a province", "cán bộ cấp tỉnh cần có tỉnh"},
	"province_not_allowed": {"a national officer belongs to no province", "cán bộ cấp trung ương không thuộc tỉnh nào"},
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	var req createUserRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	u, pw, err := s.store.CreateUser(r.Context(), principalFrom(r.Context()),
		store.NewUser{Username: req.Username, Role: req.Role, Province: req.Province})
	var ue *store.UserError
	if errors.As(err, &ue) {
		m := userFieldMessages[ue.Code]
		return errInvalid("The officer cannot be created as given.", "Không thể tạo cán bộ với thông tin đã nhập.",
			FieldError{Pointer: "/" + ue.Field, Code: ue.Code, MessageEN: m[0], MessageVI: m[1]})
	}
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/users/"+strconv.FormatInt(u.ID, 10))
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusCreated, userResponse{ID: u.ID, Username: u.Username, Role: u.Role, Province: u.Province,
		MustChangePassword: u.MustChangePassword, CreatedAt: u.CreatedAt, OneTimePassword: pw})
}

package web

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"communehr/internal/store"
)

// loginPage is the data of login.html: where to go after logging in.
type loginPage struct{ Next string }

func (c *Console) showLogin(w http.ResponseWriter, r *http.Request) {
	if officer(r.Context()) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	c.render(w, r, http.StatusOK, "login.html", &page{Data: loginPage{Next: localPath(r.URL.Query().Get("next"))}})
}

// login checks the form against the throttle, then the store; a success sets a new session cookie (a
// token made at this login, whatever cookie came in) and goes on to the password form or the page asked
// for. Passwords are taken as typed (never trimmed).
func (c *Console) login(w http.ResponseWriter, r *http.Request) {
	username := strings.ToLower(strings.TrimSpace(r.PostFormValue("username")))
	password := r.PostFormValue("password")
	next := localPath(r.PostFormValue("next"))
	again := func(status int, key string) {
		form := url.Values{"username": {username}}
		c.render(w, r, status, "login.html", &page{Data: loginPage{Next: next}, Form: form, Errors: map[string]string{"password": key}})
	}
	if username == "" || password == "" {
		again(http.StatusUnprocessableEntity, "login.required")
		return
	}
	addr, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		addr = r.RemoteAddr
	}
	if !c.throttle.allowLogin(username, addr) {
		w.Header().Set("Retry-After", "60")
		again(http.StatusTooManyRequests, "login.throttled")
		return
	}
	u, token, err := c.store.Login(r.Context(), username, password, language(r))
	if errors.Is(err, store.ErrBadCredentials) {
		c.logger.Info("console: login failed", "request_id", requestID(r))
		again(http.StatusUnprocessableEntity, "login.bad_credentials")
		return
	}
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	// A session this browser held before (another officer, or the same) ends: one browser, one session.
	if prev := officer(r.Context()); prev != nil {
		oldToken, _ := r.Context().Value(ctxToken).(string)
		if err := c.store.Logout(r.Context(), prev.ID, oldToken); err != nil {
			c.serverError(w, r, err)
			return
		}
	}
	setCookie(w, r, sessionCookie, token, store.SessionAbsolute)
	if u.MustChangePassword {
		http.Redirect(w, r, "/password", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (c *Console) logout(w http.ResponseWriter, r *http.Request) {
	token, _ := r.Context().Value(ctxToken).(string)
	if err := c.store.Logout(r.Context(), officer(r.Context()).ID, token); err != nil {
		c.serverError(w, r, err)
		return
	}
	clearCookie(w, r, sessionCookie)
	redirectFlash(w, r, "/login", "logged_out")
}

func (c *Console) showPassword(w http.ResponseWriter, r *http.Request) {
	c.render(w, r, http.StatusOK, "password.html", nil)
}

// changePassword replaces the password; other sessions of the officer end, this one stays.
func (c *Console) changePassword(w http.ResponseWriter, r *http.Request) {
	current, next, confirm := r.PostFormValue("current_password"), r.PostFormValue("new_password"), r.PostFormValue("confirm_password")
	fail := func(field, key string) {
		c.render(w, r, http.StatusUnprocessableEntity, "password.html", &page{Errors: map[string]string{field: key}})
	}
	if next != confirm {
		fail("confirm_password", "password.mismatch")
		return
	}
	token, _ := r.Context().Value(ctxToken).(string)
	err := c.store.ChangePassword(r.Context(), *officer(r.Context()), current, next, token)
	var ue *store.UserError
	if errors.As(err, &ue) {
		fail(ue.Field, "password."+ue.Code)
		return
	}
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	redirectFlash(w, r, "/", "password_changed")
}

// switchLanguage stores the choice in a cookie (and the session) and goes back to the page.
func (c *Console) switchLanguage(w http.ResponseWriter, r *http.Request) {
	lang := r.PostFormValue("lang")
	if lang != "en" {
		lang = "vi"
	}
	setCookie(w, r, langCookie, lang, 365*24*time.Hour)
	if u := officer(r.Context()); u != nil {
		token, _ := r.Context().Value(ctxToken).(string)
		if err := c.store.SetSessionLanguage(r.Context(), u.ID, token, lang); err != nil {
			c.serverError(w, r, err)
			return
		}
	}
	http.Redirect(w, r, localPath(r.PostFormValue("back")), http.StatusSeeOther)
}

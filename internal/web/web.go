// Package web is communehr's console: server-rendered pages for the officers of a Sở Nội vụ, served by the
// same binary and router as the JSON API. Templates, translations and assets are embedded; pages work
// without JavaScript. Every read and write goes through the same store (and exits/policy) code as the
// API, as the officer: the session yields a store.Principal with the officer's role, province and name,
// so row-level security and the audit log hold as they do for API keys.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/go-chi/chi/v5"

	"communehr/internal/api"
	"communehr/internal/store"
)

// sessionCookie holds the session token; langCookie the chosen language; flashCookie a message key shown
// once after a redirect.
const (
	sessionCookie = "chr_session"
	langCookie    = "chr_lang"
	flashCookie   = "chr_flash"
)

// Console serves the web console.
type Console struct {
	store    *store.Store
	logger   *slog.Logger
	views    *views
	assets   *assets
	throttle *throttle
	imports  Importer
	reports  *api.ReportService
	now      func() time.Time
}

// New parses the embedded templates and assets (it panics on a template error: a broken binary must not
// start) and returns the console.
func New(st *store.Store, logger *slog.Logger) *Console {
	return &Console{store: st, logger: logger, views: mustParseViews(), assets: mustLoadAssets(),
		throttle: newThrottle(), now: time.Now}
}

// Routes registers the console's pages on r, beside /v1. Login, static assets and the language switch are
// public; the rest needs a session. No GET changes state; every unsafe request passes Go's cross-origin
// protection.
func (c *Console) Routes(r chi.Router) {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.renderError(w, r, http.StatusForbidden, "error.cross_origin")
	}))
	r.With(securityHeaders).Get("/static/{sum}/{name}", c.serveAsset) // no session lookup for assets
	r.Group(func(r chi.Router) {
		r.Use(securityHeaders, cop.Handler, c.loadSession)
		r.Get("/login", c.showLogin)
		r.Post("/login", c.login)
		r.Post("/lang", c.switchLanguage)
		r.Group(func(r chi.Router) {
			r.Use(requireOfficer)
			r.Post("/logout", c.logout)
			r.Get("/password", c.showPassword)
			r.Post("/password", c.changePassword)
			r.Group(func(r chi.Router) {
				r.Use(passwordChanged)
				r.Get("/", c.showDashboard)
				r.Group(func(r chi.Router) {
					r.Use(nationalOfficer)
					r.Get("/national", c.showNational)
					r.Get("/national/summary.csv", c.nationalCSV)
					r.Get("/national/{province}", c.showNationalProvince)
					r.Get("/national/{province}/reorganisation", c.showReorg)
					r.Post("/national/{province}/reorganisation/preview", c.previewReorg)
				})
				r.Group(c.provinceRoutes)
			})
		})
	})
}

// provinceRoutes registers the pages of a province's officers: reading for all of them, writing for its
// editors only.
func (c *Console) provinceRoutes(r chi.Router) {
	r.Use(provinceOfficer)
	r.Get("/communes", c.showCommunes)
	r.Get("/communes/{code}", c.showCommune)
	r.Get("/hamlets", c.showHamlets)
	r.Get("/hamlets/{code}", c.showHamlet)
	r.Get("/schedule", c.showSchedule)
	r.Get("/imports", c.showImports)
	r.Get("/reports", c.showReports)
	r.Get("/reports/allowances.csv", c.reportCSV)
	r.Get("/reports/communes/{code}", c.showReportCommune)
	r.Get("/reports/runs", c.showRuns)
	r.Get("/reports/runs/{id}", c.showRun)
	r.Get("/reports/runs/{id}/results.csv", c.runCSV)
	r.Get("/imports/{id}", c.showImport)
	r.Get("/imports/{id}/progress", c.importProgress)
	r.Get("/imports/{id}/errors.csv", c.importErrors)
	r.Get("/imports/templates/{kind}", c.importTemplate)
	r.Get("/people", c.showPeople)
	r.Get("/people/{id}", c.showPerson)
	r.Get("/decisions/{id}", c.showDecision)
	r.Get("/decisions/{id}/print", c.printDecision)
	r.Get("/reorganisation", c.showReorg)
	r.Post("/reorganisation/preview", c.previewReorg)
	r.Group(func(r chi.Router) {
		r.Use(c.requireRole(store.RoleProvinceEditor))
		r.Post("/people/{id}/decisions", c.saveDraft)
		r.Post("/schedule", c.saveSchedule)
		r.Post("/imports", c.upload)
		r.Post("/decisions/{id}/approve", c.approveDecision)
		r.Post("/decisions/{id}/supersede", c.supersedeDecision)
		r.Post("/reorganisation/apply", c.applyReorg)
		r.Post("/reports/runs", c.startRun)
	})
}

// securityHeaders: no inline script or style anywhere, so the policy needs no nonce; no framing; HTML
// is never cached (assets are, by checksum).
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxRequestID, h.Get("X-Request-Id"))))
	})
}

type ctxKey int

const (
	ctxOfficer ctxKey = iota
	ctxToken
	ctxRequestID
)

// officer is the logged-in user of the request, nil when there is none.
func officer(ctx context.Context) *store.User {
	u, _ := ctx.Value(ctxOfficer).(*store.User)
	return u
}

// principal is what the officer's store calls act as.
func principal(r *http.Request) store.Principal {
	u := officer(r.Context())
	if u == nil {
		return store.Principal{}
	}
	p := u.Principal()
	p.RequestID = requestID(r)
	return p
}

// requestID is the request id the router's middleware chose (X-Request-Id on the response).
func requestID(r *http.Request) string {
	id, _ := r.Context().Value(ctxRequestID).(string)
	return id
}

// loadSession reads the session cookie; an unknown or expired one is cleared.
func (c *Console) loadSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ck, err := r.Cookie(sessionCookie)
		if err != nil || ck.Value == "" {
			next.ServeHTTP(w, r)
			return
		}
		_, u, err := c.store.SessionUser(r.Context(), ck.Value)
		if errors.Is(err, store.ErrNoSession) {
			clearCookie(w, r, sessionCookie)
			next.ServeHTTP(w, r)
			return
		}
		if err != nil {
			c.serverError(w, r, err)
			return
		}
		ctx := context.WithValue(r.Context(), ctxOfficer, &u)
		ctx = context.WithValue(ctx, ctxToken, ck.Value)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// requireOfficer sends a visitor without a session to the login page.
func requireOfficer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if officer(r.Context()) == nil {
			target := "/login"
			if r.Method == http.MethodGet && r.URL.Path != "/" {
				target += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// passwordChanged sends an officer who still has a one-time password to the password form.
func passwordChanged(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if officer(r.Context()).MustChangePassword {
			http.Redirect(w, r, "/password", http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// provinceOfficer keeps the province pages to officers of a province (national officers have the
// dashboard's province list).
func provinceOfficer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if officer(r.Context()).Province == nil {
			http.Redirect(w, r, "/", http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requireRole answers 403 to officers without one of roles; the pages never show them the button.
func (c *Console) requireRole(roles ...string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			u := officer(r.Context())
			for _, role := range roles {
				if u.Role == role {
					next.ServeHTTP(w, r)
					return
				}
			}
			c.renderError(w, r, http.StatusForbidden, "error.forbidden")
		})
	}
}

// setCookie writes an HttpOnly, SameSite=Lax cookie, Secure when the request came over TLS (directly or
// through a proxy that says so).
func setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: overTLS(r), MaxAge: int(maxAge.Seconds())})
}

func clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: overTLS(r), MaxAge: -1})
}

func overTLS(r *http.Request) bool {
	return r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}

// localPath accepts only a path on this site ("/people?q=x"), never "//host" or a URL: redirects after
// login and language switches stay here.
func localPath(s string) string {
	if len(s) == 0 || s[0] != '/' || (len(s) > 1 && (s[1] == '/' || s[1] == '\\')) {
		return "/"
	}
	u, err := url.Parse(s)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return s
}

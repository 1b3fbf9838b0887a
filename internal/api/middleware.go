package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"communehr/internal/store"
)

type ctxKey int

const (
	ctxRequestID ctxKey = iota
	ctxPrincipal
	ctxLogger
	ctxReqInfo
)

// reqInfo is filled in by inner middleware for the access log written by the outer one.
type reqInfo struct{ keyID int64 }

func requestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(ctxRequestID).(string)
	return id
}

// principalFrom returns the authenticated principal; the auth middleware guarantees one on /v1 routes.
func principalFrom(ctx context.Context) store.Principal {
	p, _ := ctx.Value(ctxPrincipal).(store.Principal)
	p.RequestID = requestIDFrom(ctx)
	return p
}

func loggerFrom(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(ctxLogger).(*slog.Logger); ok {
		return l
	}
	return slog.Default()
}

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID takes a well-formed incoming X-Request-Id or makes one, and echoes it on the response.
func requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !validRequestID.MatchString(id) {
			var b [8]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxRequestID, id)))
	})
}

// statusRecorder remembers the status and size written, for the access log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (s *statusRecorder) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// accessLog writes one JSON line per request: method, route pattern (never the raw path, which can hold a
// national ID), status, duration, key id. Never the token.
func accessLog(logger *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rec := &statusRecorder{ResponseWriter: w}
			info := &reqInfo{}
			ctx := context.WithValue(context.WithValue(r.Context(), ctxLogger, logger), ctxReqInfo, info)
			next.ServeHTTP(rec, r.WithContext(ctx))
			route := "unmatched"
			if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
				route = rc.RoutePattern()
			}
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			attrs := []slog.Attr{
				slog.String("request_id", requestIDFrom(ctx)),
				slog.String("method", r.Method),
				slog.String("route", route),
				slog.Int("status", status),
				slog.Int64("bytes", rec.bytes),
				slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
			}
			if info.keyID != 0 {
				attrs = append(attrs, slog.Int64("key_id", info.keyID))
			}
			level := slog.LevelInfo
			if status >= 500 {
				level = slog.LevelError
			}
			logger.LogAttrs(ctx, level, "request", attrs...)
		})
	}
}

// recoverer turns a panic into a logged 500 problem; http.ErrAbortHandler is re-raised as net/http expects.
func recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				loggerFrom(r.Context()).ErrorContext(r.Context(), "panic",
					"request_id", requestIDFrom(r.Context()), "panic", strings.TrimSpace(slog.AnyValue(v).String()),
					"stack", string(debug.Stack()))
				writeProblem(w, r, errInternal())
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// limitBody caps request bodies: a declared Content-Length over the limit is refused at once (413,
// without reading the body); otherwise reads stop at the limit. CSV uploads have their own, larger limit.
func limitBody(jsonLimit, importLimit int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			limit := jsonLimit
			if r.Method == http.MethodPost && strings.HasSuffix(strings.TrimSuffix(r.URL.Path, "/"), "/imports") {
				limit = importLimit
			}
			if r.ContentLength > limit {
				w.Header().Set("Connection", "close")
				writeProblem(w, r, errTooLarge(limit))
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			next.ServeHTTP(w, r)
		})
	}
}

// cors allows the configured browser origins ("*" for any) to call the API.
func cors(origins []string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		if len(origins) == 0 {
			return next
		}
		any := slices.Contains(origins, "*")
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			origin := r.Header.Get("Origin")
			if origin == "" || !(any || slices.Contains(origins, origin)) {
				next.ServeHTTP(w, r)
				return
			}
			h := w.Header()
			h.Add("Vary", "Origin")
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Expose-Headers", "ETag, Location, X-Request-Id, Ruleset-Version, Content-Disposition, Allow, Retry-After")
			if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
				h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE")
				h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, If-Match, Idempotency-Key, Accept-Language, X-Request-Id, Prefer")
				h.Set("Access-Control-Max-Age", "600")
				w.WriteHeader(http.StatusNoContent)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// authenticate maps `Authorization: Bearer <token>` to a principal, or answers 401.
func authenticate(st *store.Store) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return handle(func(w http.ResponseWriter, r *http.Request) error {
			auth := r.Header.Get("Authorization")
			scheme, token, ok := strings.Cut(auth, " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") {
				return errUnauthenticated()
			}
			p, err := st.Authenticate(r.Context(), strings.TrimSpace(token))
			if err == store.ErrUnauthenticated {
				return errUnauthenticated()
			}
			if err != nil {
				return err
			}
			if info, ok := r.Context().Value(ctxReqInfo).(*reqInfo); ok {
				info.keyID = p.KeyID
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxPrincipal, p)))
			return nil
		})
	}
}

// requireRole answers 403 unless the principal has one of roles.
func requireRole(roles ...string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return handle(func(w http.ResponseWriter, r *http.Request) error {
			p := principalFrom(r.Context())
			if !slices.Contains(roles, p.Role) {
				return errForbidden(p.Role)
			}
			next.ServeHTTP(w, r)
			return nil
		})
	}
}

// readablePath answers 404 to a path that is not valid UTF-8 or holds a control character (%00, %FF, ...):
// such a path names no resource, and PostgreSQL would refuse the bytes as a text parameter (a 500).
func readablePath(next http.Handler) http.Handler {
	return handle(func(w http.ResponseWriter, r *http.Request) error {
		if !readableText(r.URL.Path) {
			return errNotFound()
		}
		next.ServeHTTP(w, r)
		return nil
	})
}

// readableText reports whether s can be stored and compared as PostgreSQL text: valid UTF-8 without NUL
// or other C0 control characters.
func readableText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return false
		}
	}
	return true
}

// provinceScope guards /v1/provinces/{province}/...: a province key naming another province gets 404
// (existence is not revealed); national keys may read every province but never write.
func provinceScope(next http.Handler) http.Handler {
	return handle(func(w http.ResponseWriter, r *http.Request) error {
		p := principalFrom(r.Context())
		code := chi.URLParam(r, "province")
		if !p.National() && p.Province != code {
			return errNotFound()
		}
		next.ServeHTTP(w, r)
		return nil
	})
}

// writer answers 403 to any write by a key that is not a province editor (viewer, Ministry, operator).
func writerOnly(next http.Handler) http.Handler {
	return handle(func(w http.ResponseWriter, r *http.Request) error {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			if p := principalFrom(r.Context()); p.Role != store.RoleProvinceEditor {
				return errForbidden(p.Role)
			}
		}
		next.ServeHTTP(w, r)
		return nil
	})
}

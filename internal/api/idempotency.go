package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"net/http"

	"github.com/go-chi/chi/v5"

	"communehr/internal/store"
)

// idempotent honours Idempotency-Key on POST: the first request with a key runs and its 2xx response is
// stored; the same key with the same body replays that response; with another body it is refused (422).
// A failed first request releases the key so that the client may retry; a request that died (a crash)
// leaves a claim whose lease lapses, after which a retry takes the key over (store.IdemLease).
func idempotent(st *store.Store) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return handle(func(w http.ResponseWriter, r *http.Request) error {
			key := r.Header.Get("Idempotency-Key")
			if key == "" {
				next.ServeHTTP(w, r)
				return nil
			}
			if err := checkIdempotencyKey(key); err != nil {
				return err
			}
			sum, err := requestHash(r)
			if err != nil {
				return err
			}
			p := principalFrom(r.Context())
			scope := chi.URLParam(r, "province")
			rec, err := st.ClaimIdempotencyKey(r.Context(), p, scope, key, r.Method, r.URL.Path, sum)
			if err != nil {
				return claimError(err)
			}
			if rec != nil {
				replay(w, rec)
				return nil
			}
			return serveRecorded(st, next, w, r, p, scope, key)
		})
	}
}

// requestHash reads the request's body (leaving it readable again) and hashes it with its method and path.
func requestHash(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, jsonProblem(err)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	h := sha256.New()
	h.Write([]byte(r.Method + " " + r.URL.Path + "\n"))
	h.Write(body)
	return h.Sum(nil), nil
}

// claimError is the answer to a key that could not be claimed: used with another body, or still held by a
// request being processed.
func claimError(err error) error {
	switch {
	case errors.Is(err, store.ErrIdemMismatch):
		return errInvalid("This Idempotency-Key was already used with a different request body.",
			"Idempotency-Key này đã được dùng với một nội dung yêu cầu khác.",
			FieldError{Pointer: "header/Idempotency-Key", Code: "idempotency_key_reused",
				MessageEN: "already used with another body", MessageVI: "đã được dùng với nội dung khác"})
	case errors.Is(err, store.ErrIdemInProgress):
		return errConflict("A request with this Idempotency-Key is still being processed; retry shortly.",
			"Một yêu cầu với Idempotency-Key này đang được xử lý; hãy thử lại sau.")
	}
	return err
}

// serveRecorded runs the request under a claimed key. The response is buffered and recorded before the
// client sees it, so that a retry arriving right after the response always finds the finished record; a
// request that fails (or panics) releases the key.
func serveRecorded(st *store.Store, next http.Handler, w http.ResponseWriter, r *http.Request, p store.Principal, scope, key string) error {
	cw := &captureWriter{header: http.Header{}}
	completed := false
	defer func() {
		ctx := context.WithoutCancel(r.Context())
		if !completed || cw.status < 200 || cw.status >= 300 {
			_ = st.ReleaseIdempotencyKey(ctx, p, scope, key)
		}
	}()
	next.ServeHTTP(cw, r)
	completed = true
	if cw.status >= 200 && cw.status < 300 {
		if err := st.FinishIdempotencyKey(r.Context(), p, scope, key, store.IdemRecord{Status: cw.status,
			ContentType: cw.header.Get("Content-Type"), Location: cw.header.Get("Location"), Body: cw.buf.Bytes()}); errors.Is(err, store.ErrIdemLost) {
			// This request's claim lapsed (it ran past its lease without renewing it) and a retry
			// took the key over: the retry's response is the one on record.
			return errConflict("A request with this Idempotency-Key was retried while this one ran; the retry's response is the one kept.",
				"Một yêu cầu với Idempotency-Key này đã được gửi lại khi yêu cầu này đang chạy; kết quả của lần gửi lại được giữ.")
		} else if err != nil {
			return err
		}
	}
	for k, v := range cw.header {
		w.Header()[k] = v
	}
	w.WriteHeader(cw.status)
	_, _ = w.Write(cw.buf.Bytes())
	return nil
}

// checkIdempotencyKey refuses a key the idempotency_keys table cannot hold: over 200 characters (its CHECK)
// or not UTF-8 text (PostgreSQL refuses the bytes). Both were 500s on the import upload, which claims keys
// itself.
func checkIdempotencyKey(key string) error {
	if len(key) > 200 {
		return errInvalid("Idempotency-Key is longer than 200 characters.", "Idempotency-Key dài quá 200 ký tự.",
			FieldError{Pointer: "header/Idempotency-Key", Code: "max", MessageEN: "at most 200 characters", MessageVI: "tối đa 200 ký tự"})
	}
	if !readableText(key) {
		return errInvalid("Idempotency-Key must be UTF-8 text.", "Idempotency-Key phải là văn bản UTF-8.",
			FieldError{Pointer: "header/Idempotency-Key", Code: "encoding", MessageEN: "must be UTF-8 text without control characters",
				MessageVI: "phải là văn bản UTF-8 không có ký tự điều khiển"})
	}
	return nil
}

// replay writes a recorded response again, marked Idempotent-Replayed.
func replay(w http.ResponseWriter, rec *store.IdemRecord) {
	if rec.Location != "" {
		w.Header().Set("Location", rec.Location)
	}
	w.Header().Set("Content-Type", rec.ContentType)
	w.Header().Set("Idempotent-Replayed", "true")
	w.WriteHeader(rec.Status)
	_, _ = w.Write(rec.Body)
}

// captureWriter holds a whole response for the idempotency record.
type captureWriter struct {
	header http.Header
	status int
	buf    bytes.Buffer
}

func (c *captureWriter) Header() http.Header { return c.header }

func (c *captureWriter) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
}

func (c *captureWriter) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	return c.buf.Write(b)
}

package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"communehr/internal/jobs"
	"communehr/internal/store"
)

// Background jobs (issue 10): imports and entitlement runs are admitted by the job runner (s.runner),
// which bounds how many run at once (in total and per province) and how many wait; a refused one is a
// 429 with Retry-After. Each job is cancellable by its province's editor (POST …/{id}/cancel) and is
// cancelled at the grace deadline of a shutdown.

// reserveJob admits one job of the province, or explains why not (429 queue full, 503 shutting down).
func (s *Server) reserveJob(province string) (*jobs.Ticket, error) {
	t, err := s.runner.Reserve(province)
	switch {
	case errors.Is(err, jobs.ErrBusy):
		return nil, errJobQueueFull(s.runner.RetryAfter())
	case errors.Is(err, jobs.ErrStopped):
		return nil, errShuttingDown()
	}
	return t, err
}

func errJobQueueFull(retry time.Duration) *Error {
	return &Error{Status: http.StatusTooManyRequests, Code: "too_many_jobs",
		TitleEN: "Too many jobs waiting", TitleVI: "Quá nhiều tác vụ đang chờ",
		DetailEN: "Too many imports and entitlement runs of this province are waiting already. Try again in a few seconds; nothing was saved.",
		DetailVI: "Đã có quá nhiều lượt nhập tệp và lượt tính chế độ của tỉnh đang chờ xử lý. Hãy thử lại sau ít giây; chưa có gì được lưu.",
		Header:   http.Header{"Retry-After": {strconv.Itoa(int(retry.Seconds()))}}}
}

func errShuttingDown() *Error {
	return &Error{Status: http.StatusServiceUnavailable, Code: "shutting_down",
		TitleEN: "The service is restarting", TitleVI: "Dịch vụ đang khởi động lại",
		DetailEN: "The service is restarting: the work was stopped and nothing of it was saved. Send it again in a few seconds.",
		DetailVI: "Dịch vụ đang khởi động lại: công việc đã dừng và chưa có gì được lưu. Hãy gửi lại sau ít giây.",
		Header:   http.Header{"Retry-After": {"5"}}}
}

// jobCancelWait is how long POST …/cancel waits for a running job to roll back before answering 202.
const jobCancelWait = 5 * time.Second

// cancelJob is POST …/{id}/cancel for one kind of job: load reads the job (404 for another province's,
// through row-level security) and returns its status and its representation.
func (s *Server) cancelJob(w http.ResponseWriter, r *http.Request, kind string, load func() (string, any, error)) error {
	p := principalFrom(r.Context())
	province, id := chi.URLParam(r, "province"), chi.URLParam(r, "id")
	status, _, err := load()
	if err != nil {
		return err
	}
	if status != "queued" && status != "running" {
		return errJobFinished(status)
	}
	found, wasQueued := s.runner.Cancel(province, id, store.ErrJobCancelled)
	switch {
	case wasQueued:
		// Dropped from the queue: its Drop recorded it cancelled.
	case found:
		select {
		case <-s.runner.Done(province, id):
		case <-time.After(jobCancelWait):
		case <-r.Context().Done():
			return r.Context().Err()
		}
	case status == "queued":
		// A queued job this server does not know (its server stopped before it ran): nothing runs it.
		if _, err := s.store.EndJob(r.Context(), p, kind, province, id, "cancelled", nil); err != nil {
			return err
		}
	}
	status, body, err := load()
	if err != nil {
		return err
	}
	switch status {
	case "queued", "running":
		if !found {
			// Running, yet not on this server, whose lock says it is alive: another instance runs it.
			return errConflict("The job is being run by another instance of the service and cannot be cancelled from here.",
				"Tác vụ đang được một phiên bản khác của dịch vụ xử lý nên không thể hủy từ đây.")
		}
		return writeJSON(w, http.StatusAccepted, body) // cancelling: it rolls back shortly
	}
	return writeJSON(w, http.StatusOK, body)
}

func errJobFinished(status string) *Error {
	en, vi := "The job has already finished", "Tác vụ đã kết thúc"
	switch status {
	case "succeeded":
		en, vi = "The job has already finished successfully", "Tác vụ đã hoàn tất thành công"
	case "failed":
		en, vi = "The job has already ended in failure", "Tác vụ đã kết thúc do lỗi"
	case "cancelled":
		en, vi = "The job was already cancelled", "Tác vụ đã bị hủy trước đó"
	}
	return errConflict(en+"; there is nothing to cancel.", vi+"; không còn gì để hủy.",
		FieldError{Pointer: "/status", Code: "job_" + status, MessageEN: en, MessageVI: vi})
}

func (s *Server) cancelImport(w http.ResponseWriter, r *http.Request) error {
	p := principalFrom(r.Context())
	province, id := chi.URLParam(r, "province"), chi.URLParam(r, "id")
	return s.cancelJob(w, r, "import", func() (string, any, error) {
		j, err := s.store.GetImportJob(r.Context(), p, province, id)
		return j.Status, toImportJobResponse(j, vietnamese(r)), err
	})
}

func (s *Server) cancelEntitlementRun(w http.ResponseWriter, r *http.Request) error {
	p := principalFrom(r.Context())
	province, id := chi.URLParam(r, "province"), chi.URLParam(r, "id")
	return s.cancelJob(w, r, "entitlement_run", func() (string, any, error) {
		run, err := s.store.GetEntitlementRun(r.Context(), p, province, id)
		return run.Status, toRunResponse(run), err
	})
}

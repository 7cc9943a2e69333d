package main

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// readinessTimeout bounds one readiness check.
const readinessTimeout = 2 * time.Second

// newHandler answers GET / with a greeting, /healthz/live while the process runs, and
// /healthz/ready with isReady's answer (the platform's readiness probe: no traffic until 200).
func newHandler(isReady func(context.Context) bool) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz/live", func(w http.ResponseWriter, r *http.Request) {
		send(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("/healthz/ready", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), readinessTimeout)
		defer cancel()
		if isReady(ctx) {
			send(w, http.StatusOK, map[string]string{"status": "ready"})
			return
		}
		send(w, http.StatusServiceUnavailable, map[string]string{"status": "not ready"})
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			send(w, http.StatusNotFound, map[string]string{"error": "not found"})
			return
		}
		send(w, http.StatusOK, map[string]string{"message": "Hello from " + serviceName})
	})
	return onlyGet(mux)
}

// onlyGet refuses every method but GET.
func onlyGet(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			send(w, http.StatusMethodNotAllowed, map[string]string{"error": "method not allowed"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

func send(w http.ResponseWriter, status int, body interface{}) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

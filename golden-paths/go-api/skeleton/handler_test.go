package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// get serves the handler with the given readiness check and GETs path.
func get(t *testing.T, isReady func(context.Context) bool, path string) (int, map[string]string) {
	t.Helper()
	server := httptest.NewServer(newHandler(isReady))
	defer server.Close()
	response, err := http.Get(server.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer response.Body.Close()
	body := map[string]string{}
	if err := json.NewDecoder(response.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return response.StatusCode, body
}

func always(ready bool) func(context.Context) bool {
	return func(context.Context) bool { return ready }
}

func TestRootGreetsWithTheServiceName(t *testing.T) {
	status, body := get(t, always(true), "/")
	if status != http.StatusOK || body["message"] != "Hello from "+serviceName {
		t.Fatalf("GET / = %d %v", status, body)
	}
}

func TestLivenessAnswers200(t *testing.T) {
	if status, _ := get(t, always(false), "/healthz/live"); status != http.StatusOK {
		t.Fatalf("GET /healthz/live = %d", status)
	}
}

func TestReadinessAnswers200WhenReadyAnd503WhenNot(t *testing.T) {
	if status, _ := get(t, always(true), "/healthz/ready"); status != http.StatusOK {
		t.Fatalf("ready: GET /healthz/ready = %d", status)
	}
	if status, body := get(t, always(false), "/healthz/ready"); status != http.StatusServiceUnavailable || body["status"] != "not ready" {
		t.Fatalf("not ready: GET /healthz/ready = %d %v", status, body)
	}
}

func TestUnknownPathsAre404(t *testing.T) {
	if status, _ := get(t, always(true), "/nothing"); status != http.StatusNotFound {
		t.Fatalf("GET /nothing = %d", status)
	}
}
{% if values.database == 'postgres' %}

func TestNotReadyWhenPostgreSQLCannotBeReached(t *testing.T) {
	// Port 1 on the loopback interface refuses connections.
	env := map[string]string{"DATABASE_HOST": "127.0.0.1", "DATABASE_PORT": "1", "DATABASE_NAME": "app", "DATABASE_USER": "app", "DATABASE_PASSWORD": "unused"}
	checks, err := newReadiness(func(key string) string { return env[key] })
	if err != nil {
		t.Fatal(err)
	}
	defer checks.close()
	if checks.isReady(context.Background()) {
		t.Fatal("ready without a database")
	}
}
{% endif %}

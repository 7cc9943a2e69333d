// Command ${{ values.name }} is an HTTP API of team ${{ values.team }}. It listens on PORT (8080 by
// default) and stops cleanly on SIGTERM, which Kubernetes sends before it stops a pod.
package main

import (
	"context"
	"errors"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// serviceName is the name the API greets with.
const serviceName = "${{ values.name }}"

// shutdownTimeout bounds how long open requests may take once SIGTERM arrived.
const shutdownTimeout = 20 * time.Second

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()

	checks, err := newReadiness(os.Getenv)
	if err != nil {
		log.Fatalf("readiness: %v", err)
	}
	defer checks.close()

	server := &http.Server{Addr: ":" + port, Handler: newHandler(checks.isReady), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		log.Printf("listening on port %s", port)
		if err := server.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Fatalf("serve: %v", err)
		}
	}()

	<-ctx.Done()
	log.Print("SIGTERM: closing")
	shutdown, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := server.Shutdown(shutdown); err != nil {
		log.Printf("shutdown: %v", err)
	}
}

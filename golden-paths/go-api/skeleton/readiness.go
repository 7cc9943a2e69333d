package main
{% if values.database == 'postgres' %}

import (
	"context"
	"fmt"
	"net/url"

	"github.com/jackc/pgx/v5/pgxpool"
)

// readiness is ready when PostgreSQL answers. The connection comes from the DATABASE_* variables
// that score.yaml maps from the platform's database outputs (the password is a Secret reference).
type readiness struct {
	pool *pgxpool.Pool
}

// newReadiness makes the connection pool; it connects on the first check, not here.
func newReadiness(getenv func(string) string) (*readiness, error) {
	port := getenv("DATABASE_PORT")
	if port == "" {
		port = "5432"
	}
	dsn := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(getenv("DATABASE_USER"), getenv("DATABASE_PASSWORD")),
		Host:     getenv("DATABASE_HOST") + ":" + port,
		Path:     "/" + getenv("DATABASE_NAME"),
		RawQuery: "pool_max_conns=5",
	}
	pool, err := pgxpool.New(context.Background(), dsn.String())
	if err != nil {
		return nil, fmt.Errorf("database settings: %w", err)
	}
	return &readiness{pool: pool}, nil
}

func (r *readiness) isReady(ctx context.Context) bool { return r.pool.Ping(ctx) == nil }

func (r *readiness) close() { r.pool.Close() }
{% else %}

import "context"

// readiness has no dependencies to wait for: ready as soon as the process serves requests.
type readiness struct{}

func newReadiness(func(string) string) (*readiness, error) { return &readiness{}, nil }

func (*readiness) isReady(context.Context) bool { return true }

func (*readiness) close() {}
{% endif %}

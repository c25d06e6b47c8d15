package sqldb

import (
	"context"
	"fmt"
	"strings"
)

// Migration is one schema change. SQL is portable SQL in which the token
// AUTOID stands for an auto-incrementing BIGINT primary key column
// definition, and BLOB for a binary column.
type Migration struct {
	Version int
	SQL     string
}

// Migrate applies a component's migrations that have not run yet, each in
// its own transaction, in version order. Components ("bot", "escalation",
// ...) keep separate version sequences in one schema_migrations table, so
// packages evolve their tables independently.
func (db *DB) Migrate(ctx context.Context, component string, ms []Migration) error {
	if _, err := db.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		component TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (component, version))`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	for _, m := range ms {
		var n int
		if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE component = ? AND version = ?`,
			component, m.Version).Scan(&n); err != nil {
			return fmt.Errorf("read schema_migrations: %w", err)
		}
		if n > 0 {
			continue
		}
		tx, err := db.Begin(ctx)
		if err != nil {
			return err
		}
		for _, stmt := range splitStatements(db.translate(m.SQL)) {
			if _, err := tx.Exec(ctx, stmt); err != nil {
				tx.Rollback()
				return fmt.Errorf("migrate %s to version %d: %w", component, m.Version, err)
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (component, version) VALUES (?, ?)`,
			component, m.Version); err != nil {
			tx.Rollback()
			return fmt.Errorf("record migration %s %d: %w", component, m.Version, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("commit migration %s %d: %w", component, m.Version, err)
		}
	}
	return nil
}

func (db *DB) translate(q string) string {
	if db.Dialect == Postgres {
		q = strings.ReplaceAll(q, "AUTOID", "BIGSERIAL PRIMARY KEY")
		return strings.ReplaceAll(q, "BLOB", "BYTEA")
	}
	return strings.ReplaceAll(q, "AUTOID", "INTEGER PRIMARY KEY AUTOINCREMENT")
}

func splitStatements(s string) []string {
	var out []string
	for _, st := range strings.Split(s, ";") {
		if st = strings.TrimSpace(st); st != "" {
			out = append(out, st)
		}
	}
	return out
}

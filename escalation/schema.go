package escalation

import "github.com/supportbot/supportbot/internal/sqldb"

// migrations create escalation's tables. Times are Unix milliseconds; 0
// means "not yet". Append new versions; never edit a released one.
var migrations = []sqldb.Migration{
	{Version: 1, SQL: `
CREATE TABLE IF NOT EXISTS esc_tickets (
	id AUTOID,
	channel TEXT NOT NULL,
	user_id TEXT NOT NULL,
	conversation_id TEXT NOT NULL,
	account TEXT NOT NULL DEFAULT '',
	display_name TEXT NOT NULL DEFAULT '',
	lang TEXT NOT NULL,
	subject TEXT NOT NULL,
	category TEXT NOT NULL DEFAULT '',
	reason TEXT NOT NULL DEFAULT '',
	priority TEXT NOT NULL,
	status TEXT NOT NULL,
	assignee TEXT NOT NULL DEFAULT '',
	tags TEXT NOT NULL DEFAULT '',
	first_response_due BIGINT NOT NULL,
	resolution_due BIGINT NOT NULL,
	first_response_at BIGINT NOT NULL DEFAULT 0,
	solved_at BIGINT NOT NULL DEFAULT 0,
	csat INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	open_key TEXT UNIQUE
);
CREATE INDEX IF NOT EXISTS esc_tickets_user ON esc_tickets (channel, user_id);
CREATE INDEX IF NOT EXISTS esc_tickets_status ON esc_tickets (status, updated_at);

CREATE TABLE IF NOT EXISTS esc_messages (
	id AUTOID,
	ticket_id BIGINT NOT NULL REFERENCES esc_tickets(id),
	kind TEXT NOT NULL,
	author TEXT NOT NULL DEFAULT '',
	body TEXT NOT NULL,
	ext_id TEXT,
	created_at BIGINT NOT NULL,
	UNIQUE (ticket_id, ext_id)
);
CREATE INDEX IF NOT EXISTS esc_messages_ticket ON esc_messages (ticket_id, id);

CREATE TABLE IF NOT EXISTS esc_attachments (
	id AUTOID,
	ticket_id BIGINT NOT NULL REFERENCES esc_tickets(id),
	message_id BIGINT NOT NULL DEFAULT 0,
	name TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size BIGINT NOT NULL,
	sha256 TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS esc_attachments_ticket ON esc_attachments (ticket_id);

CREATE TABLE IF NOT EXISTS esc_events (
	id AUTOID,
	ticket_id BIGINT NOT NULL DEFAULT 0,
	type TEXT NOT NULL,
	actor TEXT NOT NULL,
	actor_name TEXT NOT NULL DEFAULT '',
	detail TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS esc_events_ticket ON esc_events (ticket_id, id);

CREATE TABLE IF NOT EXISTS esc_outbox (
	id AUTOID,
	kind TEXT NOT NULL,
	ticket_id BIGINT NOT NULL DEFAULT 0,
	message_id BIGINT NOT NULL DEFAULT 0,
	target TEXT NOT NULL,
	payload TEXT NOT NULL,
	status TEXT NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	next_attempt_at BIGINT NOT NULL,
	last_error TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	delivered_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS esc_outbox_due ON esc_outbox (status, next_attempt_at);
CREATE INDEX IF NOT EXISTS esc_outbox_ticket ON esc_outbox (ticket_id);

CREATE TABLE IF NOT EXISTS esc_protections (
	id AUTOID,
	idempotency_key TEXT NOT NULL UNIQUE,
	action TEXT NOT NULL,
	account TEXT NOT NULL,
	ticket_id BIGINT NOT NULL DEFAULT 0,
	actor TEXT NOT NULL,
	reason TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL,
	response_code INTEGER NOT NULL DEFAULT 0,
	last_error TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS esc_agents (
	id AUTOID,
	email TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	role TEXT NOT NULL,
	active INTEGER NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS esc_sessions (
	token_hash TEXT PRIMARY KEY,
	agent_id BIGINT NOT NULL REFERENCES esc_agents(id),
	csrf TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS esc_macros (
	id AUTOID,
	title TEXT NOT NULL,
	body TEXT NOT NULL,
	created_at BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS esc_sla (
	priority TEXT PRIMARY KEY,
	first_response_ms BIGINT NOT NULL,
	resolution_ms BIGINT NOT NULL
)`},
	// While a ticket waits on the user (pending) its SLA clock stops:
	// sla_paused_at is when it stopped (0 while it runs), sla_paused_ms
	// the pauses so far, which a change of priority keeps.
	{Version: 2, SQL: `ALTER TABLE esc_tickets ADD COLUMN sla_paused_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE esc_tickets ADD COLUMN sla_paused_ms BIGINT NOT NULL DEFAULT 0`},
}

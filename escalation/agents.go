package escalation

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/internal/sqldb"
)

// Roles.
const (
	RoleAgent = "agent" // works tickets
	RoleAdmin = "admin" // also manages agents, SLA targets and canned replies
)

// Agent is a person who works tickets in the console.
type Agent struct {
	ID        int64
	Email     string
	Name      string
	Role      string
	Active    bool
	CreatedAt time.Time
}

// IsAdmin reports whether the agent has the admin role.
func (a *Agent) IsAdmin() bool { return a != nil && a.Role == RoleAdmin }

func requireAdmin(a *Agent) error {
	if !a.IsAdmin() {
		return supportbot.Errorf(supportbot.EFORBIDDEN, "Only admins can do this.")
	}
	return nil
}

// argon2id parameters: OWASP's recommended minimum (19 MiB, 2 passes, 1
// lane). The login rate limit bounds how much memory attackers can make
// the server spend.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns an argon2id hash in the PHC string format
// ($argon2id$v=19$m=...,t=...,p=...$salt$hash), which records its
// parameters so they can be raised later without breaking old hashes.
func HashPassword(password string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(key))
}

// CheckPassword reports whether password matches a HashPassword hash, in
// constant time.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m > 1<<20 || t > 16 || p == 0 {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when an email is unknown, so that a login
// takes as long whether or not the account exists.
var dummyHash = HashPassword("not a real password")

func checkNewAgent(email, name, password, role string) (string, string, error) {
	addr, err := mail.ParseAddress(strings.TrimSpace(email))
	if err != nil || addr.Address != strings.TrimSpace(email) {
		return "", "", supportbot.Errorf(supportbot.EINVALID, "%q is not an email address.", email)
	}
	name = clean(name, 100)
	if name == "" {
		return "", "", supportbot.Errorf(supportbot.EINVALID, "The name is empty.")
	}
	if err := checkPasswordRules(password); err != nil {
		return "", "", err
	}
	if role != RoleAgent && role != RoleAdmin {
		return "", "", supportbot.Errorf(supportbot.EINVALID, "The role is %q or %q.", RoleAgent, RoleAdmin)
	}
	return strings.ToLower(addr.Address), name, nil
}

func checkPasswordRules(password string) error {
	if utf8.RuneCountInString(password) < 10 {
		return supportbot.Errorf(supportbot.EINVALID, "The password needs at least 10 characters.")
	}
	if len(password) > 1024 {
		return supportbot.Errorf(supportbot.EINVALID, "The password is too long.")
	}
	return nil
}

// AddAgent creates an agent in db, creating escalation's tables first if
// needed: `supportbot agent add` uses it to create the first admin before
// the server ever ran. The email must be new (ECONFLICT otherwise).
func AddAgent(ctx context.Context, db *sqldb.DB, email, name, password, role string) (*Agent, error) {
	if err := db.Migrate(ctx, "escalation", migrations); err != nil {
		return nil, fmt.Errorf("escalation: %w", err)
	}
	s := New(Config{}, db, nil, nil)
	return s.addAgent(ctx, ActorSystem, email, name, password, role)
}

// CreateAgent is AddAgent for an admin in the console.
func (s *Service) CreateAgent(ctx context.Context, by *Agent, email, name, password, role string) (*Agent, error) {
	if err := requireAdmin(by); err != nil {
		return nil, err
	}
	return s.addAgent(ctx, AgentActor(by), email, name, password, role)
}

func (s *Service) addAgent(ctx context.Context, by Actor, email, name, password, role string) (*Agent, error) {
	email, name, err := checkNewAgent(email, name, password, role)
	if err != nil {
		return nil, err
	}
	hash := HashPassword(password)
	var id int64
	err = s.inTx(ctx, func(t *txn) error {
		id, err = t.InsertID(ctx, `INSERT INTO esc_agents (email, name, password_hash, role, active, created_at)
			VALUES (?, ?, ?, ?, 1, ?)`, email, name, hash, role, s.now().UnixMilli())
		if sqldb.IsUniqueViolation(err) {
			return supportbot.Errorf(supportbot.ECONFLICT, "An agent with email %s exists.", email)
		} else if err != nil {
			return fmt.Errorf("add agent: %w", err)
		}
		return t.event(ctx, 0, "agent.created", by, map[string]any{"agent_id": id, "email": email, "role": role})
	})
	if err != nil {
		return nil, err
	}
	return s.getAgent(ctx, s.db, id)
}

const agentColumns = `id, email, name, role, active, created_at`

func scanAgent(r scanner) (*Agent, error) {
	var a Agent
	var active int
	var ca int64
	if err := r.Scan(&a.ID, &a.Email, &a.Name, &a.Role, &active, &ca); err != nil {
		return nil, err
	}
	a.Active, a.CreatedAt = active == 1, sqldb.Time(ca)
	return &a, nil
}

func (s *Service) getAgent(ctx context.Context, q querier, id int64) (*Agent, error) {
	a, err := scanAgent(q.QueryRow(ctx, `SELECT `+agentColumns+` FROM esc_agents WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, supportbot.Errorf(supportbot.ENOTFOUND, "Agent not found.")
	} else if err != nil {
		return nil, fmt.Errorf("get agent: %w", err)
	}
	return a, nil
}

// Agent returns an agent by id, or ENOTFOUND.
func (s *Service) Agent(ctx context.Context, id int64) (*Agent, error) {
	return s.getAgent(ctx, s.db, id)
}

// Agents lists all agents by name.
func (s *Service) Agents(ctx context.Context) ([]*Agent, error) {
	rows, err := s.db.Query(ctx, `SELECT `+agentColumns+` FROM esc_agents ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("list agents: %w", err)
	}
	defer rows.Close()
	var out []*Agent
	for rows.Next() {
		a, err := scanAgent(rows)
		if err != nil {
			return nil, fmt.Errorf("list agents: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// SetAgentActive activates or deactivates an agent; deactivating ends
// their sessions. Admins cannot deactivate themselves (so one admin always
// remains able to log in).
func (s *Service) SetAgentActive(ctx context.Context, by *Agent, id int64, active bool) error {
	if err := requireAdmin(by); err != nil {
		return err
	}
	if id == by.ID && !active {
		return supportbot.Errorf(supportbot.ECONFLICT, "You cannot deactivate yourself.")
	}
	return s.inTx(ctx, func(t *txn) error {
		v := 0
		if active {
			v = 1
		}
		res, err := t.Exec(ctx, `UPDATE esc_agents SET active = ? WHERE id = ?`, v, id)
		if err != nil {
			return fmt.Errorf("update agent: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return supportbot.Errorf(supportbot.ENOTFOUND, "Agent not found.")
		}
		if !active {
			if _, err := t.Exec(ctx, `DELETE FROM esc_sessions WHERE agent_id = ?`, id); err != nil {
				return fmt.Errorf("end sessions: %w", err)
			}
		}
		return t.event(ctx, 0, "agent.active", AgentActor(by), map[string]any{"agent_id": id, "active": active})
	})
}

// SetPassword changes an agent's password (their own, or anyone's for an
// admin) and ends the agent's other sessions.
func (s *Service) SetPassword(ctx context.Context, by *Agent, id int64, password string) error {
	if by.ID != id {
		if err := requireAdmin(by); err != nil {
			return err
		}
	}
	if err := checkPasswordRules(password); err != nil {
		return err
	}
	hash := HashPassword(password)
	return s.inTx(ctx, func(t *txn) error {
		if _, err := t.Exec(ctx, `UPDATE esc_agents SET password_hash = ? WHERE id = ?`, hash, id); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if _, err := t.Exec(ctx, `DELETE FROM esc_sessions WHERE agent_id = ?`, id); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		return t.event(ctx, 0, "agent.password", AgentActor(by), map[string]any{"agent_id": id})
	})
}

// Authenticate returns the active agent with this email and password, or
// EUNAUTHORIZED with the same message whatever was wrong.
func (s *Service) Authenticate(ctx context.Context, email, password string) (*Agent, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	var hash string
	a, err := scanAgent(s.db.QueryRow(ctx, `SELECT `+agentColumns+` FROM esc_agents WHERE email = ?`, email))
	if err == nil {
		err = s.db.QueryRow(ctx, `SELECT password_hash FROM esc_agents WHERE id = ?`, a.ID).Scan(&hash)
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	if hash == "" {
		CheckPassword(dummyHash, password)
		return nil, supportbot.Errorf(supportbot.EUNAUTHORIZED, "Wrong email or password.")
	}
	if !CheckPassword(hash, password) || !a.Active {
		return nil, supportbot.Errorf(supportbot.EUNAUTHORIZED, "Wrong email or password.")
	}
	return a, nil
}

// Session is a logged-in agent's server-side session.
type Session struct {
	Agent *Agent
	// CSRF is the token every form and API call of this session must
	// carry.
	CSRF      string
	ExpiresAt time.Time
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateSession starts a session for an agent and returns its token (for
// the cookie). Only the token's hash is stored, so a leaked database does
// not leak live sessions.
func (s *Service) CreateSession(ctx context.Context, a *Agent) (token string, sess *Session, err error) {
	token = randomToken(32)
	now := s.now()
	sess = &Session{Agent: a, CSRF: randomToken(32), ExpiresAt: now.Add(s.cfg.Console.SessionTTL)}
	if _, err := s.db.Exec(ctx, `DELETE FROM esc_sessions WHERE expires_at < ?`, now.UnixMilli()); err != nil {
		return "", nil, fmt.Errorf("expire sessions: %w", err)
	}
	if _, err := s.db.Exec(ctx, `INSERT INTO esc_sessions (token_hash, agent_id, csrf, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?)`, hashToken(token), a.ID, sess.CSRF, now.UnixMilli(), sess.ExpiresAt.UnixMilli()); err != nil {
		return "", nil, fmt.Errorf("create session: %w", err)
	}
	return token, sess, nil
}

// LookupSession returns the live session of a token, or EUNAUTHORIZED.
func (s *Service) LookupSession(ctx context.Context, token string) (*Session, error) {
	if token == "" {
		return nil, supportbot.Errorf(supportbot.EUNAUTHORIZED, "Not logged in.")
	}
	var agentID, exp int64
	var csrf string
	err := s.db.QueryRow(ctx, `SELECT agent_id, csrf, expires_at FROM esc_sessions WHERE token_hash = ?`, hashToken(token)).
		Scan(&agentID, &csrf, &exp)
	if errors.Is(err, sql.ErrNoRows) || err == nil && exp < s.now().UnixMilli() {
		return nil, supportbot.Errorf(supportbot.EUNAUTHORIZED, "Not logged in.")
	} else if err != nil {
		return nil, fmt.Errorf("read session: %w", err)
	}
	a, err := s.getAgent(ctx, s.db, agentID)
	if err != nil || !a.Active {
		return nil, supportbot.Errorf(supportbot.EUNAUTHORIZED, "Not logged in.")
	}
	return &Session{Agent: a, CSRF: csrf, ExpiresAt: sqldb.Time(exp)}, nil
}

// DeleteSession logs a session out.
func (s *Service) DeleteSession(ctx context.Context, token string) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM esc_sessions WHERE token_hash = ?`, hashToken(token)); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// Macro is a canned reply.
type Macro struct {
	ID    int64
	Title string
	Body  string
}

// Macros lists the canned replies by title.
func (s *Service) Macros(ctx context.Context) ([]Macro, error) {
	rows, err := s.db.Query(ctx, `SELECT id, title, body FROM esc_macros ORDER BY title, id`)
	if err != nil {
		return nil, fmt.Errorf("list macros: %w", err)
	}
	defer rows.Close()
	var out []Macro
	for rows.Next() {
		var m Macro
		if err := rows.Scan(&m.ID, &m.Title, &m.Body); err != nil {
			return nil, fmt.Errorf("list macros: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// CreateMacro adds a canned reply. Only admins may.
func (s *Service) CreateMacro(ctx context.Context, by *Agent, title, body string) (int64, error) {
	if err := requireAdmin(by); err != nil {
		return 0, err
	}
	title, body = clean(title, 200), clean(body, s.cfg.MaxMessageBytes)
	if title == "" || body == "" {
		return 0, supportbot.Errorf(supportbot.EINVALID, "A canned reply needs a title and a text.")
	}
	var id int64
	err := s.inTx(ctx, func(t *txn) error {
		var err error
		if id, err = t.InsertID(ctx, `INSERT INTO esc_macros (title, body, created_at) VALUES (?, ?, ?)`,
			title, body, s.now().UnixMilli()); err != nil {
			return fmt.Errorf("add macro: %w", err)
		}
		return t.event(ctx, 0, "macro.created", AgentActor(by), map[string]any{"macro_id": id, "title": title})
	})
	return id, err
}

// DeleteMacro removes a canned reply. Only admins may.
func (s *Service) DeleteMacro(ctx context.Context, by *Agent, id int64) error {
	if err := requireAdmin(by); err != nil {
		return err
	}
	return s.inTx(ctx, func(t *txn) error {
		if _, err := t.Exec(ctx, `DELETE FROM esc_macros WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete macro: %w", err)
		}
		return t.event(ctx, 0, "macro.deleted", AgentActor(by), map[string]any{"macro_id": id})
	})
}

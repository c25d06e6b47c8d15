package supportbot

import "testing"

func TestRedactURL(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"Password", "postgres://bob:PASSWORD@db/sb", "postgres://bob:***@db/sb"},
		{"EscapedPassword", "http://u:p%40ss@llm:8000/v1", "http://u:***@llm:8000/v1"},
		{"QueryValues", "https://p/freeze?token=Q&sig=S", "https://p/freeze?token=***&sig=***"},
		{"BareQuery", "https://hook.example/x?SECRET", "https://hook.example/x?***"},
		{"UserOnly", "postgres://bob@db/sb?sslmode=disable", "postgres://bob@db/sb?sslmode=***"},
		{"Plain", "http://localhost:11434/v1", "http://localhost:11434/v1"},
		{"NotAURL", "supportbot-data/supportbot.db", "supportbot-data/supportbot.db"},
		{"Unparsable", "postgres://bob:pa#ss@db:x/sb", "***"},
		{"Empty", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := RedactURL(c.in); got != c.want {
				t.Fatalf("RedactURL(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

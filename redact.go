package supportbot

import (
	"net/url"
	"strings"
)

// URLMask stands for a password or a query value that RedactURL hid.
const URLMask = "***"

// RedactURL returns s fit for logs and printed settings: a password in it
// becomes "***", as net/http writes it in its errors (so the embedder's
// messages and the LLM client's, which are net/http's, mask alike), and so
// does every query value, where tokens and signatures travel (?token=,
// ?sig=, ?api-key=). A string without "://" (a file path) is returned as
// is; one with it that does not parse is masked whole, since where its
// secret is cannot be told. The OpenAI-compatible embedder's errors and `supportbot
// config` use it.
func RedactURL(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	u, err := url.Parse(s)
	if err != nil {
		return URLMask
	}
	_, hasPassword := u.User.Password()
	if hasPassword {
		u.User = url.User(u.User.Username())
	}
	if u.RawQuery != "" {
		parts := strings.Split(u.RawQuery, "&")
		for i, p := range parts {
			if k, _, ok := strings.Cut(p, "="); ok {
				parts[i] = k + "=" + URLMask
			} else {
				parts[i] = URLMask // a bare ?TOKEN
			}
		}
		u.RawQuery = strings.Join(parts, "&")
	}
	out := u.String()
	if hasPassword {
		// Spliced into the text, because url.UserPassword would escape
		// the mask to %2A%2A%2A.
		user := u.User.String()
		out = strings.Replace(out, "//"+user+"@", "//"+user+":"+URLMask+"@", 1)
	}
	return out
}

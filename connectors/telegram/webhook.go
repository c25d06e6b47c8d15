package telegram

import (
	"crypto/subtle"
	"errors"
	"io"
	"net/http"
)

// maxUpdateBytes bounds a webhook request. Updates are small: text is at
// most 4096 characters and files come as ids.
const maxUpdateBytes = 1 << 20

// SecretHeader is the header in which Telegram sends the webhook's secret
// token.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// WebhookHandler receives updates that Telegram posts in webhook mode;
// mount it at Config.WebhookPath on the public server. A request without
// the configured secret token is refused with 401 before its body is
// read. An update is answered 200 only once it is committed to the inbox,
// so anything else makes Telegram deliver it again; repeats are dropped.
func (c *Connector) WebhookHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		// The secret is compared in constant time, and an empty configured
		// secret matches nothing: New refuses webhook mode without one, and
		// this handler must never be open even if mounted by mistake.
		got := r.Header.Get(SecretHeader)
		want := c.cfg.WebhookSecret
		if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			c.log.WithField("remote", r.RemoteAddr).Warn("telegram webhook: refused a request without the secret token")
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		st := c.getStore()
		if st == nil {
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxUpdateBytes))
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				http.Error(w, "update too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "cannot read the update", http.StatusBadRequest)
			return
		}
		u, err := parseEnvelope(body)
		if err != nil {
			http.Error(w, "not a Telegram update", http.StatusBadRequest)
			return
		}
		if _, err := st.addUpdates(r.Context(), []inUpdate{u}, false); err != nil {
			c.log.WithError(err).Error("telegram webhook: cannot store the update; Telegram will retry")
			http.Error(w, "try again", http.StatusInternalServerError)
			return
		}
		c.poke()
		w.WriteHeader(http.StatusOK)
	})
}

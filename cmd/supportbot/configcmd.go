package main

import (
	"context"
	"fmt"
	"io"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/supportbot/supportbot"
)

// runConfig prints the effective configuration, every default filled in,
// as YAML that can be saved and edited as a config file. Secrets are
// replaced by "<set>" and the credentials in URLs by "***" (redact), so the
// output is safe to paste into an issue; loading it back refuses those
// placeholders until the real values are set.
func runConfig(_ context.Context, g *globalFlags, args []string, stdout, stderr io.Writer) error {
	fs := commandFlags("config", "usage: supportbot config\n\nPrints the effective configuration, every default filled in, secrets redacted, as YAML for --config.", stderr)
	g.also(fs)
	if err := noArgs(fs, args); err != nil {
		return err
	}
	cfg, err := g.load()
	if err != nil {
		return err
	}
	return printConfig(stdout, cfg)
}

// printConfig writes cfg, redacted, as YAML. It redacts cfg in place.
func printConfig(w io.Writer, cfg *Config) error {
	redact(cfg)
	out, err := yaml.Marshal(cfg)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "# supportbot configuration (effective values; environment SUPPORTBOT_<SECTION>_<FIELD> overrides)\n%s", out)
	return err
}

// redacted is what `supportbot config` shows for a secret that is set.
const redacted = "<set>"

// redact replaces every secret setting that is set (each string of a
// list) with "<set>", and masks the password and query values of every
// other value that is a URL (database DSNs, base URLs, webhooks).
func redact(c *Config) {
	walkSettings(c, func(s setting) error {
		secret := isSecret(s.field)
		eachString(s.value, func(v string) string {
			switch {
			case v == "":
				return v
			case secret:
				return redacted
			}
			return supportbot.RedactURL(v)
		})
		return nil
	})
}

// isSecret tells whether a field holds a secret. Its `secret` tag
// decides; without one (the types of other packages carry none), its YAML
// key does: a word of it that ends in key, token, secret, password,
// passphrase, credential, hmac or signature, in the singular or plural
// (api_key, api_keys, link_secret, token), makes it one; "keywords" does
// not.
func isSecret(f reflect.StructField) bool {
	if tag, ok := f.Tag.Lookup("secret"); ok {
		return tag == "true"
	}
	key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if key == "" {
		key = f.Name
	}
	for _, w := range strings.Split(strings.ToLower(key), "_") {
		w = strings.TrimSuffix(w, "s")
		for _, s := range secretWords {
			if strings.HasSuffix(w, s) {
				return true
			}
		}
	}
	return false
}

var secretWords = []string{"key", "token", "secret", "password", "passwd", "passphrase", "credential", "hmac", "signature"}

package main

import (
	"errors"
	"fmt"
	"maps"
	"net"
	"net/url"
	"reflect"
	"slices"
	"strings"

	"github.com/sirupsen/logrus"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/escalation"
)

// otherVariables are the SUPPORTBOT_ variables that are not settings, so
// that loadConfig does not take them for misspelt ones. The test switches
// are here because `go test` and scripts/test.sh run Main in an
// environment that has them. TestRepositoryVariablesAreKnown fails when
// the repository uses one that is neither a setting nor listed here.
var otherVariables = map[string]string{
	"SUPPORTBOT_CONFIG":                 "the config file, as --config",
	"SUPPORTBOT_ARTIFACTS":              "tests: where browser screenshots go",
	"SUPPORTBOT_TEST_POSTGRES":          "tests: a PostgreSQL to run the SQL tests on as well",
	"SUPPORTBOT_QUALITY":                "tests: run the retrieval quality tests",
	"SUPPORTBOT_EXPERIMENT":             "tests: run the retrieval cross-validation experiment",
	"SUPPORTBOT_BENCH_VISITORS":         "benchmark: concurrent web-chat visitors",
	"SUPPORTBOT_ESCALATION_CRASH_CHILD": "tests: marks the escalation crash test's child process",
}

// envNames returns the variable of every setting that has one.
func envNames() []string {
	var names []string
	walkSettings(&Config{}, func(s setting) error {
		if s.env != "" {
			names = append(names, s.env)
		}
		return nil
	})
	return names
}

// checkEnvNames rejects SUPPORTBOT_ variables that are no setting, with the
// closest known name: a misspelt one would otherwise be ignored in
// silence, while a misspelt YAML key is an error.
func checkEnvNames(vars map[string]string) error {
	known := envNames()
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(vars)) {
		if slices.Contains(known, name) || otherVariables[name] != "" {
			continue
		}
		msg := "unknown environment variable " + name
		if near := closest(name, known); near != "" {
			msg += " (did you mean " + near + "?)"
		} else {
			msg += " (settings are " + envPrefix + "_<SECTION>_<FIELD>, upper-cased YAML keys)"
		}
		errs = append(errs, errors.New(msg))
	}
	return problems(errs)
}

// closest returns the name nearest to s by edit distance, or "" when none
// is near enough to be a typo of it.
func closest(s string, names []string) string {
	best, bestDist := "", len(strings.TrimPrefix(s, envPrefix+"_"))/3+1
	for _, n := range names {
		if d := editDistance(s, n); d <= bestDist {
			best, bestDist = n, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of a and b, in bytes (variable
// names are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// checkPlaceholders rejects a setting that holds what `supportbot config`
// prints in place of a secret: its output saved as a config file would
// otherwise make "<set>" the API key or the link secret. It runs after
// the environment is applied, so a real value there wins.
func checkPlaceholders(c *Config) error {
	var errs []error
	walkSettings(c, func(s setting) error {
		found := false
		eachString(s.value, func(v string) string {
			found = found || isPlaceholder(v)
			return v
		})
		if found {
			msg := s.key + ": is the redaction placeholder from `supportbot config`; set the real value"
			if s.env != "" {
				msg += " or the " + s.env + " environment variable"
			}
			errs = append(errs, errors.New(msg))
		}
		return nil
	})
	return problems(errs)
}

// isPlaceholder tells whether v is, or holds, a mask printed by redact.
func isPlaceholder(v string) bool {
	if v == redacted || v == supportbot.URLMask {
		return true
	}
	if !strings.Contains(v, "://") {
		return false
	}
	u, err := url.Parse(v)
	if err != nil {
		return false
	}
	if p, ok := u.User.Password(); ok && p == supportbot.URLMask {
		return true
	}
	for _, part := range strings.Split(u.RawQuery, "&") {
		if part == supportbot.URLMask || strings.HasSuffix(part, "="+supportbot.URLMask) {
			return true
		}
	}
	return false
}

// validate reports every setting that cannot work, by its key and
// variable, once the defaults are filled in. globalFlags.load runs it, so
// every command fails before it starts.
func (c *Config) validate() error {
	v := validator{settings: map[settingAddr]setting{}}
	walkSettings(c, func(s setting) error {
		v.settings[addrOf(s.value.Addr().Interface())] = s
		return nil
	})

	if _, _, err := net.SplitHostPort(c.HTTP.Addr); err != nil {
		v.fail(&c.HTTP.Addr, "%q is not host:port (127.0.0.1:8080, or :8080 for every interface)", c.HTTP.Addr)
	}
	v.absoluteURL(&c.HTTP.PublicURL, &c.LLM.BaseURL, &c.Embedder.BaseURL, &c.Bot.PublicURL, &c.Webchat.PublicURL,
		&c.Escalation.Protection.URL)
	for i := range c.Escalation.Webhooks {
		v.absoluteURL(&c.Escalation.Webhooks[i].URL)
	}
	if _, err := logrus.ParseLevel(c.Log.Level); err != nil {
		v.fail(&c.Log.Level, "%q is not a level (debug, info, warn or error)", c.Log.Level)
	}
	v.oneOf(&c.Log.Format, "auto", "text", "json")
	v.oneOf(&c.Embedder.Provider, "local", "openai")
	if c.Embedder.Provider == "openai" && c.Embedder.Model == "" {
		v.fail(&c.Embedder.Model, "is needed with the openai provider (e.g. text-embedding-3-small)")
	}
	if t := c.Bot.AnswerThreshold; t < 0 || t > 1 {
		v.fail(&c.Bot.AnswerThreshold, "must be between 0 and 1 (0: the retriever's own), not %v", t)
	}
	if !supportbot.IsLanguage(c.Bot.DefaultLang) {
		v.fail(&c.Bot.DefaultLang, "%q is not a supported language (%s)", c.Bot.DefaultLang,
			strings.Join(supportbot.Languages, ", "))
	}
	v.oneOf(&c.Escalation.Console.SecureCookies, "auto", "always", "never")
	// Zero is the default for each of these (filled in by now), and a
	// negative limit, rate or timeout cannot work.
	v.positive(&c.HTTP.ShutdownTimeout, &c.LLM.Timeout,
		&c.Bot.MaxMessageRunes, &c.Bot.TopK, &c.Bot.MemoryTurns, &c.Bot.MessageTimeout, &c.Bot.LLMTimeout,
		&c.Bot.LLMFirstTokenTimeout, &c.Bot.MaxConcurrentLLM,
		&c.Webchat.MaxMessageBytes, &c.Webchat.MaxBodyBytes, &c.Webchat.MaxAttachmentBytes, &c.Webchat.MaxAttachments,
		&c.Webchat.VisitorRate, &c.Webchat.VisitorBurst, &c.Webchat.IPRate, &c.Webchat.IPBurst,
		&c.Webchat.SessionRate, &c.Webchat.SessionBurst, &c.Webchat.RequestTimeout, &c.Webchat.ReplyTimeout,
		&c.Escalation.MaxAttachmentBytes, &c.Escalation.MaxAttachments, &c.Escalation.MaxMessageBytes,
		&c.Escalation.RetryBase, &c.Escalation.RetryMax, &c.Escalation.GiveUpAfter, &c.Escalation.PollInterval,
		&c.Escalation.Protection.Timeout, &c.Escalation.Console.SessionTTL, &c.Escalation.Console.LoginAttempts)
	for _, t := range []*escalation.SLATarget{&c.Escalation.SLA.Urgent, &c.Escalation.SLA.High,
		&c.Escalation.SLA.Normal, &c.Escalation.SLA.Low} {
		v.positive(&t.FirstResponse, &t.Resolution)
	}
	// The connectors check their own settings; they are off without a
	// token, and then nothing of theirs is used.
	if c.Telegram.Token != "" {
		v.add(c.Telegram.Validate())
	}
	if c.Discord.Token != "" {
		v.add(c.Discord.Validate())
	}
	return problems(v.errs)
}

// settingAddr identifies a setting by its address and type (a section's
// first field shares the section's address).
type settingAddr struct {
	p uintptr
	t reflect.Type
}

func addrOf(ptr any) settingAddr {
	v := reflect.ValueOf(ptr)
	return settingAddr{v.Pointer(), v.Type().Elem()}
}

// validator collects the problems of a configuration, each named by its
// setting, which it finds from a pointer to the field.
type validator struct {
	settings map[settingAddr]setting
	errs     []error
}

func (v *validator) add(err error) {
	if err != nil {
		v.errs = append(v.errs, err)
	}
}

func (v *validator) fail(ptr any, format string, args ...any) {
	name := "(unknown setting)"
	if s, ok := v.settings[addrOf(ptr)]; ok {
		name = s.name()
	}
	v.errs = append(v.errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
}

func (v *validator) oneOf(p *string, values ...string) {
	for _, ok := range values {
		if strings.EqualFold(*p, ok) {
			return
		}
	}
	v.fail(p, "%q is not one of %s", *p, strings.Join(values, ", "))
}

// absoluteURL checks that each URL set is an absolute http(s) URL. The
// error does not show the value: a malformed URL may carry a password or
// a token where RedactURL cannot tell.
func (v *validator) absoluteURL(ps ...*string) {
	for _, p := range ps {
		if *p == "" {
			continue
		}
		u, err := url.Parse(*p)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			v.fail(p, "is not an absolute http(s) URL, such as https://help.example.com")
		}
	}
}

// positive checks numbers and durations (pointers to them) for > 0.
func (v *validator) positive(ps ...any) {
	for _, p := range ps {
		x := reflect.ValueOf(p).Elem()
		var bad bool
		switch {
		case x.CanInt():
			bad = x.Int() <= 0
		case x.CanFloat():
			bad = x.Float() <= 0
		default:
			panic(fmt.Sprintf("positive: %s is not a number", x.Type()))
		}
		if bad {
			v.fail(p, "must be positive, not %v", x.Interface())
		}
	}
}

// problems joins errs into one error: a line, or a list under a heading.
func problems(errs []error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return fmt.Errorf("configuration: %w", errs[0])
	}
	lines := make([]string, len(errs))
	for i, e := range errs {
		lines[i] = "  " + e.Error()
	}
	return fmt.Errorf("configuration: %d problems:\n%s", len(errs), strings.Join(lines, "\n"))
}

package main

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/supportbot/supportbot/bot"
	"github.com/supportbot/supportbot/connectors/discord"
	"github.com/supportbot/supportbot/connectors/telegram"
	"github.com/supportbot/supportbot/connectors/webchat"
	"github.com/supportbot/supportbot/escalation"
)

// Config is supportbot's configuration: one YAML file (--config) with
// environment overrides. Every field can be set from the environment as
// SUPPORTBOT_<SECTION>_<FIELD>, upper-cased from the YAML keys, e.g.
// SUPPORTBOT_LLM_API_KEY or SUPPORTBOT_TELEGRAM_TOKEN; lists are
// comma-separated. The zero value plus setDefaults runs everything
// embedded: SQLite, the demo help center, the local embedder, extractive
// answers and web chat on localhost.
//
// A string field tagged `secret:"true"` is shown as "<set>" by `supportbot
// config` (`secret:"false"` shows a field whose name only looks secret);
// see isSecret for the fields of other packages' types, which carry no
// such tag, and RedactURL for the credentials inside URLs.
type Config struct {
	// DataDir holds the database, the search index and attachments.
	// Default: ./supportbot-data (flag --data-dir).
	DataDir string `yaml:"data_dir"`
	// Database is a SQLite file path or a postgres:// URL.
	// Default: <data_dir>/supportbot.db.
	Database string `yaml:"database"`
	// HTTP is the public HTTP server: web chat, help center, API, console.
	HTTP HTTPConfig `yaml:"http"`
	// Log configures logging.
	Log LogConfig `yaml:"log"`
	// Embedder selects the embedding model for retrieval.
	Embedder EmbedderConfig `yaml:"embedder"`
	// LLM is an OpenAI-compatible chat model; without a model, answers are
	// extractive.
	LLM LLMConfig `yaml:"llm"`
	// Bot tunes the conversation engine.
	Bot bot.Config `yaml:"bot"`

	Escalation escalation.Config `yaml:"escalation"`
	Webchat    webchat.Config    `yaml:"webchat"`
	Telegram   telegram.Config   `yaml:"telegram"`
	Discord    discord.Config    `yaml:"discord"`
}

// HTTPConfig configures the public HTTP server.
type HTTPConfig struct {
	// Addr to listen on. Default: 127.0.0.1:8080 (localhost only, safe by
	// default; use :8080 behind a proxy).
	Addr string `yaml:"addr"`
	// PublicURL is how users reach the server, for links in answers.
	// Default: http://<addr>.
	PublicURL string `yaml:"public_url"`
	// ShutdownTimeout bounds how long replies in flight may finish on
	// shutdown. Default: 15s.
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"`
}

// LogConfig configures logrus.
type LogConfig struct {
	// Level: debug, info, warn, error. Default: info.
	Level string `yaml:"level"`
	// Format: text, json, or auto (JSON when stderr is not a terminal).
	// Default: auto.
	Format string `yaml:"format"`
}

// EmbedderConfig selects the embedder.
type EmbedderConfig struct {
	// Provider: "local" (pure Go, no network; the default) or "openai" (any
	// OpenAI-compatible /v1/embeddings server: OpenAI, Ollama, vLLM,
	// LocalAI).
	Provider string `yaml:"provider"`
	// BaseURL of the server, e.g. http://localhost:11434/v1 for Ollama.
	BaseURL string `yaml:"base_url"`
	// Model, e.g. text-embedding-3-small or nomic-embed-text.
	Model string `yaml:"model"`
	// APIKey, if the server needs one (env SUPPORTBOT_EMBEDDER_API_KEY).
	APIKey string `yaml:"api_key" secret:"true"`
}

// LLMConfig configures the generative answer path.
type LLMConfig struct {
	// BaseURL of an OpenAI-compatible server. Default: OpenAI's.
	BaseURL string `yaml:"base_url"`
	// Model, e.g. gpt-4o-mini or llama3.1. Empty disables the LLM.
	Model string `yaml:"model"`
	// APIKey (env SUPPORTBOT_LLM_API_KEY).
	APIKey string `yaml:"api_key" secret:"true"`
	// Timeout for a whole answer; past it the bot falls back to an
	// extractive answer. Default: 30s.
	Timeout time.Duration `yaml:"timeout"`
}

func (c *Config) setDefaults() {
	if c.DataDir == "" {
		c.DataDir = "supportbot-data"
	}
	if c.Database == "" {
		c.Database = filepath.Join(c.DataDir, "supportbot.db")
	}
	if c.HTTP.Addr == "" {
		c.HTTP.Addr = "127.0.0.1:8080"
	}
	if c.HTTP.ShutdownTimeout == 0 {
		c.HTTP.ShutdownTimeout = 15 * time.Second
	}
	if c.Log.Level == "" {
		c.Log.Level = "info"
	}
	if c.Log.Format == "" {
		c.Log.Format = "auto"
	}
	if c.Embedder.Provider == "" {
		c.Embedder.Provider = "local"
	}
	if c.LLM.Timeout == 0 {
		c.LLM.Timeout = 30 * time.Second
	}
	// The two name one limit: bot.llm_timeout, when set, wins; else it
	// is llm.timeout. (open used to copy llm.timeout over it, so a
	// bot.llm_timeout in the file or environment did nothing.)
	if c.Bot.LLMTimeout == 0 {
		c.Bot.LLMTimeout = c.LLM.Timeout
	}
	c.Bot.SetDefaults()
	c.Escalation.SetDefaults()
	c.Webchat.SetDefaults()
	c.Telegram.SetDefaults()
	c.Discord.SetDefaults()
}

// loadConfig reads path (if not empty) and applies the environment.
// Unknown YAML keys and unknown SUPPORTBOT_ variables are errors, so typos
// do not go unnoticed, and so is a secret left as the placeholder that
// `supportbot config` prints. The caller fills in the defaults and
// validates (globalFlags.load).
func loadConfig(path string, env []string) (*Config, error) {
	var c Config
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read config: %w", err)
		}
		if err := checkYAML(path, data); err != nil {
			return nil, err
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&c); err != nil && err.Error() != "EOF" {
			return nil, fmt.Errorf("config %s: %w", path, err)
		}
	}
	vars := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, envPrefix+"_") {
			vars[k] = v
		}
	}
	if err := checkEnvNames(vars); err != nil {
		return nil, err
	}
	if err := applyEnv(&c, vars); err != nil {
		return nil, err
	}
	if err := checkPlaceholders(&c); err != nil {
		return nil, err
	}
	return &c, nil
}

// envPrefix starts the environment variable of every setting.
const envPrefix = "SUPPORTBOT"

// setting is one leaf of the configuration: a value, or a list, that is
// not itself a section.
type setting struct {
	key   string // YAML path: "llm.api_key", "escalation.webhooks[0].secret"
	env   string // its environment variable; "" inside a list, which the environment cannot address
	field reflect.StructField
	value reflect.Value // settable
}

// name is how errors call the setting: its key, and its variable.
func (s setting) name() string {
	if s.env == "" {
		return s.key
	}
	return s.key + " (" + s.env + ")"
}

// walkSettings calls fn for every setting of c, in field order, the way
// yaml.v3 names them. Sections (structs) are entered; a list of sections
// (escalation.webhooks) is a setting, and so is each field of its
// elements.
func walkSettings(c *Config, fn func(setting) error) error {
	return walkSection(reflect.ValueOf(c).Elem(), "", envPrefix, fn)
}

func walkSection(v reflect.Value, key, env string, fn func(setting) error) error {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, inline := yamlKey(f)
		if inline {
			if err := walkSection(v.Field(i), key, env, fn); err != nil {
				return err
			}
			continue
		}
		if tag == "" {
			continue
		}
		s := setting{key: tag, field: f, value: v.Field(i)}
		if key != "" {
			s.key = key + "." + tag
		}
		if env != "" {
			s.env = env + "_" + strings.ToUpper(tag)
		}
		if isSection(f.Type) {
			if err := walkSection(s.value, s.key, s.env, fn); err != nil {
				return err
			}
			continue
		}
		if err := fn(s); err != nil {
			return err
		}
		if f.Type.Kind() == reflect.Slice && isSection(f.Type.Elem()) {
			for j := 0; j < s.value.Len(); j++ {
				if err := walkSection(s.value.Index(j), fmt.Sprintf("%s[%d]", s.key, j), "", fn); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func isSection(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t != reflect.TypeOf(time.Time{})
}

// applyEnv sets every setting whose variable is present.
func applyEnv(c *Config, vars map[string]string) error {
	var errs []error
	walkSettings(c, func(s setting) error {
		v, ok := vars[s.env]
		if s.env == "" || !ok {
			return nil
		}
		if err := setFromString(s.value, v); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", s.name(), err))
		}
		return nil
	})
	return problems(errs)
}

// checkYAML reports what yaml.v3 would say of a config file in terms of
// Go types ("field top_kk not found in type bot.Config", "cannot
// unmarshal !!str `abc` into int") in terms of settings: the line, the
// key, and what the setting takes, with the nearest key for one that is
// no setting, as checkEnvNames does for variables. The YAML syntax is
// left to the decoder, which says where it is wrong.
func checkYAML(path string, data []byte) error {
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil {
		return nil
	}
	var errs []error
	checkNode(&root, reflect.TypeFor[Config](), "", func(n *yaml.Node, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s:%d: %s", path, n.Line, fmt.Sprintf(format, args...)))
	})
	return problems(errs)
}

// checkNode checks the YAML node n of the setting (or section) key, of
// type t, the way walkSection names keys.
func checkNode(n *yaml.Node, t reflect.Type, key string, fail func(n *yaml.Node, format string, args ...any)) {
	switch {
	case n.Kind == yaml.DocumentNode:
		for _, c := range n.Content {
			checkNode(c, t, key, fail)
		}
	case n.Kind == yaml.AliasNode:
		checkNode(n.Alias, t, key, fail)
	case n.ShortTag() == "!!null":
		// "key:" with no value leaves the default.
	case isSection(t):
		if n.Kind != yaml.MappingNode {
			what := key + ":"
			if key == "" {
				what = "the file:"
			}
			fail(n, "%s must be a section of settings (key: value lines), not %s", what, describeNode(n, t))
			return
		}
		fields := sectionFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "<<" {
				continue // a merge: the decoder checks it
			}
			ft, ok := fields[k.Value]
			if !ok {
				msg := "unknown setting " + joinKey(key, k.Value)
				if near := closest(k.Value, slices.Collect(maps.Keys(fields))); near != "" {
					msg += " (did you mean " + joinKey(key, near) + "?)"
				} else {
					msg += " (`supportbot config` lists the settings)"
				}
				fail(k, "%s", msg)
				continue
			}
			checkNode(v, ft, joinKey(key, k.Value), fail)
		}
	case t.Kind() == reflect.Slice && isSection(t.Elem()):
		if n.Kind != yaml.SequenceNode {
			fail(n, "%s: must be a list, not %s", key, describeNode(n, t))
			return
		}
		for i, e := range n.Content {
			checkNode(e, t.Elem(), fmt.Sprintf("%s[%d]", key, i), fail)
		}
	default:
		if n.Decode(reflect.New(t).Interface()) != nil {
			fail(n, "%s: must be %s, not %s", key, settingTakes(t), describeNode(n, t))
		}
	}
}

// sectionFields maps the keys of a section to their types.
func sectionFields(t reflect.Type) map[string]reflect.Type {
	fields := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		switch key, inline := yamlKey(f); {
		case inline:
			maps.Copy(fields, sectionFields(f.Type))
		case key != "":
			fields[key] = f.Type
		}
	}
	return fields
}

// yamlKey is the key yaml.v3 reads field f from: its tag's name, or its
// name in lower case; "" for a field yaml.v3 skips. inline is a field
// whose own fields are keys of the section (",inline").
func yamlKey(f reflect.StructField) (key string, inline bool) {
	tag, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	switch {
	case tag == "-" || !f.IsExported():
		return "", false
	case opts == "inline":
		return "", true
	case tag == "":
		return strings.ToLower(f.Name), false
	}
	return tag, false
}

func joinKey(section, key string) string {
	if section == "" {
		return key
	}
	return section + "." + key
}

// describeNode is what an error shows of a value that does not fit a
// setting of type t. Only a value meant for a number, a duration or a
// boolean is quoted: one meant for a list of strings, which may be a
// list of API keys, is not.
func describeNode(n *yaml.Node, t reflect.Type) string {
	switch {
	case n.Kind == yaml.MappingNode:
		return "a section"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case t.Kind() == reflect.Slice || isSection(t):
		return "a single value"
	}
	return strconv.Quote(n.Value)
}

// settingTakes says what a setting of type t takes.
func settingTakes(t reflect.Type) string {
	switch {
	case t == reflect.TypeFor[time.Duration]():
		return "a duration such as 30s, 5m or 1h30m"
	case t.Kind() == reflect.Bool:
		return "true or false"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64:
		return "a whole number"
	case t.Kind() == reflect.Float64 || t.Kind() == reflect.Float32:
		return "a number"
	case t.Kind() == reflect.Slice:
		return "a list"
	}
	return "a single value"
}

// eachString replaces every string of a setting (a string, or each one
// of a list of strings) with fn's result; other kinds are left alone. A
// changed list is a new slice: defaults may share theirs with a package.
func eachString(v reflect.Value, fn func(string) string) {
	switch {
	case v.Kind() == reflect.String:
		if s := fn(v.String()); s != v.String() {
			v.SetString(s)
		}
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.String:
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		changed := false
		for i := 0; i < v.Len(); i++ {
			s := fn(v.Index(i).String())
			changed = changed || s != v.Index(i).String()
			out.Index(i).SetString(s)
		}
		if changed {
			v.Set(out)
		}
	}
}

// setFromString sets a setting from its environment variable. Its errors
// say what the setting takes; only values that are not strings, which are
// no secrets, are quoted.
func setFromString(fv reflect.Value, s string) error {
	bad := fmt.Errorf("must be %s, not %q", settingTakes(fv.Type()), s)
	switch {
	case fv.Type() == reflect.TypeFor[time.Duration]():
		d, err := time.ParseDuration(s)
		if err != nil {
			return bad
		}
		fv.SetInt(int64(d))
	case fv.Kind() == reflect.String:
		fv.SetString(s)
	case fv.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return bad
		}
		fv.SetBool(b)
	case fv.Kind() >= reflect.Int && fv.Kind() <= reflect.Int64:
		n, err := strconv.ParseInt(s, 10, fv.Type().Bits())
		if err != nil {
			return bad
		}
		fv.SetInt(n)
	case fv.Kind() == reflect.Float64 || fv.Kind() == reflect.Float32:
		n, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return bad
		}
		fv.SetFloat(n)
	case fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.String:
		var parts []string
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		fv.Set(reflect.ValueOf(parts))
	default:
		return errors.New("cannot be set from the environment: set it in the config file")
	}
	return nil
}

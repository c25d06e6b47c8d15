package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestLoadConfig(t *testing.T) {
	t.Run("DefaultsWithoutFile", func(t *testing.T) {
		c, err := loadConfig("", nil)
		if err != nil {
			t.Fatal(err)
		}
		c.setDefaults()
		if c.DataDir != "supportbot-data" || c.Database != filepath.Join("supportbot-data", "supportbot.db") ||
			c.HTTP.Addr != "127.0.0.1:8080" || c.Embedder.Provider != "local" || c.LLM.Model != "" || c.Bot.TopK != 5 {
			t.Fatalf("defaults = %+v", c)
		}
	})
	t.Run("FileThenEnvironment", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "c.yaml")
		os.WriteFile(path, []byte("data_dir: /srv/sb\nhttp:\n  addr: \":9000\"\nllm:\n  model: gpt-x\n  timeout: 5s\nbot:\n  always_human_keywords: [lawsuit]\n"), 0o600)
		c, err := loadConfig(path, []string{"SUPPORTBOT_LLM_API_KEY=sk-1", "SUPPORTBOT_HTTP_ADDR=:9100",
			"SUPPORTBOT_BOT_ALWAYS_HUMAN_CATEGORIES=recovery, legal", "SUPPORTBOT_BOT_ANSWER_THRESHOLD=0.7", "OTHER=x"})
		if err != nil {
			t.Fatal(err)
		}
		c.setDefaults()
		if c.DataDir != "/srv/sb" || c.Database != "/srv/sb/supportbot.db" || c.HTTP.Addr != ":9100" || c.LLM.APIKey != "sk-1" ||
			c.LLM.Timeout != 5*time.Second || c.Bot.AnswerThreshold != 0.7 || strings.Join(c.Bot.AlwaysHumanCategories, "|") != "recovery|legal" ||
			c.Bot.AlwaysHumanKeywords[0] != "lawsuit" || c.Bot.LLMTimeout != 5*time.Second {
			t.Fatalf("config = %+v", c)
		}
	})
	t.Run("BotLLMTimeoutWinsOverLLMTimeout", func(t *testing.T) {
		c, err := loadConfig("", []string{"SUPPORTBOT_LLM_MODEL=m", "SUPPORTBOT_LLM_TIMEOUT=20s", "SUPPORTBOT_BOT_LLM_TIMEOUT=3s"})
		if err != nil {
			t.Fatal(err)
		}
		c.setDefaults()
		if c.Bot.LLMTimeout != 3*time.Second {
			t.Fatalf("bot.llm_timeout = %v, want the 3s it was given", c.Bot.LLMTimeout)
		}
	})
	t.Run("UnknownKeyIsAnError", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "c.yaml")
		os.WriteFile(path, []byte("htpp:\n  addr: x\n"), 0o600)
		if _, err := loadConfig(path, nil); err == nil || !strings.Contains(err.Error(), "htpp") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("BadEnvironmentValue", func(t *testing.T) {
		if _, err := loadConfig("", []string{"SUPPORTBOT_LLM_TIMEOUT=soon"}); err == nil || !strings.Contains(err.Error(), "SUPPORTBOT_LLM_TIMEOUT") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestConfigCommandRedactsSecrets(t *testing.T) {
	t.Setenv("SUPPORTBOT_LLM_API_KEY", "sk-very-secret")
	t.Setenv("SUPPORTBOT_TELEGRAM_TOKEN", "123:ABC")
	t.Setenv("SUPPORTBOT_DATABASE", "postgres://bob:DBPASS@db/sb")
	t.Setenv("SUPPORTBOT_LLM_BASE_URL", "http://u:LLMPASS@llm/v1")
	t.Setenv("SUPPORTBOT_WEBCHAT_API_KEYS", "wck-1,wck-2")
	t.Setenv("SUPPORTBOT_ESCALATION_PROTECTION_URL", "https://p/freeze?token=FREEZETOKEN")
	path := filepath.Join(t.TempDir(), "c.yaml")
	os.WriteFile(path, []byte("data_dir: /srv/x\nescalation:\n  webhooks:\n    - url: https://hooks.example/t?sig=HOOKSIG\n      secret: whsec-1\n"), 0o600)
	out, _, err := run(t, "", "--config", path, "config")
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"sk-very-secret", "123:ABC", "DBPASS", "LLMPASS", "wck-", "FREEZETOKEN", "HOOKSIG", "whsec-1"} {
		if strings.Contains(out, secret) {
			t.Errorf("%s printed:\n%s", secret, out)
		}
	}
	for _, want := range []string{"api_key: <set>", "database: postgres://bob:***@db/sb", "base_url: http://u:***@llm/v1",
		"api_keys:\n        - <set>\n        - <set>\n", "url: https://p/freeze?token=***", "url: https://hooks.example/t?sig=***",
		"data_dir: /srv/x", "addr: 127.0.0.1:8080"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
}

// Every field of Config, present and future, is printed by `supportbot
// config` with its secrets hidden: each string gets a URL with a password
// and a query token, and each list of sections an element, so no field
// escapes; a field whose name or tag says secret must not show its value at
// all, and the others must show theirs without the password and token.
func TestConfigCommandRedactsEveryField(t *testing.T) {
	var c Config
	var planted []plantedValue
	plant(t, reflect.ValueOf(&c).Elem(), "", false, &planted)
	var b strings.Builder
	if err := printConfig(&b, &c); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	secrets := 0
	for _, p := range planted {
		switch {
		case strings.Contains(out, p.pass) || strings.Contains(out, p.query):
			t.Errorf("%s: its URL's password or token is printed", p.key)
		case p.secret && strings.Contains(out, p.host):
			t.Errorf("%s: looks secret and is printed (tag it secret:\"true\", or teach isSecret its name)", p.key)
		case !p.secret && !strings.Contains(out, p.host):
			t.Errorf("%s: not secret and not printed", p.key)
		}
		if p.secret {
			secrets++
		}
	}
	if secrets < 10 || len(planted) < 50 {
		t.Fatalf("planted %d values, %d secret: the walk missed fields", len(planted), secrets)
	}
}

type plantedValue struct {
	key               string
	secret            bool
	host, pass, query string
}

// secretName matches a word of a field's name that suggests a secret.
var secretName = regexp.MustCompile(`(?i)^\w*(key|token|secret|passw(or)?d|passphrase|credential|hmac|signature)s?$`)

func looksSecret(f reflect.StructField) bool {
	if tag, ok := f.Tag.Lookup("secret"); ok {
		return tag == "true" // "false" is a reviewed exception
	}
	key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	for _, w := range append(strings.Split(key, "_"), f.Name) {
		if secretName.MatchString(w) {
			return true
		}
	}
	return false
}

// plant fills v, recording a unique value for every string in it.
func plant(t *testing.T, v reflect.Value, key string, secret bool, out *[]plantedValue) {
	t.Helper()
	switch v.Kind() {
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = strings.ToLower(f.Name)
			}
			plant(t, v.Field(i), strings.TrimPrefix(key+"."+name, "."), secret || looksSecret(f), out)
		}
	case reflect.String:
		n := len(*out)
		p := plantedValue{key: key, secret: secret, host: fmt.Sprintf("host%03d", n),
			pass: fmt.Sprintf("PASS%03d", n), query: fmt.Sprintf("QUERY%03d", n)}
		v.SetString(fmt.Sprintf("https://user:%s@%s.example/p?token=%s", p.pass, p.host, p.query))
		*out = append(*out, p)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := 0; i < v.Len(); i++ {
			plant(t, v.Index(i), fmt.Sprintf("%s[%d]", key, i), secret, out)
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		plant(t, k, key+"<key>", secret, out)
		plant(t, e, key+"<value>", secret, out)
		v.SetMapIndex(k, e)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		plant(t, v.Elem(), key, secret, out)
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		// cannot hold a secret
	default:
		t.Fatalf("%s: a %s; teach this test and redact about it", key, v.Type())
	}
}

// A `supportbot config` output saved as the config file does not make
// "<set>" the API key: loading refuses the placeholders, by key, unless
// the environment gives the real value.
func TestLoadConfigRejectsPlaceholders(t *testing.T) {
	t.Setenv("SUPPORTBOT_LLM_API_KEY", "sk-real")
	t.Setenv("SUPPORTBOT_WEBCHAT_API_KEYS", "wck-1")
	t.Setenv("SUPPORTBOT_DATABASE", "postgres://bob:DBPASS@db/sb")
	dir := t.TempDir()
	path := filepath.Join(dir, "in.yaml")
	os.WriteFile(path, []byte("escalation:\n  webhooks:\n    - url: https://hooks.example/t?sig=S\n      secret: whsec\n"), 0o600)
	out, _, err := run(t, "", "--config", path, "config")
	if err != nil {
		t.Fatal(err)
	}
	saved := filepath.Join(dir, "saved.yaml")
	os.WriteFile(saved, []byte(out), 0o600)

	t.Run("ErrPlaceholder", func(t *testing.T) {
		_, err := loadConfig(saved, nil)
		if err == nil {
			t.Fatal("placeholders accepted")
		}
		for _, want := range []string{
			"llm.api_key: is the redaction placeholder from `supportbot config`; set the real value or the SUPPORTBOT_LLM_API_KEY environment variable",
			"webchat.api_keys: is the redaction placeholder", "database: is the redaction placeholder",
			"escalation.webhooks[0].url: is the redaction placeholder from `supportbot config`; set the real value\n",
			"escalation.webhooks[0].secret: is the redaction placeholder from `supportbot config`; set the real value",
		} {
			if !strings.Contains(err.Error()+"\n", want) {
				t.Errorf("no %q in:\n%v", want, err)
			}
		}
	})
	t.Run("OKEnvironmentWins", func(t *testing.T) {
		path := filepath.Join(dir, "one.yaml")
		os.WriteFile(path, []byte("llm:\n  api_key: <set>\n  base_url: http://u:***@llm/v1\n"), 0o600)
		c, err := loadConfig(path, []string{"SUPPORTBOT_LLM_API_KEY=sk-real", "SUPPORTBOT_LLM_BASE_URL=http://u:pw@llm/v1"})
		if err != nil || c.LLM.APIKey != "sk-real" || c.LLM.BaseURL != "http://u:pw@llm/v1" {
			t.Fatalf("config %+v, err %v", c, err)
		}
		if _, err := loadConfig(path, []string{"SUPPORTBOT_LLM_API_KEY=sk-real"}); err == nil ||
			!strings.Contains(err.Error(), "llm.base_url: is the redaction placeholder") {
			t.Fatalf("err = %v", err)
		}
	})
}

// Values that cannot work fail every command at once, by key and variable.
func TestConfigValidation(t *testing.T) {
	for _, c := range []struct{ name, env, value, want string }{
		{"ErrAnswerThreshold", "SUPPORTBOT_BOT_ANSWER_THRESHOLD", "7", "bot.answer_threshold (SUPPORTBOT_BOT_ANSWER_THRESHOLD): must be between 0 and 1"},
		{"ErrMaxMessageRunes", "SUPPORTBOT_BOT_MAX_MESSAGE_RUNES", "-1", "bot.max_message_runes (SUPPORTBOT_BOT_MAX_MESSAGE_RUNES): must be positive, not -1"},
		{"ErrTopK", "SUPPORTBOT_BOT_TOP_K", "-5", "bot.top_k (SUPPORTBOT_BOT_TOP_K): must be positive, not -5"},
		{"ErrLogLevel", "SUPPORTBOT_LOG_LEVEL", "loud", `log.level (SUPPORTBOT_LOG_LEVEL): "loud" is not a level`},
		{"ErrLogFormat", "SUPPORTBOT_LOG_FORMAT", "xml", `log.format (SUPPORTBOT_LOG_FORMAT): "xml" is not one of auto, text, json`},
		{"ErrDefaultLang", "SUPPORTBOT_BOT_DEFAULT_LANG", "xx", `bot.default_lang (SUPPORTBOT_BOT_DEFAULT_LANG): "xx" is not a supported language`},
		{"ErrAddr", "SUPPORTBOT_HTTP_ADDR", "8080", `http.addr (SUPPORTBOT_HTTP_ADDR): "8080" is not host:port`},
		{"ErrBaseURL", "SUPPORTBOT_LLM_BASE_URL", "u:PW@llm:8000/v1?key=KEY", "llm.base_url (SUPPORTBOT_LLM_BASE_URL): is not an absolute http(s) URL"},
		{"ErrPublicURL", "SUPPORTBOT_HTTP_PUBLIC_URL", "ftp://u:PW@h/?token=KEY", "http.public_url (SUPPORTBOT_HTTP_PUBLIC_URL): is not an absolute http(s) URL"},
		{"ErrProvider", "SUPPORTBOT_EMBEDDER_PROVIDER", "cohere", `embedder.provider (SUPPORTBOT_EMBEDDER_PROVIDER): "cohere" is not one of local, openai`},
		{"ErrTelegram", "SUPPORTBOT_TELEGRAM_TOKEN", "not-a-token", "telegram: the token is not of the form"},
		{"ErrUnknownVariable", "SUPPORTBOT_HTTP_ADRR", ":9000", "unknown environment variable SUPPORTBOT_HTTP_ADRR (did you mean SUPPORTBOT_HTTP_ADDR?)"},
		{"ErrUnknownFarVariable", "SUPPORTBOT_FROBNICATE", "1", "unknown environment variable SUPPORTBOT_FROBNICATE (settings are SUPPORTBOT_<SECTION>_<FIELD>"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(c.env, c.value)
			for _, cmd := range [][]string{{"config"}, {"ask", "hello"}} {
				_, _, err := run(t, "", append([]string{"--data-dir", t.TempDir()}, cmd...)...)
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Fatalf("%s: err = %v, want %q", cmd[0], err, c.want)
				}
				if strings.Contains(err.Error(), "PW") || strings.Contains(err.Error(), "KEY") {
					t.Fatalf("%s: a secret in %v", cmd[0], err)
				}
			}
		})
	}
	t.Run("ErrSeveral", func(t *testing.T) {
		c, err := loadConfig("", []string{"SUPPORTBOT_BOT_TOP_K=-5", "SUPPORTBOT_LOG_LEVEL=loud"})
		if err != nil {
			t.Fatal(err)
		}
		c.setDefaults()
		if err := c.validate(); err == nil || !strings.Contains(err.Error(), "2 problems:\n  log.level") ||
			!strings.Contains(err.Error(), "\n  bot.top_k") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("OK", func(t *testing.T) {
		for _, kv := range []string{"SUPPORTBOT_BOT_ANSWER_THRESHOLD=1", "SUPPORTBOT_LOG_LEVEL=debug", "SUPPORTBOT_LOG_FORMAT=JSON",
			"SUPPORTBOT_BOT_DEFAULT_LANG=zh-Hant", "SUPPORTBOT_HTTP_ADDR=:9000", "SUPPORTBOT_LLM_BASE_URL=http://u:p@localhost:11434/v1",
			"SUPPORTBOT_EMBEDDER_PROVIDER=openai", "SUPPORTBOT_EMBEDDER_MODEL=nomic-embed-text", "SUPPORTBOT_TELEGRAM_TOKEN=123:ABC",
			// not settings: the config file and test switches
			"SUPPORTBOT_QUALITY=1", "SUPPORTBOT_TEST_POSTGRES=postgres://x", "SUPPORTBOT_ARTIFACTS=/tmp/a"} {
			k, v, _ := strings.Cut(kv, "=")
			t.Setenv(k, v)
		}
		if _, _, err := run(t, "", "--data-dir", t.TempDir(), "config"); err != nil {
			t.Fatal(err)
		}
	})
}

// Every SUPPORTBOT_ variable the repository's code, scripts and docs use
// is a setting or one of otherVariables, so the tests and scripts that set
// them still run.
func TestRepositoryVariablesAreKnown(t *testing.T) {
	known := map[string]bool{}
	for _, n := range envNames() {
		known[n] = true
	}
	for n := range otherVariables {
		if known[n] {
			t.Errorf("%s is a setting and in otherVariables", n)
		}
		known[n] = true
	}
	name := regexp.MustCompile(`SUPPORTBOT_[A-Z0-9_]+`)
	root := filepath.Join("..", "..")
	seen := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); path != root && (strings.HasPrefix(n, ".") || n == "node_modules" || n == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(path) {
		case ".go", ".sh", ".md", ".yaml", ".yml":
		default:
			return nil
		}
		if filepath.Base(path) == "config_test.go" && filepath.Base(filepath.Dir(path)) == "supportbot" {
			return nil // this file misspells variables on purpose
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, n := range name.FindAllString(string(data), -1) {
			seen++
			if !strings.HasSuffix(n, "_") && !known[n] { // SUPPORTBOT_TELEGRAM_<KEY> is a pattern
				t.Errorf("%s: %s is neither a setting nor in otherVariables", path, n)
				known[n] = true
			}
		}
		return nil
	})
	if err != nil || seen < 20 {
		t.Fatalf("read %d names; err %v", seen, err)
	}
}

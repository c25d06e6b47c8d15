package main

import (
	"os"
	"path/filepath"
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
			c.Bot.AlwaysHumanKeywords[0] != "lawsuit" {
			t.Fatalf("config = %+v", c)
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
	out, _, err := run(t, "", "--data-dir", "/srv/x", "config")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "sk-very-secret") || strings.Contains(out, "123:ABC") || !strings.Contains(out, "api_key: <set>") {
		t.Fatalf("secrets not redacted:\n%s", out)
	}
	c, err := loadConfig("", nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = c
	if !strings.Contains(out, "data_dir: /srv/x") || !strings.Contains(out, "addr: 127.0.0.1:8080") {
		t.Fatalf("defaults missing:\n%s", out)
	}
}

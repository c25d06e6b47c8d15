package bot

import "time"

// Config tunes the engine. The zero value works: SetDefaults fills it.
type Config struct {
	// AnswerThreshold is the least calibrated confidence at which the bot
	// answers; below it, it asks to clarify (short, vague messages) or
	// escalates. 0 means the retriever's own recommendation (chosen by
	// cross-validation over the help center), or 0.5 without one.
	AnswerThreshold float64 `yaml:"answer_threshold"`
	// DefaultLang answers when nothing tells the user's language. Default: en.
	DefaultLang string `yaml:"default_lang"`
	// MaxMessageRunes is the longest message accepted. Default: 4000.
	MaxMessageRunes int `yaml:"max_message_runes"`
	// TopK is how many articles retrieval returns. Default: 5.
	TopK int `yaml:"top_k"`
	// MemoryTurns is how many recent turns the engine reads back (repeated
	// questions, LLM context, transcripts). Default: 20.
	MemoryTurns int `yaml:"memory_turns"`
	// AlwaysHumanCategories are article categories that always go to a
	// person, e.g. [recovery]. Default: none.
	AlwaysHumanCategories []string `yaml:"always_human_categories"`
	// AlwaysHumanKeywords: a message containing one of these (case
	// insensitive) always goes to a person, e.g. lawsuit, lost funds.
	// Default: none.
	AlwaysHumanKeywords []string `yaml:"always_human_keywords"`
	// MessageTimeout bounds the handling of one message. Default: 60s.
	MessageTimeout time.Duration `yaml:"message_timeout"`
	// LLMTimeout bounds one LLM answer; past it the bot answers
	// extractively. Default: 30s.
	LLMTimeout time.Duration `yaml:"llm_timeout"`
	// LLMFirstTokenTimeout bounds the wait for a streamed answer's first
	// token; past it the bot answers extractively. A server that accepts
	// the request and never answers would otherwise keep the user
	// waiting for all of LLMTimeout. Default: 10s.
	LLMFirstTokenTimeout time.Duration `yaml:"llm_first_token_timeout"`
	// MaxConcurrentLLM bounds LLM calls in flight across all channels.
	// Default: 8.
	MaxConcurrentLLM int `yaml:"max_concurrent_llm"`
	// PublicURL is the help center's base URL for article links, e.g.
	// https://help.example.com. Default: "" (relative links /en/articles/x).
	PublicURL string `yaml:"public_url"`
	// LinkSecret signs account-link tokens (Telegram /start <token>,
	// Discord /link). Empty disables linking. Env SUPPORTBOT_BOT_LINK_SECRET.
	LinkSecret string `yaml:"link_secret"`
}

// SetDefaults fills unset fields.
func (c *Config) SetDefaults() {
	if c.DefaultLang == "" {
		c.DefaultLang = "en"
	}
	if c.MaxMessageRunes == 0 {
		c.MaxMessageRunes = 4000
	}
	if c.TopK == 0 {
		c.TopK = 5
	}
	if c.MemoryTurns == 0 {
		c.MemoryTurns = 20
	}
	if c.MessageTimeout == 0 {
		c.MessageTimeout = 60 * time.Second
	}
	if c.LLMTimeout == 0 {
		c.LLMTimeout = 30 * time.Second
	}
	if c.LLMFirstTokenTimeout == 0 {
		c.LLMFirstTokenTimeout = 10 * time.Second
	}
	if c.MaxConcurrentLLM == 0 {
		c.MaxConcurrentLLM = 8
	}
}

// Package telegram is the Telegram channel, on github.com/go-telegram/bot.
package telegram

// Config configures the Telegram connector. Without a Token it stays off.
type Config struct {
	// Token is the bot token from BotFather (env SUPPORTBOT_TELEGRAM_TOKEN).
	Token string `yaml:"token"`
}

// SetDefaults fills unset fields with their documented defaults.
func (c *Config) SetDefaults() {}

// Package discord is the Discord channel, on github.com/bwmarrin/discordgo.
package discord

// Config configures the Discord connector. Without a Token it stays off.
type Config struct {
	// Token is the bot token (env SUPPORTBOT_DISCORD_TOKEN).
	Token string `yaml:"token"`
}

// SetDefaults fills unset fields with their documented defaults.
func (c *Config) SetDefaults() {}

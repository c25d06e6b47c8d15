// Package discord is the Discord channel of supportbot, on
// github.com/bwmarrin/discordgo.
//
// Users talk to the bot in direct messages, or mention it in the guild's
// support channels; each conversation started in a support channel moves
// into its own thread so the channel stays readable. Slash commands (/ask,
// /human, /ticket, /status, /lang, /link, /help) are registered at start
// with names and descriptions in every supported language Discord has.
// Answers carry buttons (helpful, not helpful, talk to a human, CSAT
// ratings) and embeds for the help-center articles they cite.
//
// Messages reach the Handler through the gateway. After a dropped
// connection discordgo resumes the session and Discord replays what was
// missed; when a session cannot be resumed (or after a restart), the
// connector reads back, over REST, the messages of the conversations it
// was serving since the last one it finished, so none is lost. Repeats are
// harmless: the engine answers a given message id once and the connector
// does not send a reply marked Duplicate.
package discord

import (
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// Config configures the Discord connector. Without a Token it stays off.
// Every field can be set from the environment as
// SUPPORTBOT_DISCORD_<FIELD>, e.g. SUPPORTBOT_DISCORD_SUPPORT_CHANNELS=1,2.
type Config struct {
	// Token is the bot token from the Developer Portal
	// (env SUPPORTBOT_DISCORD_TOKEN). It is never logged.
	Token string `yaml:"token"`
	// SupportChannels are the ids of the guild text channels in which the
	// bot answers when mentioned (and where /ask opens a thread).
	// Default: none (direct messages and slash commands in DMs only).
	SupportChannels []string `yaml:"support_channels"`
	// Guilds are guild ids to register the slash commands in; registration
	// per guild takes effect at once, which suits a single community
	// server. Default: none, which registers them globally (for every
	// guild the bot is in, and for DMs).
	Guilds []string `yaml:"guilds"`
	// Commands: "register" (the default) overwrites the bot's slash
	// commands at start with this version's; "off" leaves them alone, e.g.
	// when another process or shard registers them. Only shard 0
	// registers.
	Commands string `yaml:"commands"`
	// PrivateThreads makes the threads the bot opens private (only the
	// user, the bot and moderators see them) instead of public threads
	// started from the user's message. Useful when users discuss their
	// accounts. Default: false.
	PrivateThreads bool `yaml:"private_threads"`
	// ThreadArchiveMinutes is how long a thread stays open without
	// activity: 60, 1440, 4320 or 10080. Default: 1440 (a day).
	ThreadArchiveMinutes int `yaml:"thread_archive_minutes"`

	// ShardID and ShardCount split a large bot's guilds between processes
	// (Discord requires sharding beyond 2,500 guilds). Each process runs
	// one shard, 0 <= ShardID < ShardCount; direct messages go to shard 0.
	// Default: 0 of 1.
	ShardID    int `yaml:"shard_id"`
	ShardCount int `yaml:"shard_count"`

	// Workers bounds how many messages are handled at once; messages of
	// one conversation are always handled one at a time, in order.
	// Default: 8.
	Workers int `yaml:"workers"`
	// MaxAttachmentBytes is the largest file taken from a user; larger
	// ones are refused without being downloaded. Default: 10 MiB, as for
	// tickets.
	MaxAttachmentBytes int64 `yaml:"max_attachment_bytes"`
	// MaxAttachments is how many files one message may carry. Default: 10.
	MaxAttachments int `yaml:"max_attachments"`
	// AttachmentTypes are the accepted content types, as sniffed from the
	// content (never from the file name or Discord's claim).
	// Default: image/png, image/jpeg, image/gif, image/webp, application/pdf.
	AttachmentTypes []string `yaml:"attachment_types"`

	// BackfillWindow is how far back the connector reads missed messages
	// after a restart or a session that could not be resumed. Older
	// messages are left unanswered (the question is probably stale).
	// Default: 6h. Negative disables backfill.
	BackfillWindow time.Duration `yaml:"backfill_window"`
	// ShutdownTimeout bounds how long replies in flight may finish when
	// the connector stops. Default: 10s.
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"`

	// APIURL is the base URL of Discord's HTTP API, or of a REST proxy
	// that shares rate limits between shards (such as nirn-proxy), or of a
	// local fake in tests. Files are then also downloaded from its host.
	// Default: https://discord.com.
	APIURL string `yaml:"api_url"`
	// PublicURL is the help center's base URL, for article links that the
	// engine gives as relative paths (Discord shows only absolute links).
	// Default: empty; cmd/supportbot sets http.public_url.
	PublicURL string `yaml:"public_url"`
}

// Defaults.
const (
	DefaultAPIURL             = "https://discord.com"
	defaultMaxAttachmentBytes = 10 << 20
)

var defaultAttachmentTypes = []string{"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"}

// SetDefaults fills unset fields with their documented defaults.
func (c *Config) SetDefaults() {
	if c.Commands == "" {
		c.Commands = "register"
	}
	if c.ThreadArchiveMinutes == 0 {
		c.ThreadArchiveMinutes = 1440
	}
	if c.ShardCount == 0 {
		c.ShardCount = 1
	}
	if c.Workers == 0 {
		c.Workers = 8
	}
	if c.MaxAttachmentBytes == 0 {
		c.MaxAttachmentBytes = defaultMaxAttachmentBytes
	}
	if c.MaxAttachments == 0 {
		c.MaxAttachments = 10
	}
	if len(c.AttachmentTypes) == 0 {
		c.AttachmentTypes = append([]string(nil), defaultAttachmentTypes...)
	}
	if c.BackfillWindow == 0 {
		c.BackfillWindow = 6 * time.Hour
	}
	if c.ShutdownTimeout == 0 {
		c.ShutdownTimeout = 10 * time.Second
	}
	if c.APIURL == "" {
		c.APIURL = DefaultAPIURL
	}
}

// Validate reports the first setting that cannot work, after defaults.
func (c *Config) Validate() error {
	if c.Token == "" {
		return fmt.Errorf("discord: no token")
	}
	if c.ShardCount < 1 || c.ShardID < 0 || c.ShardID >= c.ShardCount {
		return fmt.Errorf("discord: shard_id %d must be in [0, shard_count %d)", c.ShardID, c.ShardCount)
	}
	switch c.ThreadArchiveMinutes {
	case 60, 1440, 4320, 10080:
	default:
		return fmt.Errorf("discord: thread_archive_minutes must be 60, 1440, 4320 or 10080, not %d", c.ThreadArchiveMinutes)
	}
	switch c.Commands {
	case "register", "off":
	default:
		return fmt.Errorf("discord: commands must be register or off, not %q", c.Commands)
	}
	for _, list := range [][]string{c.SupportChannels, c.Guilds} {
		for _, id := range list {
			if _, err := strconv.ParseUint(id, 10, 64); err != nil {
				return fmt.Errorf("discord: %q is not a Discord id (a number; enable Developer Mode and use Copy ID)", id)
			}
		}
	}
	if c.Workers < 1 || c.MaxAttachments < 0 || c.MaxAttachmentBytes < 0 {
		return fmt.Errorf("discord: workers, max_attachments and max_attachment_bytes must be positive")
	}
	u, err := url.Parse(c.APIURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("discord: api_url %q is not an http(s) URL", c.APIURL)
	}
	return nil
}

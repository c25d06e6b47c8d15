package discordtest

import (
	"encoding/json"
	"time"
)

// The wire types of Discord's API, as much of them as the fake serves.
// Their JSON is Discord's (API v9); tests read them to see what the bot
// sent.

// User is a Discord user.
type User struct {
	ID            string `json:"id"`
	Username      string `json:"username"`
	GlobalName    string `json:"global_name,omitempty"`
	Discriminator string `json:"discriminator"`
	Bot           bool   `json:"bot,omitempty"`
}

// Member is a user's membership of a guild.
type Member struct {
	User     *User     `json:"user,omitempty"`
	Nick     string    `json:"nick,omitempty"`
	Roles    []string  `json:"roles"`
	JoinedAt time.Time `json:"joined_at"`
}

// Channel types.
const (
	ChannelText          = 0
	ChannelDM            = 1
	ChannelPublicThread  = 11
	ChannelPrivateThread = 12
)

// Channel is a guild channel, a thread or a DM channel.
type Channel struct {
	ID             string          `json:"id"`
	Type           int             `json:"type"`
	GuildID        string          `json:"guild_id,omitempty"`
	ParentID       string          `json:"parent_id,omitempty"`
	OwnerID        string          `json:"owner_id,omitempty"`
	Name           string          `json:"name,omitempty"`
	Recipients     []User          `json:"recipients,omitempty"`
	ThreadMetadata *ThreadMetadata `json:"thread_metadata,omitempty"`
	// Members are the thread's members' ids (not part of the wire object).
	Members []string `json:"-"`
}

// ThreadMetadata describes a thread.
type ThreadMetadata struct {
	Archived            bool   `json:"archived"`
	AutoArchiveDuration int    `json:"auto_archive_duration"`
	ArchiveTimestamp    string `json:"archive_timestamp"`
	Locked              bool   `json:"locked"`
	Invitable           bool   `json:"invitable"`
}

// Attachment is a file attached to a message.
type Attachment struct {
	ID          string `json:"id"`
	Filename    string `json:"filename"`
	ContentType string `json:"content_type,omitempty"`
	Size        int    `json:"size"`
	URL         string `json:"url"`
	ProxyURL    string `json:"proxy_url"`
}

// Embed is a rich embed.
type Embed struct {
	Type        string `json:"type,omitempty"`
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	URL         string `json:"url,omitempty"`
	Color       int    `json:"color,omitempty"`
}

// Component types and button styles.
const (
	ComponentActionRow = 1
	ComponentButton    = 2
	ButtonLink         = 5
)

// Component is an action row or a button.
type Component struct {
	Type       int         `json:"type"`
	Components []Component `json:"components,omitempty"`
	Style      int         `json:"style,omitempty"`
	Label      string      `json:"label,omitempty"`
	CustomID   string      `json:"custom_id,omitempty"`
	URL        string      `json:"url,omitempty"`
	Disabled   bool        `json:"disabled,omitempty"`
	Emoji      *Emoji      `json:"emoji,omitempty"`
}

// Emoji on a button.
type Emoji struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

// MessageReference points at the message a message replies to.
type MessageReference struct {
	MessageID       string `json:"message_id,omitempty"`
	ChannelID       string `json:"channel_id,omitempty"`
	GuildID         string `json:"guild_id,omitempty"`
	FailIfNotExists *bool  `json:"fail_if_not_exists,omitempty"`
}

// AllowedMentions says whom a message may ping.
type AllowedMentions struct {
	Parse       []string `json:"parse"`
	Users       []string `json:"users,omitempty"`
	Roles       []string `json:"roles,omitempty"`
	RepliedUser bool     `json:"replied_user"`
}

// Message flags.
const (
	FlagEphemeral = 1 << 6
	FlagLoading   = 1 << 7
)

// Message is a message in a channel. Messages are never changed in place:
// an edit stores a new value, so copies handed to tests stay valid.
type Message struct {
	ID               string            `json:"id"`
	ChannelID        string            `json:"channel_id"`
	GuildID          string            `json:"guild_id,omitempty"`
	Author           User              `json:"author"`
	Member           *Member           `json:"member,omitempty"`
	Content          string            `json:"content"`
	Timestamp        time.Time         `json:"timestamp"`
	Type             int               `json:"type"`
	Mentions         []User            `json:"mentions"`
	Attachments      []Attachment      `json:"attachments"`
	Embeds           []Embed           `json:"embeds"`
	Components       []Component       `json:"components"`
	Flags            int               `json:"flags"`
	Nonce            string            `json:"nonce,omitempty"`
	MessageReference *MessageReference `json:"message_reference,omitempty"`
	WebhookID        string            `json:"webhook_id,omitempty"`
	ApplicationID    string            `json:"application_id,omitempty"`

	// AllowedMentions is what the sender allowed to ping (not part of the
	// wire object).
	AllowedMentions *AllowedMentions `json:"-"`
	// InteractionID is the interaction this message answers, if any.
	InteractionID string `json:"-"`
}

// Buttons returns the message's buttons, row by row.
func (m Message) Buttons() []Component {
	var out []Component
	for _, row := range m.Components {
		out = append(out, row.Components...)
	}
	return out
}

// Interaction types.
const (
	InteractionCommand   = 2
	InteractionComponent = 3
)

// Interaction is a slash command or a button press, with what the bot
// answered.
type Interaction struct {
	ID        string
	Token     string
	Type      int
	ChannelID string
	GuildID   string
	User      User
	Locale    string
	Created   time.Time
	// Name and Options of a command; CustomID of a button.
	Name     string
	Options  map[string]any
	CustomID string

	// AckType is the callback type the bot answered with (0: none yet);
	// AckedAt is when.
	AckType int
	AckedAt time.Time
	// Original is the response message (the deferred one, once edited);
	// Followups are the follow-up messages.
	Original  *Message
	Followups []Message
}

// Command is a registered slash command.
type Command struct {
	ID                       string            `json:"id"`
	ApplicationID            string            `json:"application_id"`
	GuildID                  string            `json:"guild_id,omitempty"`
	Type                     int               `json:"type,omitempty"`
	Name                     string            `json:"name"`
	NameLocalizations        map[string]string `json:"name_localizations,omitempty"`
	Description              string            `json:"description"`
	DescriptionLocalizations map[string]string `json:"description_localizations,omitempty"`
	Options                  []CommandOption   `json:"options,omitempty"`
	DMPermission             *bool             `json:"dm_permission,omitempty"`
	Contexts                 []int             `json:"contexts,omitempty"`
	Version                  string            `json:"version"`
}

// CommandOption is an option of a slash command.
type CommandOption struct {
	Type                     int               `json:"type"`
	Name                     string            `json:"name"`
	NameLocalizations        map[string]string `json:"name_localizations,omitempty"`
	Description              string            `json:"description"`
	DescriptionLocalizations map[string]string `json:"description_localizations,omitempty"`
	Required                 bool              `json:"required,omitempty"`
	Choices                  []struct {
		Name  string `json:"name"`
		Value any    `json:"value"`
	} `json:"choices,omitempty"`
}

// Call is one REST request the fake received.
type Call struct {
	Method string
	Path   string // without /api/v9
	Query  string
	Body   []byte
	Status int
	Time   time.Time
}

// Identify is what a client sent in IDENTIFY.
type Identify struct {
	Token   string  `json:"token"`
	Intents int     `json:"intents"`
	Shard   *[2]int `json:"shard,omitempty"`
}

// Resume is what a client sent in RESUME.
type Resume struct {
	Token     string `json:"token"`
	SessionID string `json:"session_id"`
	Seq       int64  `json:"seq"`
}

// payload is a gateway message.
type payload struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  *int64          `json:"s,omitempty"`
	T  string          `json:"t,omitempty"`
}

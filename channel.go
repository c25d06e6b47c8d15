package supportbot

import "context"

// Address says where to reach a user: the channel, and the conversation in
// it (a Telegram chat, a Discord thread or DM channel, a web-chat session).
type Address struct {
	Channel        string
	ConversationID string
	UserID         string
}

// Channel is a connector: it receives users' messages, passes them to a
// Handler and sends replies back.
type Channel interface {
	// Name is the channel's name, as in Message.Channel.
	Name() string
	// Run receives messages until ctx is done; it returns nil then.
	Run(ctx context.Context, h Handler) error
	// Send delivers a reply that did not come from Handle (an agent's reply,
	// a ticket status change). It returns EUNAVAILABLE when the channel is
	// down and the caller should retry later, or another error when it
	// never will succeed (the user blocked the bot).
	Send(ctx context.Context, to Address, r Reply) error
}

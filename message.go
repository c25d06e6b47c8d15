package supportbot

import (
	"context"
	"time"
)

// Commands a user can give in any channel. Connectors map their own syntax
// (/human in Telegram, a slash command in Discord, a button in web chat) to
// these, so every channel behaves the same.
const (
	CmdStart  = "start"  // greet; Text may carry an account-link token
	CmdHelp   = "help"   // what the bot can do
	CmdLang   = "lang"   // Text is the language to switch to ("" lists them)
	CmdHuman  = "human"  // talk to a person now
	CmdTicket = "ticket" // open a ticket with Text as its description
	CmdStatus = "status" // the status of the user's tickets
)

// Message is one thing a user said, in any channel.
type Message struct {
	// ID identifies the message within its channel (a Telegram update id, a
	// Discord message id, a client-generated id in web chat). The engine
	// processes a given (Channel, ID) once; a repeat gets the first reply.
	ID string
	// Channel names the connector: "webchat", "telegram", "discord", "cli".
	Channel string
	// UserID is the user's id within the channel.
	UserID string
	// ConversationID groups the messages of one conversation: a Telegram
	// chat, a Discord thread or DM, a web-chat session.
	ConversationID string
	// Text is what the user wrote, or a command's argument.
	Text string
	// Command is one of the Cmd constants, or "" for plain text.
	Command string
	// Lang is the language the user chose, if any; it wins over detection.
	Lang string
	// HintLang is a weak hint (the browser's or client's language), used
	// when detection is not sure.
	HintLang string
	// Account is the verified exchange account id linked to this user, if
	// any (a signed web-chat identity, a linked Telegram or Discord user).
	// Protective actions such as freezing an account need it.
	Account string
	// DisplayName is how the user is called in the channel, for agents.
	DisplayName string
	// Attachments sent with the message.
	Attachments []Attachment
	// Time the message was sent; zero means now.
	Time time.Time
}

// Attachment is a file a user sent.
type Attachment struct {
	Name        string
	ContentType string // as sniffed from the content, not as claimed
	Data        []byte
}

// Decision is what the engine decided to do with a message.
type Decision string

// Decisions.
const (
	DecisionAnswer    Decision = "answer"    // answered from the help center
	DecisionClarify   Decision = "clarify"   // asked the user to say more
	DecisionEscalate  Decision = "escalate"  // handed to people as a ticket
	DecisionSmallTalk Decision = "smalltalk" // greeting, thanks, help, language
	DecisionStatus    Decision = "status"    // reported ticket status
	DecisionAgent     Decision = "agent"     // an agent's reply or a ticket notice
	DecisionReject    Decision = "reject"    // the input was refused (too large, not UTF-8)
)

// Reply is what the bot, or an agent through it, says back.
type Reply struct {
	// ID identifies the reply, for feedback.
	ID string
	// Text is Markdown (CommonMark, links allowed); connectors render or
	// escape it for their channel.
	Text string
	// Lang is the language of Text.
	Lang     string
	Decision Decision
	// Reason says why: "answered", "low_confidence", "asked_for_human",
	// "account_compromised", "negative_feedback", "repeated_question",
	// "always_human_topic", "llm_tool_call", ...
	Reason string
	// Citations are the help-center articles the answer comes from.
	Citations []Citation
	// Confidence is the calibrated probability that the top article answers
	// the question, in [0, 1].
	Confidence float64
	// TicketID is set when the reply concerns a ticket.
	TicketID string
	// Actions offered to the user as buttons where the channel has them.
	Actions []Action
	// Generated says an LLM wrote Text.
	Generated bool
	// Duplicate says the message was handled before (same Channel and ID):
	// this is the first reply again, and a connector that already sent it
	// should not send it twice.
	Duplicate bool
}

// Citation points at a help-center article.
type Citation struct {
	ArticleID string
	Title     string
	URL       string
	Lang      string
}

// Action is a button offered under a reply.
type Action struct {
	// Kind is "helpful", "not_helpful", "human" or "lang:<tag>".
	Kind  string
	Label string // localized
}

// Feedback is a user's rating of one reply.
type Feedback struct {
	ReplyID        string
	Channel        string
	UserID         string
	ConversationID string
	Helpful        bool
	Comment        string
}

// Handler answers users. *bot.Service implements it; connectors only see
// this interface.
type Handler interface {
	// Handle answers m. Errors are *Error with EINVALID or ETOOLARGE for bad
	// input; the engine turns every other failure into a polite reply.
	Handle(ctx context.Context, m Message) (Reply, error)
	// HandleStream is Handle that also passes the reply's text to emit as it
	// is produced (token by token with an LLM, in one piece otherwise).
	HandleStream(ctx context.Context, m Message, emit func(delta string)) (Reply, error)
	// Feedback records a rating of a reply. Two negative ratings in a row
	// escalate; the returned Reply (possibly empty) is for the user.
	Feedback(ctx context.Context, f Feedback) (Reply, error)
}

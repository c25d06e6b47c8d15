package webchat

import (
	"context"
	"strings"

	"github.com/supportbot/supportbot"
)

// Send delivers a reply that did not come from the engine answering a
// message (an agent's reply, a ticket notice, a CSAT request) to a web
// chat conversation: it is logged, so the visitor sees it after a reload
// or on their next visit, and pushed live to every tab that has the
// conversation open. A reply with an ID is logged once however often it is
// sent, so the escalator's retries are harmless. It returns ENOTFOUND for
// an unknown conversation, which no retry will fix.
func (s *Server) Send(ctx context.Context, to supportbot.Address, r supportbot.Reply) error {
	if to.Channel != "" && to.Channel != ChannelName {
		return supportbot.Errorf(supportbot.EINVALID, "Address is for channel %q, not webchat.", to.Channel)
	}
	c, err := s.store.conversation(ctx, to.ConversationID)
	if err != nil {
		return err
	}
	if strings.TrimSpace(r.Text) == "" && len(r.Actions) == 0 {
		return supportbot.Errorf(supportbot.EINVALID, "The reply is empty.")
	}
	role := RoleAgent
	if r.Decision != "" && r.Decision != supportbot.DecisionAgent {
		role = RoleBot
	}
	m := replyMessage(c.ID, role, r)
	dup, err := s.store.addMessage(ctx, m)
	if err != nil {
		return err
	}
	if !dup {
		base := strings.TrimRight(s.cfg.PublicURL, "/")
		s.decorate(m, base)
		s.hub.publish(c.ID, Event{Type: "message", Message: m})
		s.log.WithField("conversation_id", c.ID).WithField("ticket_id", r.TicketID).Debug("pushed a reply")
	}
	return nil
}

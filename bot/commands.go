package bot

import (
	"context"
	"strings"

	"github.com/supportbot/supportbot"
)

// command runs one of the supportbot.Cmd commands, the same in every
// channel.
func (s *Service) command(ctx context.Context, m *supportbot.Message, lang string) (supportbot.Reply, error) {
	arg := strings.TrimSpace(m.Text)
	small := func(key, reason string) supportbot.Reply {
		return supportbot.Reply{Text: T(lang, key), Lang: lang, Decision: supportbot.DecisionSmallTalk, Reason: reason}
	}
	switch m.Command {
	case supportbot.CmdStart:
		if arg != "" && s.cfg.LinkSecret != "" {
			return s.link(ctx, m, lang, arg)
		}
		r := small("greeting", "start")
		r.Actions = langActions()
		return r, nil
	case supportbot.CmdHelp:
		return small("help", "help"), nil
	case supportbot.CmdLang:
		l := supportbot.NormalizeLang(arg)
		if l == "" {
			r := small("lang_choose", "lang_menu")
			r.Actions = langActions()
			return r, nil
		}
		if err := s.store.SetUserLang(ctx, m.Channel, m.UserID, l); err != nil {
			return supportbot.Reply{}, err
		}
		return supportbot.Reply{Text: T(l, "lang_set"), Lang: l, Decision: supportbot.DecisionSmallTalk, Reason: "lang_set"}, nil
	case supportbot.CmdHuman:
		if t := s.openTicket(ctx, m); t != nil {
			return supportbot.Reply{Text: T(lang, "added_to_ticket", "ticket", ticketNo(t)), Lang: lang,
				Decision: supportbot.DecisionEscalate, Reason: "asked_for_human", TicketID: ticketNo(t)}, nil
		}
		history, err := s.store.RecentTurns(ctx, m.Channel, m.ConversationID, s.cfg.MemoryTurns)
		if err != nil {
			return supportbot.Reply{}, err
		}
		return s.escalate(ctx, m, lang, "asked_for_human", supportbot.PriorityNormal, "", history, nil)
	case supportbot.CmdTicket:
		if t := s.openTicket(ctx, m); t != nil {
			if arg != "" {
				if err := s.escalator.AddMessage(ctx, t.ID, *m); err != nil {
					return supportbot.Reply{}, err
				}
			}
			return supportbot.Reply{Text: T(lang, "added_to_ticket", "ticket", ticketNo(t)), Lang: lang,
				Decision: supportbot.DecisionEscalate, Reason: "added_to_ticket", TicketID: ticketNo(t)}, nil
		}
		history, err := s.store.RecentTurns(ctx, m.Channel, m.ConversationID, s.cfg.MemoryTurns)
		if err != nil {
			return supportbot.Reply{}, err
		}
		return s.escalate(ctx, m, lang, "user_opened_ticket", supportbot.PriorityNormal, "", history, nil)
	case supportbot.CmdStatus:
		return s.status(ctx, m, lang, Recognize("#"+arg).TicketID)
	}
	return supportbot.Reply{Text: T(lang, "unknown_command", "cmd", escapeMarkdown(truncate(m.Command, 32))), Lang: lang,
		Decision: supportbot.DecisionReject, Reason: "unknown_command"}, nil
}

// link binds the user to the exchange account in a signed one-time token.
func (s *Service) link(ctx context.Context, m *supportbot.Message, lang, token string) (supportbot.Reply, error) {
	r := supportbot.Reply{Lang: lang, Decision: supportbot.DecisionSmallTalk, Reason: "account_linked"}
	account, nonce, err := VerifyLinkToken(s.cfg.LinkSecret, token, s.now())
	if err == nil {
		err = s.store.LinkAccount(ctx, m.Channel, m.UserID, account, nonce)
	}
	if err != nil {
		if supportbot.ErrorCode(err) != supportbot.EINVALID {
			return supportbot.Reply{}, err
		}
		s.store.Audit(ctx, "link_account_refused", *m, err.Error())
		r.Reason, r.Decision, r.Text = "link_refused", supportbot.DecisionReject, T(lang, "link_bad")
		return r, nil
	}
	m.Account = account
	s.store.Audit(ctx, "link_account", *m, "")
	r.Text = T(lang, "link_ok")
	return r, nil
}

func langActions() []supportbot.Action {
	out := make([]supportbot.Action, len(supportbot.Languages))
	for i, l := range supportbot.Languages {
		out[i] = supportbot.Action{Kind: "lang:" + l, Label: supportbot.LanguageNames[l]}
	}
	return out
}

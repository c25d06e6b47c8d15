// Package bot is the conversation engine every channel uses: a message goes
// through validation and de-duplication, language detection, recognition of
// special requests (a human, a hacked account, ticket status, small talk),
// retrieval over the help center and a decision: answer, ask to clarify, or
// escalate to people, with the reason recorded.
package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/sirupsen/logrus"

	"github.com/supportbot/supportbot"
)

// Service is the engine. It implements supportbot.Handler.
type Service struct {
	cfg       Config
	store     *Store
	detector  Detector
	retriever supportbot.Retriever
	llm       supportbot.LLM       // nil: extractive answers only
	escalator supportbot.Escalator // nil: no tickets (CLI, eval)
	log       logrus.FieldLogger
	metrics   *metrics
	llmSem    chan struct{}
	now       func() time.Time
}

// Deps are the Service's collaborators. Retriever, Store and Detector are
// required; LLM and Escalator are optional.
type Deps struct {
	Store     *Store
	Detector  Detector
	Retriever supportbot.Retriever
	LLM       supportbot.LLM
	Escalator supportbot.Escalator
	Log       logrus.FieldLogger
	// Metrics registers the engine's Prometheus metrics; nil skips them.
	Metrics prometheus.Registerer
}

// New returns a Service. It does no I/O.
func New(cfg Config, d Deps) *Service {
	cfg.SetDefaults()
	log := d.Log
	if log == nil {
		l := logrus.New()
		l.Out = discard{}
		log = l
	}
	return &Service{cfg: cfg, store: d.Store, detector: d.Detector, retriever: d.Retriever, llm: d.LLM,
		escalator: d.Escalator, log: log, metrics: newMetrics(d.Metrics), llmSem: make(chan struct{}, cfg.MaxConcurrentLLM),
		now: time.Now}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// Store returns the engine's store, for feedback and audit listings.
func (s *Service) Store() *Store { return s.store }

// Handle implements supportbot.Handler.
func (s *Service) Handle(ctx context.Context, m supportbot.Message) (supportbot.Reply, error) {
	return s.HandleStream(ctx, m, nil)
}

// HandleStream implements supportbot.Handler.
func (s *Service) HandleStream(ctx context.Context, m supportbot.Message, emit func(string)) (supportbot.Reply, error) {
	start := s.now()
	ctx, cancel := context.WithTimeout(ctx, s.cfg.MessageTimeout)
	defer cancel()

	if err := s.validate(m); err != nil {
		return supportbot.Reply{}, err
	}
	if m.ID != "" {
		prev, seen, err := s.store.Claim(ctx, m.Channel, m.ID)
		if err != nil {
			return supportbot.Reply{}, err
		}
		if seen {
			prev.Duplicate = true
			return *prev, nil
		}
	}

	r, err := s.handle(ctx, &m, emit)
	if err != nil {
		// Unexpected failure: keep the message claimable for a retry, and
		// answer politely rather than with raw errors.
		if m.ID != "" {
			s.store.Release(context.WithoutCancel(ctx), m.Channel, m.ID)
		}
		s.log.WithError(err).WithFields(logrus.Fields{"channel": m.Channel, "conversation_id": m.ConversationID}).
			Error("handle message")
		return supportbot.Reply{}, err
	}
	r.ID = newID()
	if r.Decision == supportbot.DecisionAnswer || r.Decision == supportbot.DecisionClarify {
		r.Actions = append(r.Actions,
			supportbot.Action{Kind: "helpful", Label: T(r.Lang, "action.helpful")},
			supportbot.Action{Kind: "not_helpful", Label: T(r.Lang, "action.not_helpful")})
	}
	if r.TicketID == "" && r.Decision != supportbot.DecisionEscalate {
		r.Actions = append(r.Actions, supportbot.Action{Kind: "human", Label: T(r.Lang, "action.human")})
	}
	if emit != nil && !r.Generated {
		emit(r.Text)
	}
	if err := s.store.SaveExchange(context.WithoutCancel(ctx), m, r); err != nil {
		return supportbot.Reply{}, fmt.Errorf("save exchange: %w", err)
	}
	s.metrics.observe(m.Channel, r, s.now().Sub(start))
	s.log.WithFields(logrus.Fields{"channel": m.Channel, "conversation_id": m.ConversationID, "lang": r.Lang,
		"decision": r.Decision, "reason": r.Reason, "confidence": r.Confidence, "ticket_id": r.TicketID}).Info("answered")
	return r, nil
}

// validate rejects what cannot be processed, with a message the user can
// act on (in the language we can guess).
func (s *Service) validate(m supportbot.Message) error {
	lang := supportbot.NormalizeLang(m.Lang)
	if lang == "" {
		lang = s.cfg.DefaultLang
	}
	if m.Channel == "" || m.ConversationID == "" || m.UserID == "" {
		return supportbot.Errorf(supportbot.EINVALID, "message needs a channel, a conversation and a user")
	}
	if !utf8.ValidString(m.Text) {
		return supportbot.Errorf(supportbot.EINVALID, "%s", T(lang, "invalid_text"))
	}
	if n := utf8.RuneCountInString(m.Text); n > s.cfg.MaxMessageRunes {
		return supportbot.Errorf(supportbot.ETOOLARGE, "%s",
			T(lang, "too_long", "n", strconv.Itoa(n), "max", strconv.Itoa(s.cfg.MaxMessageRunes)))
	}
	return nil
}

// handle decides what to do with a valid, new message.
func (s *Service) handle(ctx context.Context, m *supportbot.Message, emit func(string)) (supportbot.Reply, error) {
	user, err := s.store.GetUser(ctx, m.Channel, m.UserID)
	if err != nil {
		return supportbot.Reply{}, err
	}
	if m.Account == "" {
		m.Account = user.Account
	}
	history, err := s.store.RecentTurns(ctx, m.Channel, m.ConversationID, s.cfg.MemoryTurns)
	if err != nil {
		return supportbot.Reply{}, err
	}
	convLang := user.Lang
	if convLang == "" && len(history) > 0 {
		convLang = history[len(history)-1].Lang
	}
	explicit := m.Lang
	if explicit == "" {
		explicit = user.Lang
	}
	detected, conf := "", 0.0
	// A command's argument is prose only for /ticket and /human; for the
	// others it is a token, a language code or a ticket number, and
	// "detecting" the language of a random link token answers the user in
	// a random language.
	prose := m.Command == "" || m.Command == supportbot.CmdTicket || m.Command == supportbot.CmdHuman
	// A chosen language needs no detection: its result would be thrown
	// away, and the first detection of Latin-script text loads lingua's
	// models (about 100 MB, 0.3 s).
	if explicit == "" && prose && letters(m.Text) >= 2 {
		detected, conf = s.detector.Detect(ctx, m.Text)
	}
	// A language the user chose (for this message, or with /lang) wins.
	lang := chooseLang(explicit, detected, conf, convLang, m.HintLang)
	if lang == "" {
		lang = s.cfg.DefaultLang
	}

	if m.Command != "" {
		return s.command(ctx, m, lang)
	}
	text := strings.TrimSpace(m.Text)
	if !hasWord(text) && len(m.Attachments) == 0 {
		// Nothing to answer: blank, zero-width characters, emoji or
		// punctuation only (QA: "😀😀🙏" was "clarified" with the
		// hacked-account article as the first suggestion).
		return supportbot.Reply{Text: T(lang, "empty"), Lang: lang, Decision: supportbot.DecisionReject, Reason: "empty"}, nil
	}

	rec := Recognize(text)
	if explicit == "" {
		// Small talk names its language by its words (Recognition.Lang);
		// which Chinese script, the detector tells.
		if rec.Lang == "zh" && strings.HasPrefix(detected, "zh") {
			lang = detected
		} else if rec.Lang != "" && rec.Lang != "zh" {
			lang = rec.Lang
		}
	}
	switch rec.Intent {
	case IntentUndo:
		return s.refuseUndo(ctx, m, lang, history)
	case IntentCompromised:
		return s.compromised(ctx, m, lang, history)
	}

	// While people work on the conversation, the user's messages go to
	// the ticket instead of being answered by the bot.
	if t := s.openTicket(ctx, m); t != nil && rec.Intent != IntentStatus {
		if err := s.escalator.AddMessage(ctx, t.ID, *m); err != nil {
			return supportbot.Reply{}, fmt.Errorf("add to ticket: %w", err)
		}
		return supportbot.Reply{Text: T(lang, "added_to_ticket", "ticket", ticketNo(t)), Lang: lang,
			Decision: supportbot.DecisionEscalate, Reason: "added_to_ticket", TicketID: ticketNo(t)}, nil
	}

	switch rec.Intent {
	case IntentHuman:
		return s.escalate(ctx, m, lang, "asked_for_human", supportbot.PriorityNormal, "", history, nil)
	case IntentStatus:
		return s.status(ctx, m, lang, rec.TicketID)
	case IntentGreeting:
		return supportbot.Reply{Text: T(lang, "greeting"), Lang: lang, Decision: supportbot.DecisionSmallTalk, Reason: "greeting"}, nil
	case IntentThanks:
		return supportbot.Reply{Text: T(lang, "thanks"), Lang: lang, Decision: supportbot.DecisionSmallTalk, Reason: "thanks"}, nil
	case IntentAck:
		return supportbot.Reply{Text: T(lang, "ack"), Lang: lang, Decision: supportbot.DecisionSmallTalk, Reason: string(IntentAck)}, nil
	}
	if text == "" { // attachments alone: a person has to look at them
		return s.escalate(ctx, m, lang, "attachment", supportbot.PriorityNormal, "", history, nil)
	}
	if kw := s.alwaysHumanKeyword(text); kw != "" {
		return s.escalate(ctx, m, lang, "always_human_topic", supportbot.PriorityHigh, "", history, nil)
	}
	return s.answer(ctx, m, lang, text, history, emit)
}

// Decide runs retrieval and the answer decision for text, without memory
// or side effects: what `supportbot eval` measures. It is the same code
// path as answer.
func (s *Service) Decide(ctx context.Context, text, lang string) (supportbot.Result, supportbot.Decision, string, error) {
	q := Question(text)
	res, err := s.retrieve(ctx, q, lang)
	if err != nil {
		return res, "", "", err
	}
	if rec := Recognize(text); rec.Intent == IntentCompromised || rec.Intent == IntentUndo || rec.Intent == IntentHuman {
		return res, supportbot.DecisionEscalate, string(rec.Intent), nil
	}
	d, reason := s.decide(q, res)
	return res, d, reason, nil
}

func (s *Service) retrieve(ctx context.Context, text, lang string) (supportbot.Result, error) {
	start := s.now()
	res, err := s.retriever.Retrieve(ctx, supportbot.Query{Text: text, Lang: lang, K: s.cfg.TopK})
	s.metrics.retrieval.Observe(s.now().Sub(start).Seconds())
	return res, err
}

// Threshold is the calibrated confidence the engine needs to answer.
func (s *Service) Threshold() float64 { return s.threshold() }

// threshold is the confidence needed to answer.
func (s *Service) threshold() float64 {
	if s.cfg.AnswerThreshold > 0 {
		return s.cfg.AnswerThreshold
	}
	if r, ok := s.retriever.(interface{ AbstainThreshold() float64 }); ok {
		if t := r.AbstainThreshold(); t > 0 {
			return t
		}
	}
	return 0.5
}

// decide turns a retrieval result into answer, clarify or escalate.
// Clarifying is for short, vague messages ("withdrawal"), where asking
// which of the likely articles is meant beats guessing; a full question
// the help center cannot answer goes to people.
func (s *Service) decide(text string, res supportbot.Result) (supportbot.Decision, string) {
	if len(res.Hits) == 0 {
		return supportbot.DecisionEscalate, "low_confidence"
	}
	// "help" names no topic: whatever article scores best, asking which
	// of the likely ones is meant beats answering with it.
	if isGenericRequest(text) && len(res.Hits) >= 2 {
		return supportbot.DecisionClarify, "vague_question"
	}
	if res.Confidence >= s.threshold() {
		if s.alwaysHumanCategory(res.Hits[0].Category) {
			return supportbot.DecisionEscalate, "always_human_topic"
		}
		return supportbot.DecisionAnswer, "answered"
	}
	if isVague(text) && len(res.Hits) >= 2 {
		return supportbot.DecisionClarify, "vague_question"
	}
	return supportbot.DecisionEscalate, "low_confidence"
}

// isVague: at most two words, or at most six CJK characters.
// genericRequest matches a message that only asks for help, in the 11
// languages, with "please" and punctuation around it.
var genericRequest = regexp.MustCompile(`^(?i)\s*(please\s+)?(help( me)?|i need help|support|sos|question|problem|` +
	`帮助|帮帮我|求助|幫助|幫幫我|求救|助けて|ヘルプ|質問があります|도와주세요|도움|도움이 필요해요|помогите|помощь|нужна помощь|` +
	`ayuda|ay[uú]dame|necesito ayuda|ajuda|me ajuda|preciso de ajuda|aide|aidez-moi|besoin d'aide|` +
	`giúp|giúp tôi|giúp với|cứu|yard[ıi]m|yard[ıi]m edin|yard[ıi]m lazım)(\s+please)?[\s!?.。！？]*$`)

// isGenericRequest says text only asks for help, naming no topic.
func isGenericRequest(text string) bool {
	return genericRequest.MatchString(strings.TrimSpace(text))
}

func isVague(text string) bool {
	if letters(text) == 0 {
		return false
	}
	words := strings.Fields(text)
	cjk := 0
	for _, r := range text {
		if r >= 0x2E80 {
			cjk++
		}
	}
	if cjk > 0 {
		return cjk <= 6 && len(words) <= 2
	}
	return len(words) <= 2
}

func (s *Service) answer(ctx context.Context, m *supportbot.Message, lang, text string, history []turn,
	emit func(string)) (supportbot.Reply, error) {
	if prev := repeatedQuestion(text, history); prev {
		return s.escalate(ctx, m, lang, "repeated_question", supportbot.PriorityNormal, "", history, nil)
	}
	q := Question(text)
	res, err := s.retrieve(ctx, q, lang)
	if err != nil {
		return supportbot.Reply{}, fmt.Errorf("retrieve: %w", err)
	}
	decision, reason := s.decide(q, res)
	if decision != supportbot.DecisionAnswer {
		if r, ok, err := s.followUp(ctx, q, lang, history); err != nil {
			return supportbot.Reply{}, err
		} else if ok {
			res, decision, reason = r, supportbot.DecisionAnswer, "answered_in_context"
		}
	}
	switch decision {
	case supportbot.DecisionEscalate:
		return s.escalate(ctx, m, lang, reason, supportbot.PriorityNormal, categoryOf(res), history, &res)
	case supportbot.DecisionClarify:
		return s.clarify(lang, res), nil
	}
	top := res.Hits[0]
	r := supportbot.Reply{Lang: lang, Decision: supportbot.DecisionAnswer, Reason: reason, Confidence: res.Confidence}
	if s.llm != nil {
		gen, cites, esc, err := s.generative(ctx, lang, text, lastTurns(history, 6), res.Hits, emit)
		switch {
		case esc:
			return s.escalate(ctx, m, lang, "llm_tool_call", supportbot.PriorityNormal, categoryOf(res), history, &res)
		case err == nil:
			r.Text, r.Citations, r.Generated = gen, cites, true
			return r, nil
		default:
			s.log.WithError(err).WithFields(logrus.Fields{"channel": m.Channel, "conversation_id": m.ConversationID}).
				Warn("llm failed, answering extractively")
			s.metrics.llmFallbacks.Inc()
		}
	}
	r.Text = s.extractive(lang, top)
	r.Citations = []supportbot.Citation{s.citation(top)}
	return r, nil
}

// followUp answers a question that is not sure on its own and refers back
// (refersBack: "how long does it usually take?") as a follow-up of the
// conversation's last answer ("why is my withdrawal still pending?"): it
// asks again with the question that answer was for in front, and takes
// the result only if that is sure and about the same article. A question
// that names a new topic is not pulled into the old one, which the two
// questions together would favour whatever the new one says.
func (s *Service) followUp(ctx context.Context, q, lang string, history []turn) (supportbot.Result, bool, error) {
	if !refersBack(q) {
		return supportbot.Result{}, false, nil
	}
	var prev *turn
	for i := len(history) - 1; i >= 1; i-- {
		if history[i].Role == "bot" {
			if history[i].Decision == string(supportbot.DecisionAnswer) && len(history[i].ArticleIDs) > 0 &&
				history[i-1].Role == "user" && s.now().Sub(history[i].Time) < followUpWindow {
				prev = &history[i]
				q = history[i-1].Text + "\n" + q
			}
			break
		}
	}
	if prev == nil {
		return supportbot.Result{}, false, nil
	}
	res, err := s.retrieve(ctx, q, lang)
	if err != nil {
		return res, false, fmt.Errorf("retrieve: %w", err)
	}
	if d, _ := s.decide(q, res); d != supportbot.DecisionAnswer || res.Hits[0].ArticleID != prev.ArticleIDs[0] {
		return res, false, nil
	}
	return res, true, nil
}

// followUpWindow is how long after an answer a question may follow it up.
const followUpWindow = 30 * time.Minute

func (s *Service) clarify(lang string, res supportbot.Result) supportbot.Reply {
	var b strings.Builder
	b.WriteString(T(lang, "clarify"))
	b.WriteString("\n\n")
	var cites []supportbot.Citation
	for i, h := range res.Hits {
		if i == 3 {
			break
		}
		fmt.Fprintf(&b, "%d. [%s](%s)\n", i+1, escapeLinkText(h.Title), s.articleURL(h))
		cites = append(cites, s.citation(h))
	}
	b.WriteString("\n")
	b.WriteString(T(lang, "clarify_more"))
	return supportbot.Reply{Text: b.String(), Lang: lang, Decision: supportbot.DecisionClarify, Reason: "vague_question",
		Citations: cites, Confidence: res.Confidence}
}

// escalate hands the conversation to people. Without an escalator (CLI,
// eval) the user is told how to reach support instead.
func (s *Service) escalate(ctx context.Context, m *supportbot.Message, lang, reason string, prio supportbot.Priority,
	category string, history []turn, res *supportbot.Result) (supportbot.Reply, error) {
	r := supportbot.Reply{Lang: lang, Decision: supportbot.DecisionEscalate, Reason: reason}
	if res != nil {
		r.Confidence = res.Confidence
	}
	if s.escalator == nil {
		// No desk to hand over to (the CLI, or a deployment without
		// escalation): say so rather than promise a ticket.
		r.Text = T(lang, "escalation_unavailable")
		if reason == "asked_for_human" || reason == "user_opened_ticket" {
			r.Text = T(lang, "human_unavailable")
		}
		return r, nil
	}
	t, err := s.escalator.Escalate(ctx, supportbot.Escalation{Message: *m, Lang: lang, Reason: reason, Priority: prio,
		Category: category, Subject: subject(m.Text, history), Transcript: transcript(history)})
	if err != nil {
		return supportbot.Reply{}, fmt.Errorf("escalate: %w", err)
	}
	key := "escalated"
	if reason == "asked_for_human" || reason == "user_opened_ticket" {
		key = "escalated_human"
	}
	r.TicketID = ticketNo(t)
	r.Text = T(lang, key, "ticket", r.TicketID, "sla", s.slaText(lang, t))
	return r, nil
}

// compromised runs the hacked-account playbook: protect the account if it
// is linked, open an urgent ticket, and tell the user what to do next.
func (s *Service) compromised(ctx context.Context, m *supportbot.Message, lang string, history []turn) (supportbot.Reply, error) {
	r := supportbot.Reply{Lang: lang, Decision: supportbot.DecisionEscalate, Reason: string(IntentCompromised)}
	ticket := ""
	var t *supportbot.Ticket
	if s.escalator != nil {
		var err error
		t, err = s.escalator.Escalate(ctx, supportbot.Escalation{Message: *m, Lang: lang, Reason: r.Reason,
			Priority: supportbot.PriorityUrgent, Category: "recovery", Subject: subject(m.Text, history),
			Transcript: transcript(history)})
		if err != nil {
			return supportbot.Reply{}, fmt.Errorf("escalate compromised account: %w", err)
		}
		ticket = ticketNo(t)
		r.TicketID = ticket
	}
	frozen := false
	if m.Account != "" && s.escalator != nil {
		err := s.escalator.ProtectAccount(ctx, supportbot.Protection{Action: "freeze_account", Account: m.Account,
			TicketID: t.ID, IdempotencyKey: fmt.Sprintf("freeze:%s:%d", m.Account, t.ID), Reason: r.Reason,
			Channel: m.Channel, UserID: m.UserID})
		detail := "ticket " + ticket
		if err != nil {
			detail += ": " + supportbot.ErrorMessage(err)
			s.log.WithError(err).WithFields(logrus.Fields{"channel": m.Channel, "ticket_id": ticket}).Error("freeze account failed")
			s.store.Audit(ctx, "freeze_account_failed", *m, detail)
		} else {
			frozen = true
			s.store.Audit(ctx, "freeze_account", *m, detail)
		}
	}
	switch {
	case frozen:
		r.Text = T(lang, "compromised_frozen", "ticket", ticket)
	case t == nil:
		r.Text = T(lang, "compromised_no_desk")
	default:
		r.Text = T(lang, "compromised_self", "ticket", ticket)
	}
	// Cite the help center's recovery article when retrieval finds one.
	if res, err := s.retrieve(ctx, m.Text, lang); err == nil && len(res.Hits) > 0 {
		r.Citations = []supportbot.Citation{s.citation(res.Hits[0])}
		r.Confidence = res.Confidence
		r.Text += "\n\n" + T(lang, "read_more", "title", escapeLinkText(res.Hits[0].Title), "url", s.articleURL(res.Hits[0]))
	}
	return r, nil
}

// refuseUndo answers a request to weaken protection. The bot has no action
// that unfreezes, removes 2FA or changes addresses, whatever the prompt;
// the attempt is audit-logged and noted on the ticket for an agent.
func (s *Service) refuseUndo(ctx context.Context, m *supportbot.Message, lang string, history []turn) (supportbot.Reply, error) {
	s.store.Audit(ctx, "refused_undo_protection", *m, truncate(m.Text, 500))
	s.log.WithFields(logrus.Fields{"channel": m.Channel, "conversation_id": m.ConversationID}).
		Warn("refused a request to undo a protective action")
	r := supportbot.Reply{Text: T(lang, "refuse_undo"), Lang: lang, Decision: supportbot.DecisionReject,
		Reason: string(IntentUndo)}
	// The reply says the request was noted for an agent: it goes to the
	// user's open ticket, or opens one (QA: it was only logged, and no
	// agent ever saw it).
	if t := s.openTicket(ctx, m); t != nil {
		if err := s.escalator.AddMessage(ctx, t.ID, *m); err != nil {
			return supportbot.Reply{}, err
		}
		r.TicketID = ticketNo(t)
	} else if s.escalator != nil {
		t, err := s.escalator.Escalate(ctx, supportbot.Escalation{Message: *m, Lang: lang, Reason: string(IntentUndo),
			Priority: supportbot.PriorityHigh, Subject: subject(m.Text, history), Transcript: transcript(history)})
		if err != nil {
			return supportbot.Reply{}, fmt.Errorf("escalate: %w", err)
		}
		r.TicketID = ticketNo(t)
	}
	return r, nil
}

func (s *Service) status(ctx context.Context, m *supportbot.Message, lang string, asked int64) (supportbot.Reply, error) {
	r := supportbot.Reply{Lang: lang, Decision: supportbot.DecisionStatus, Reason: "ticket_status"}
	if s.escalator == nil {
		r.Text = T(lang, "status_none")
		return r, nil
	}
	ts, err := s.escalator.ListUserTickets(ctx, m.Channel, m.UserID)
	if err != nil {
		return supportbot.Reply{}, err
	}
	if asked != 0 {
		var mine []*supportbot.Ticket
		for _, t := range ts {
			if t.ID == asked {
				mine = append(mine, t)
			}
		}
		if len(mine) == 0 {
			// Asking for someone else's ticket gets the same answer as a
			// ticket that does not exist, and is logged.
			s.store.Audit(ctx, "refused_ticket_lookup", *m, "ticket "+strconv.FormatInt(asked, 10))
			r.Text = T(lang, "status_not_found", "ticket", strconv.FormatInt(asked, 10))
			return r, nil
		}
		ts = mine
	}
	if len(ts) == 0 {
		r.Text = T(lang, "status_none")
		return r, nil
	}
	var b strings.Builder
	b.WriteString(T(lang, "status_header"))
	for i, t := range ts {
		if i == 10 {
			break
		}
		fmt.Fprintf(&b, "\n- **#%d** %s: %s", t.ID, escapeMarkdown(t.Subject), T(lang, "status."+string(t.Status)))
	}
	r.Text = b.String()
	r.TicketID = ticketNo(ts[0])
	return r, nil
}

// Feedback implements supportbot.Handler. Two unhelpful ratings in a row
// in a conversation escalate it.
func (s *Service) Feedback(ctx context.Context, f supportbot.Feedback) (supportbot.Reply, error) {
	if !utf8.ValidString(f.Comment) {
		return supportbot.Reply{}, supportbot.Errorf(supportbot.EINVALID, "comment is not valid UTF-8")
	}
	if utf8.RuneCountInString(f.Comment) > 2000 {
		return supportbot.Reply{}, supportbot.Errorf(supportbot.ETOOLARGE, "comment is longer than 2000 characters")
	}
	rec, err := s.store.SaveFeedback(ctx, f)
	if err != nil {
		return supportbot.Reply{}, err
	}
	s.metrics.feedback.WithLabelValues(strconv.FormatBool(f.Helpful)).Inc()
	lang := rec.Lang
	if lang == "" {
		lang = s.cfg.DefaultLang
	}
	if f.Helpful {
		return supportbot.Reply{Text: T(lang, "feedback_thanks"), Lang: lang, Decision: supportbot.DecisionSmallTalk,
			Reason: "feedback"}, nil
	}
	last, err := s.store.recentFeedback(ctx, f.Channel, f.ConversationID, 2)
	if err != nil {
		return supportbot.Reply{}, err
	}
	m := supportbot.Message{Channel: f.Channel, UserID: f.UserID, ConversationID: f.ConversationID, Text: rec.Query}
	if len(last) == 2 && !last[0] && !last[1] && s.escalator != nil {
		if t := s.openTicket(ctx, &m); t == nil {
			history, _ := s.store.RecentTurns(ctx, f.Channel, f.ConversationID, s.cfg.MemoryTurns)
			r, err := s.escalate(ctx, &m, lang, "negative_feedback", supportbot.PriorityNormal, "", history, nil)
			if err == nil {
				r.ID = newID()
				s.metrics.decisions.WithLabelValues(string(r.Decision), r.Reason).Inc()
			}
			return r, err
		}
	}
	return supportbot.Reply{Text: T(lang, "feedback_sorry"), Lang: lang, Decision: supportbot.DecisionSmallTalk,
		Reason: "feedback", Actions: []supportbot.Action{{Kind: "human", Label: T(lang, "action.human")}}}, nil
}

func (s *Service) openTicket(ctx context.Context, m *supportbot.Message) *supportbot.Ticket {
	if s.escalator == nil {
		return nil
	}
	t, err := s.escalator.FindOpenTicket(ctx, m.Channel, m.ConversationID)
	if err != nil {
		if supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
			s.log.WithError(err).Warn("find open ticket")
		}
		return nil
	}
	return t
}

func (s *Service) alwaysHumanKeyword(text string) string {
	t := strings.ToLower(text)
	for _, kw := range s.cfg.AlwaysHumanKeywords {
		if kw != "" && strings.Contains(t, strings.ToLower(kw)) {
			return kw
		}
	}
	return ""
}

func (s *Service) alwaysHumanCategory(c string) bool {
	for _, x := range s.cfg.AlwaysHumanCategories {
		if strings.EqualFold(x, c) {
			return true
		}
	}
	return false
}

// slaText says when a person will reply, from the ticket's first-response
// due time, rounded up to something readable.
func (s *Service) slaText(lang string, t *supportbot.Ticket) string {
	d := time.Hour
	if !t.FirstResponseDue.IsZero() {
		d = t.FirstResponseDue.Sub(s.now())
	}
	if d <= 90*time.Minute {
		n := int((d + time.Minute - 1) / time.Minute)
		if n < 1 {
			n = 1
		}
		return T(lang, "duration_minutes", "n", strconv.Itoa(n))
	}
	return T(lang, "duration_hours", "n", strconv.Itoa(int((d+time.Hour-1)/time.Hour)))
}

func ticketNo(t *supportbot.Ticket) string { return strconv.FormatInt(t.ID, 10) }

func categoryOf(res supportbot.Result) string {
	if len(res.Hits) > 0 {
		return res.Hits[0].Category
	}
	return ""
}

// repeatedQuestion reports whether the user asks again what they asked
// in one of their last three messages: the answer did not help.
func repeatedQuestion(text string, history []turn) bool {
	t := normalizeText(text)
	if letters(t) < 8 {
		return false
	}
	seen := 0
	for i := len(history) - 1; i >= 0 && seen < 3; i-- {
		if history[i].Role != "user" {
			continue
		}
		seen++
		if similar(t, normalizeText(history[i].Text)) {
			return true
		}
	}
	return false
}

// similar compares by word sets (character sets for CJK): Jaccard >= 0.8.
func similar(a, b string) bool {
	sa, sb := tokenSet(a), tokenSet(b)
	if len(sa) == 0 || len(sb) == 0 {
		return false
	}
	inter := 0
	for k := range sa {
		if sb[k] {
			inter++
		}
	}
	return float64(inter)/float64(len(sa)+len(sb)-inter) >= 0.8
}

func tokenSet(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(s) {
		w = strings.Trim(w, ".,!?;:'\"()")
		cjk := false
		for _, r := range w {
			if r >= 0x2E80 {
				cjk = true
				out[string(r)] = true
			}
		}
		if !cjk && w != "" {
			out[w] = true
		}
	}
	return out
}

// hasWord says s has a letter or a digit.
func hasWord(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) >= 0
}

func letters(s string) int {
	n := 0
	for _, r := range s {
		if r > 0x2E80 || ('a' <= r|0x20 && r|0x20 <= 'z') || (r >= 0xC0 && r < 0x2E80 && r != 0xD7 && r != 0xF7) {
			n++
		}
	}
	return n
}

func lastTurns(h []turn, n int) []turn {
	if len(h) > n {
		return h[len(h)-n:]
	}
	return h
}

func transcript(history []turn) []supportbot.Turn {
	out := make([]supportbot.Turn, len(history))
	for i, t := range history {
		out[i] = supportbot.Turn{Role: t.Role, Text: t.Text, Time: t.Time}
	}
	return out
}

// subject is a ticket's title: the message, or the user's first question
// when the message is just "human please".
func subject(text string, history []turn) string {
	s := strings.TrimSpace(text)
	if Recognize(s).Intent == IntentHuman || letters(s) < 8 {
		for _, t := range history {
			if t.Role == "user" && letters(t.Text) >= 8 && !strings.HasPrefix(t.Text, "/") {
				s = t.Text
				break
			}
		}
	}
	return truncate(strings.Join(strings.Fields(s), " "), 120)
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

func escapeMarkdown(s string) string {
	return strings.NewReplacer(`\`, `\\`, `*`, `\*`, `_`, `\_`, "`", "\\`", `[`, `\[`, `]`, `\]`, `<`, `&lt;`).Replace(s)
}

func newID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

var _ supportbot.Handler = (*Service)(nil)

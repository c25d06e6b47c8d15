package telegram

import (
	"strconv"
	"strings"

	"github.com/supportbot/supportbot"
)

// The connector writes its own keyboard type instead of go-telegram's
// models.InlineKeyboardButton, whose CopyText field is a struct that
// encoding/json never omits: every button would carry an empty
// "copy_text", which Telegram may refuse (BUTTON_COPY_TEXT_INVALID).

type inlineKeyboard struct {
	InlineKeyboard [][]inlineButton `json:"inline_keyboard"`
}

type inlineButton struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data,omitempty"`
	URL          string `json:"url,omitempty"`
}

// Callback data, at most 64 bytes (Telegram's limit):
//
//	fb:1:<reply id>   helpful       fb:0:<reply id>   not helpful
//	human             talk to a person
//	lang:<tag>        choose a language
//	csat:<n>:<ticket> rate a solved ticket 1..5
//
// A modified client can send any data, so every field is checked again
// when it comes back, and the engine and the escalator check that the
// reply or ticket is the presser's.
const maxCallbackData = 64

// keyboard turns a reply's actions into inline buttons: feedback on one
// row, then "talk to a person", the languages three to a row, and the
// CSAT scores on one row. It returns nil when there is nothing to press.
func keyboard(r supportbot.Reply) *inlineKeyboard {
	var feedback, human, langs, csat []inlineButton
	for _, a := range r.Actions {
		label := a.Label
		switch {
		case a.Kind == "helpful" || a.Kind == "not_helpful":
			if r.ID == "" {
				continue
			}
			v, icon := "1", "👍"
			if a.Kind == "not_helpful" {
				v, icon = "0", "👎"
			}
			if label == "" {
				label = icon
			} else if !strings.HasPrefix(label, icon) {
				label = icon + " " + label
			}
			feedback = append(feedback, inlineButton{Text: label, CallbackData: "fb:" + v + ":" + r.ID})
		case a.Kind == "human":
			if label == "" {
				label = "🙋"
			}
			human = append(human, inlineButton{Text: label, CallbackData: "human"})
		case strings.HasPrefix(a.Kind, "lang:"):
			tag := strings.TrimPrefix(a.Kind, "lang:")
			if !supportbot.IsLanguage(tag) {
				continue
			}
			if label == "" {
				label = supportbot.LanguageNames[tag]
			}
			langs = append(langs, inlineButton{Text: label, CallbackData: a.Kind})
		case strings.HasPrefix(a.Kind, "csat:"):
			n, err := strconv.Atoi(strings.TrimPrefix(a.Kind, "csat:"))
			if err != nil || n < 1 || n > 5 || r.TicketID == "" {
				continue
			}
			if label == "" {
				label = strings.Repeat("★", n)
			}
			csat = append(csat, inlineButton{Text: label, CallbackData: a.Kind + ":" + r.TicketID})
		}
	}
	var kb inlineKeyboard
	add := func(row []inlineButton) {
		var ok []inlineButton
		for _, b := range row {
			if len(b.CallbackData) <= maxCallbackData {
				ok = append(ok, b)
			}
		}
		if len(ok) > 0 {
			kb.InlineKeyboard = append(kb.InlineKeyboard, ok)
		}
	}
	add(feedback)
	add(human)
	for i := 0; i < len(langs); i += 3 {
		add(langs[i:min(i+3, len(langs))])
	}
	add(csat)
	if len(kb.InlineKeyboard) == 0 {
		return nil
	}
	return &kb
}

// callback is a parsed button press.
type callback struct {
	Kind    string // "feedback", "human", "lang", "csat"
	Helpful bool
	ReplyID string
	Lang    string
	Score   int
	Ticket  int64
}

// parseCallback reads callback data; ok is false for anything the
// connector did not write.
func parseCallback(data string) (callback, bool) {
	parts := strings.Split(data, ":")
	switch {
	case len(parts) == 3 && parts[0] == "fb" && (parts[1] == "0" || parts[1] == "1") && validReplyID(parts[2]):
		return callback{Kind: "feedback", Helpful: parts[1] == "1", ReplyID: parts[2]}, true
	case data == "human":
		return callback{Kind: "human"}, true
	case len(parts) == 2 && parts[0] == "lang" && supportbot.IsLanguage(parts[1]):
		return callback{Kind: "lang", Lang: parts[1]}, true
	case len(parts) == 3 && parts[0] == "csat":
		n, err1 := strconv.Atoi(parts[1])
		t, err2 := strconv.ParseInt(parts[2], 10, 64)
		if err1 == nil && err2 == nil && n >= 1 && n <= 5 && t > 0 {
			return callback{Kind: "csat", Score: n, Ticket: t}, true
		}
	}
	return callback{}, false
}

func validReplyID(s string) bool {
	if s == "" || len(s) > 58 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// withoutRows returns a copy of a message's keyboard without the buttons
// whose data has prefix, for after a rating: the buttons have done their
// job. The result is an empty keyboard when nothing is left.
func withoutRows(kb [][]inlineButton, prefix string) *inlineKeyboard {
	out := &inlineKeyboard{InlineKeyboard: [][]inlineButton{}}
	for _, row := range kb {
		var keep []inlineButton
		for _, b := range row {
			if !strings.HasPrefix(b.CallbackData, prefix) {
				keep = append(keep, b)
			}
		}
		if len(keep) > 0 {
			out.InlineKeyboard = append(out.InlineKeyboard, keep)
		}
	}
	return out
}

package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/supportbot/supportbot"
	"github.com/supportbot/supportbot/bot"
)

func TestRecognize(t *testing.T) {
	tests := []struct {
		text string
		want bot.Intent
	}{
		// Reports of a compromised account, in several languages.
		{"My account was hacked!!", bot.IntentCompromised},
		{"there is a withdrawal I didn't make, please help", bot.IntentCompromised},
		{"someone logged into my account from Brazil", bot.IntentCompromised},
		{"All my funds were stolen from my wallet", bot.IntentCompromised},
		{"账号被盗了怎么办", bot.IntentCompromised},
		{"帳戶被駭了", bot.IntentCompromised},
		{"アカウントが乗っ取られました", bot.IntentCompromised},
		{"계정이 해킹당했어요", bot.IntentCompromised},
		{"Мой аккаунт взломали", bot.IntentCompromised},
		{"Me hackearon la cuenta", bot.IntentCompromised},
		{"tài khoản của tôi bị hack", bot.IntentCompromised},
		{"Hesabım hacklendi", bot.IntentCompromised},
		{"minha conta foi invadida", bot.IntentCompromised},
		{"Mon compte a été piraté", bot.IntentCompromised},
		// Not incidents: questions about the topic, or a bank card.
		{"How do I recognise a phishing email?", bot.IntentNone},
		{"My card was stolen yesterday", bot.IntentNone},
		{"How do I enable 2FA?", bot.IntentNone},
		// Attempts to weaken protection.
		{"unfreeze my account now", bot.IntentUndo},
		{"please disable my 2FA", bot.IntentUndo},
		{"帮我解冻账户", bot.IntentUndo},
		{"Разморозьте мой аккаунт", bot.IntentUndo},
		// Requests for a person.
		{"can I speak to a human", bot.IntentHuman},
		{"转人工", bot.IntentHuman},
		{"상담원 연결", bot.IntentHuman},
		{"parler à un conseiller svp", bot.IntentHuman},
		// Ticket status.
		{"what's the status of my ticket?", bot.IntentStatus},
		{"我的工单进度怎么样了", bot.IntentStatus},
		{"¿Cuál es el estado de mi ticket?", bot.IntentStatus},
		// Small talk, only when that is all the message says.
		{"Hello!", bot.IntentGreeting},
		{"你好", bot.IntentGreeting},
		{"Hello, why is my withdrawal pending?", bot.IntentNone},
		{"thanks a lot", bot.IntentThanks},
		{"merci beaucoup", bot.IntentThanks},
		{"감사합니다", bot.IntentThanks},
	}
	for _, tt := range tests {
		if got := bot.Recognize(tt.text).Intent; got != tt.want {
			t.Errorf("Recognize(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
	if id := bot.Recognize("status of ticket #4521 please").TicketID; id != 4521 {
		t.Errorf("ticket number = %d, want 4521", id)
	}
}

func TestDetect(t *testing.T) {
	d := bot.NewDetector()
	for want, text := range map[string]string{
		"en":      "Why is my withdrawal still pending?",
		"zh-Hans": "为什么我的提币一直在审核中？",
		"zh-Hant": "為什麼我的提幣一直在審核中？",
		"ja":      "出金がまだ保留中なのはなぜですか？",
		"ko":      "출금이 왜 아직 대기 중인가요?",
		"ru":      "Почему мой вывод всё ещё в обработке?",
		"es":      "¿Por qué mi retiro sigue pendiente?",
		"vi":      "Tại sao lệnh rút tiền của tôi vẫn đang chờ xử lý?",
		"tr":      "Para çekme işlemim neden hâlâ beklemede?",
		"pt":      "Por que meu saque ainda está pendente?",
		"fr":      "Pourquoi mon retrait est-il toujours en attente ?",
	} {
		if got, conf := d.Detect(context.Background(), text); got != want || conf < 0.5 {
			t.Errorf("Detect(%q) = %s (%.2f), want %s", text, got, conf, want)
		}
	}
}

// Every string the bot says exists in every supported language, with the
// same placeholders as the English one.
func TestCatalogComplete(t *testing.T) {
	for _, key := range bot.CatalogKeys() {
		en := bot.T("en", key)
		for _, lang := range supportbot.Languages {
			s, ok := bot.Lookup(lang, key)
			if !ok || s == "" {
				t.Errorf("%s: missing in %s", key, lang)
				continue
			}
			for _, ph := range []string{"{title}", "{url}", "{ticket}", "{sla}", "{n}", "{max}", "{cmd}"} {
				if (len(en) > 0 && strings.Contains(en, ph)) != strings.Contains(s, ph) {
					t.Errorf("%s in %s: placeholder %s does not match English", key, lang, ph)
				}
			}
		}
	}
}

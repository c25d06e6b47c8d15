package bot

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Intent is a special request recognised before retrieval.
type Intent string

// Intents, in priority order: a message that reports a hacked account and
// asks for a human is a hacked-account report.
const (
	IntentNone        Intent = ""
	IntentUndo        Intent = "undo_protection" // asks the bot to unfreeze, remove 2FA, change addresses
	IntentCompromised Intent = "account_compromised"
	IntentHuman       Intent = "asked_for_human"
	IntentStatus      Intent = "ticket_status"
	IntentGreeting    Intent = "greeting"
	IntentThanks      Intent = "thanks"
)

// Recognition is what Recognize found.
type Recognition struct {
	Intent Intent
	// TicketID is a ticket number the user mentioned ("status of #42").
	TicketID int64
}

// The patterns below are hand-written per language rather than learned:
// these intents trigger actions (freezing an account, opening an urgent
// ticket), so they must be predictable, auditable and testable phrase by
// phrase, and there is no training data for them. Each language lists
// first-person reports, not questions about the topic: "how do I spot
// phishing?" is a help-center question, "I got phished" is an incident.
var (
	// Strong compromise phrases need no further context.
	compromisedStrong = compile(
		// en
		`\bhack(ed|er|ers)\b`, `\bsomeone (logged|got|broke) in(to)?\b`, `\bunauthori[sz]ed (withdrawal|login|access|transfer|trade)`,
		`\bwithdrawals? (that )?i (did not|didn't|never) (make|made|do|did|authori[sz]e)`, `\bi (did not|didn't|never) (make|authori[sz]e) (this|that|these|those|a|the) withdrawal`,
		`\b(account|wallet) (was|has been|got|is|been) (compromised|taken over|breached)`, `\bi (got|was|have been|been) (phished|scammed|drained)`,
		`\bfell for (a |an )?(phishing|scam)`, `\b(drained|emptied) my (account|wallet)`, `\bcompromised account\b`,
		// zh-Hans / zh-Hant
		`被盗|被盜|被黑|被駭|盗号|盜號|被入侵|非本人(操作|提币|提幣|登录|登入|交易)|不是我(本人)?(提|操作|登录|登入|转|轉)|(资产|資產|币|幣|钱|錢)被(转走|轉走|盗|盜|偷)|未经授权|未經授權|被钓鱼|被釣魚|异常提币|異常提幣`,
		// ja
		`乗っ取`, `不正(ログイン|アクセス|出金|送金|引き出し)`, `ハッキングされ|ハックされ`, `身に覚えのない(出金|ログイン|取引|送金)`, `フィッシング(詐欺)?に(遭|あ)`,
		// ko
		`해킹`, `도용`, `무단 ?(출금|로그인|접속|거래)`, `(제가|내가) 하지 않은 (출금|거래|로그인)`, `털렸`, `탈취`, `피싱(을)? ?당`,
		// ru
		`взлом`, `несанкционирован`, `не я (вывел|выводил|заходил|делал)`, `(угнали|увели) (аккаунт|акк)`, `(попал|попалась|попался) на фишинг`,
		// es
		`hacke(ad[ao]s?|aron|o)\b`, `retiros? no autorizad`, `no autoric[ée]`, `me (robaron|vaciaron) (la|mi|mis)`, `(cuenta|billetera) (fue |ha sido |está )?comprometida`,
		// pt
		`hackead[ao]`, `(conta|carteira) (foi )?invadida`, `saques? não autorizad`, `não autorizei`, `(roubaram|esvaziaram) (minha|meus|minhas|meu)`, `caí (num|em um|no) golpe`,
		// fr
		`(compte|portefeuille) (a été |est )?(piraté|hacké|compromis)`, `\bpiraté`, `\bhacké`, `retraits? non autorisé`, `je n'ai (jamais|pas) (fait|effectué|autorisé) ce retrait`, `(vidé|siphonné) mon compte`, `victime d'(un )?hameçonnage`,
		// vi
		`bị hack`, `bị xâm nhập`, `(bị )?(đánh cắp|mất cắp|chiếm đoạt) tài khoản`, `tài khoản (của tôi )?bị (chiếm|đánh cắp|mất cắp)`, `(rút tiền|giao dịch|đăng nhập) trái phép`, `không phải tôi (rút|đăng nhập|giao dịch)`,
		// tr
		`hacklen`, `hesabım (ele geçirildi|çalındı)`, `ele geçirildi`, `yetkisiz (çekim|giriş|işlem|erişim)`, `(ben|benim) yapmadığım (çekim|işlem|giriş)`, `oltalamaya (düştüm|maruz)`,
	)
	// Weak phrases ("stolen", "compromised") are incidents only when they
	// are about the account or funds, not a bank card.
	compromisedWeak = compile(
		`\b(stolen|stole|compromised|robbed)\b`, `украл|украли|похитил`, `robaron|robado`, `roubad|roubaram`, `\bvolée?s?\b|\bvolé`, `bị (trộm|lấy cắp)`, `çalındı|çaldı`,
	)
	compromisedContext = compile(
		`\b(account|wallet|funds|crypto|coins?|balance|assets|usdt|btc|eth|password|2fa|login)\b`,
		`аккаунт|акк|кошел|средств|деньги|крипт|баланс|монет`, `cuenta|billetera|fondos|cripto|saldo`, `conta|carteira|fundos|saldo|cripto`,
		`compte|portefeuille|fonds|crypto|solde`, `tài khoản|ví|tiền|coin|số dư`, `hesab|cüzdan|bakiye|kripto|fon`,
	)
	undoPatterns = compile(
		`\bun-?freeze`, `\b(lift|remove|cancel|undo) (the |my )?(freeze|lock|hold|suspension)`, `\bunlock (my )?(account|withdrawals?)`,
		`\b(disable|remove|turn off|switch off|deactivate|delete|bypass|skip|unbind) (my |the )?(2fa|two[- ]factor|authenticator|google auth|otp)`,
		`\b(change|replace|update|add|whitelist) (my |the |a |this |new )*(withdrawal|withdraw) address`,
		`解冻|解凍|解除冻结|解除凍結|(关闭|关掉|取消|解绑|移除|去掉|删除|關閉|關掉|解綁|移除|刪除)(谷歌验证|谷歌驗證|二次验证|二次驗證|双重验证|雙重驗證|2fa|身份验证器|驗證器|验证器)|(修改|更改|更换|變更|更換|添加|新增)提(币|幣)地址`,
		`凍結(を)?解除`, `(2fa|二段階認証|二要素認証)を?(無効|解除|オフ|削除)`, `出金先?アドレスを?(変更|追加)`,
		`동결 ?해제`, `(2fa|otp|2단계 인증|이중 인증) ?(해제|삭제|끄|비활성)`, `출금 ?주소 ?(변경|추가)`,
		`размороз`, `(отключ|удал|сним|сброс)\w* (мне )?(2fa|двухфактор|аутентификатор|гугл)`, `(измени|поменяй|смени|добавь)\w* адрес вывода`,
		`descongel`, `(desactiva|quita|elimina|deshabilita)\w* (el |mi )?(2fa|doble factor|autenticador)`, `(cambia|agrega|añade)\w* (la |mi )?direcci[oó]n de retiro`,
		`descongel`, `(desativ|remov|tir|desabilit)\w* (o |meu )?(2fa|autenticador|dois fatores)`, `(mud|troc|adicion|alter)\w* (o |meu )?endereço de saque`,
		`dégel`, `(désactiv|supprim|retir|enlev)\w* (la |ma |mon )?(2fa|double authentification|authentificateur)`, `(chang|modifi|ajout)\w* (l'|mon |une )?adresse de retrait`,
		`(mở|gỡ) (khóa|đóng băng)`, `(tắt|gỡ|xóa|vô hiệu hóa) (xác thực 2 lớp|2fa|google authenticator|xác thực hai)`, `(đổi|thay|thêm) địa chỉ rút`,
		`dondurmay[ıi] kaldır|dondurmasını kaldır|hesab(ım)?ı? (aç|çöz)`, `2fa('?y[ıi])? (kapat|kaldır|devre dışı|sil)`, `çekim adres\w* (değiştir|ekle)`,
	)
	humanPatterns = compile(
		`\b(human|humans|real person|live (agent|person|chat|support)|operator|representative|someone (from|in) support)\b`,
		`\b(talk|speak|chat) (to|with) (a |an |the |some )?(person|someone|somebody|agent|support|staff|rep)`, `\b(connect|transfer) me to`,
		`\b(customer (service|support|care))\b`, `\bcontact (the )?support\b`, `\bi want (an|a real) agent\b`, `\bagent please\b`,
		`人工|真人|客服人员|客服人員|转客服|轉客服|找客服|联系客服|聯絡客服|聯繫客服`,
		`オペレーター|有人(対応|チャット)|担当者(と|に|につな)|人と話|人間と話|スタッフと話|サポート(担当|スタッフ)`,
		`상담원|상담사|사람(과|이랑|하고|한테) ?(연결|대화|이야기|얘기)|직원(과|이랑|하고)? ?(연결|대화)|사람 연결`,
		`оператор|живым человеком|живой человек|с человеком|сотрудник(ом|у)? поддержки|позовите (человека|оператора)|свяжите с`,
		`\bhumano\b|persona real|\bagente\b|\boperador\b|hablar con (alguien|una persona)|atención al cliente`,
		`\bhumano\b|pessoa real|atendente|falar com (alguém|uma pessoa)|\bagente\b`,
		`\bhumain\b|conseiller|vraie personne|opérateur|parler à (quelqu'un|une personne|un agent)|service client`,
		`nhân viên|người thật|tư vấn viên|gặp người|chăm sóc khách hàng|nói chuyện với người`,
		`temsilci|insanla|canlı destek|gerçek (bir )?kişi|yetkiliyle|müşteri hizmetleri`,
	)
	statusPatterns = compile(
		`\b(status|progress|update|news) (of|on|for|about) (my |the )?(ticket|case|request)`, `\b(my|the) (ticket|case)s?\b.*\b(status|update|progress|any news)`,
		`\bwhere is my (ticket|case)\b`, `\bmy tickets\b`, `\b(ticket|case) #?\d+`,
		`工单|工單`, `チケット`, `티켓`, `(статус|состояние)\w* (моего |моей )?(обращени|заявк|тикет)|мои обращения|обращени\w* #?\d+`,
		`estado de(l| mi| la)? (ticket|caso|solicitud)|mis tickets|ticket #?\d+`, `status do (meu )?(ticket|chamado)|meus (tickets|chamados)|andamento do (meu )?(ticket|chamado)|(ticket|chamado) #?\d+`,
		`(statut|état|suivi) de (mon |ma )?(ticket|dossier|demande)|mes tickets|ticket #?\d+`, `(trạng thái|tiến độ) (phiếu|yêu cầu)|phiếu (hỗ trợ )?của tôi|phiếu #?\d+`,
		`talebimin durumu|talep durumu|taleplerim|talep #?\d+`,
	)
	greetingPatterns = compile(
		`^(hi|hello|hey|hiya|yo|good (morning|afternoon|evening)|greetings)( there)?$`, `^(你好|您好|嗨|哈喽|哈囉|早上好|晚上好)$`,
		`^(こんにちは|こんばんは|おはよう(ございます)?|はじめまして)$`, `^(안녕|안녕하세요|반갑습니다)$`, `^(привет|здравствуйте|добрый (день|вечер)|доброе утро)$`,
		`^(hola|buenas|buenos d[ií]as|buenas (tardes|noches))$`, `^(xin chào|chào|chào bạn)$`, `^(merhaba|selam|iyi günler)$`,
		`^(olá|oi|bom dia|boa (tarde|noite))$`, `^(bonjour|salut|bonsoir|coucou)$`,
	)
	thanksPatterns = compile(
		`^(thanks?( you)?( so much| a lot)?|thx|ty|cheers|great,? thanks)$`, `^(谢谢|多谢|謝謝|感谢|感謝)(你|您)?$`, `^(ありがとう(ございます|ございました)?|どうも)$`,
		`^(감사합니다|고마워요?|고맙습니다)$`, `^(спасибо( большое)?|благодарю)$`, `^(gracias|muchas gracias|mil gracias)$`, `^(cảm ơn( bạn)?|cám ơn)$`,
		`^(teşekkürler|teşekkür ederim|sağ ?ol)$`, `^(obrigad[oa]|valeu|muito obrigad[oa])$`, `^(merci( beaucoup)?)$`,
	)
	ticketNumber = regexp.MustCompile(`#\s?(\d{1,12})|(?:ticket|case|工单|工單|チケット|티켓|обращение|chamado|phiếu|talep)\s*(?:#|№|no\.?|number)?\s*(\d{1,12})`)
)

func compile(exprs ...string) []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(exprs))
	for i, e := range exprs {
		out[i] = regexp.MustCompile(`(?i)` + e)
	}
	return out
}

func matchAny(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// normalizeText folds a message for pattern matching: NFKC (full-width
// letters and digits become ASCII), lower case, curly quotes straightened,
// runs of spaces and trailing punctuation removed.
func normalizeText(s string) string {
	s = norm.NFKC.String(s)
	s = strings.Map(func(r rune) rune {
		switch r {
		case '’', '‘', '`':
			return '\''
		}
		return unicode.ToLower(r)
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	return strings.TrimRight(s, " .!?,;:。！？，、~…")
}

// Recognize finds a special request in text, in any supported language.
func Recognize(text string) Recognition {
	t := normalizeText(text)
	var r Recognition
	if m := ticketNumber.FindStringSubmatch(t); m != nil {
		for _, g := range m[1:] {
			if g != "" {
				r.TicketID, _ = strconv.ParseInt(g, 10, 64)
			}
		}
	}
	switch {
	case matchAny(undoPatterns, t):
		r.Intent = IntentUndo
	case matchAny(compromisedStrong, t) || (matchAny(compromisedWeak, t) && matchAny(compromisedContext, t)):
		r.Intent = IntentCompromised
	case matchAny(humanPatterns, t):
		r.Intent = IntentHuman
	case matchAny(statusPatterns, t) && isShortRequest(t):
		r.Intent = IntentStatus
	case matchAny(greetingPatterns, t):
		r.Intent = IntentGreeting
	case matchAny(thanksPatterns, t):
		r.Intent = IntentThanks
	}
	return r
}

// isShortRequest keeps status detection to messages about the ticket
// itself: "what's the status of my ticket?" rather than a long question
// that happens to mention a ticket.
func isShortRequest(t string) bool {
	return len(strings.Fields(t)) <= 14 && utf8.RuneCountInString(t) <= 80
}

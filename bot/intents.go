package bot

import (
	"regexp"
	"slices"
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
	IntentAck         Intent = "acknowledged" // "ok", "got it", "好的": nothing to answer
)

// Recognition is what Recognize found.
type Recognition struct {
	Intent Intent
	// TicketID is a ticket number the user mentioned ("status of #42").
	TicketID int64
	// Lang is the language of a greeting or thanks made of one
	// language's words ("zh" for Chinese): small talk is too short to
	// detect the language of ("hi" scores as Vietnamese), but its words
	// tell it.
	Lang string
}

// The patterns below are hand-written per language rather than learned:
// these intents trigger actions (freezing an account, opening an urgent
// ticket), so they must be predictable, auditable and testable phrase by
// phrase, and there is no training data for them. Each language lists
// first-person reports, not questions about the topic: "how do I spot
// phishing?" is a help-center question, "I got phished" is an incident.
// They are measured on the phrase table in intents_test.go
// (recognizePhrases): add the message that was missed or wrongly caught
// there first.
//
// Two rules keep them precise without a word-by-word blacklist:
//   - Reports and requests are matched by their grammatical form: "was
//     hacked", not "hackers" or "gets hacked"; "unfreeze my account" or
//     "разморозьте", not "разморозили" (which a victim may write about the
//     attacker). Undo requests are imperatives, infinitives after "please /
//     can you / I need", or the polite request endings of ja, ko and tr.
//   - The clauses that ask about a topic rather than report it are blanked
//     out before matching (see blank): hypotheticals and prevention ("what
//     if my account gets hacked", "如何防止被盗") for reports and requests,
//     how-to questions ("how do I unfreeze my account?") for undo requests,
//     which the help center answers. A clause is the text between punctuation,
//     so "my account is frozen, unfreeze it" keeps its request.
const (
	// cl is the rest of a clause.
	cl = `[^,.;!?。、|]*`
	// bw begins and nl ends a word where \b cannot: Go's \b only sees
	// ASCII letters, so it fails next to "é", "ı" or any Cyrillic letter.
	bw = `(?:^|[^\pL])`
	nl = `(?:[^\pL]|$)`
)

var (
	// hypothetical clauses ask about an incident that has not happened, or
	// how to prevent one. They are blanked before every pattern of undo and
	// compromise.
	hypothetical = compile(
		// en: "in case", "if it ever gets hacked", "protect it from hackers"
		`\b(in case|what if|suppose|imagine)\b`+cl, `\bif\b[^,.;!?|]{0,30}\b(ever|gets?|getting|were|will|would|someday|one day)\b`+cl,
		`\b(being|getting|gets?|get) (hacked|phished|scammed|drained|compromised|stolen)\b`,
		`\b(from|against) (being |getting )?(hack|phish|scam|theft|thie)\pL*`,
		`\bhow (do|can|could|would) (i|you|we) (know|tell|check|find out|see)\b`+cl,
		// zh
		`(如果|万一|萬一|假如|要是|以免|防止|预防|預防|避免|防范|防範|怎么防|怎麼防|怎样防|怎樣防|怎么判断|怎麼判斷|如何判断|如何判斷|怎么知道|怎麼知道)`+cl,
		// ja: もし…, a passive conditional (…されたら) or 場合 close after the
		// event; ko and tr conditionals (해킹당하면, hacklenirse) are excluded by
		// the patterns themselves.
		`もし`+cl, `[^,.;!?。、|]{0,15}(され|られ)たら`, `[^,.;!?。、|]{0,12}場合`,
		// ru
		`(если|в случае|защит|предотвра|избежать|чтобы)`+cl,
		// es
		`\b(si alg[uú]n d[ií]a|en caso de|qu[eé] pasa si|proteg|prevenir|evitar)`+cl,
		// pt: "se minha conta for hackeada" (future subjunctive)
		`\b(caso|se algum dia|e se|o que acontece se|proteg|prevenir|evitar)\b`+cl, `\bfor(em)? (hackead|invadid|roubad|comprometid)\pL*`,
		// fr
		bw+`(si un jour|au cas o[uù]|en cas de|prot[ée]ger|pr[ée]venir|[ée]viter)`+cl,
		// vi
		`(nếu|neu|giả sử|gia su|phòng khi|phòng tránh|phòng chống|tránh bị|khỏi bị|khoi bi|bảo vệ|bao ve)`+cl,
	)
	// thirdParty clauses are about someone else's account ("my friend's
	// account was hacked, how do I avoid that?"): blanked before the
	// compromise patterns only, as "unfreeze my friend's account" is still
	// an undo request.
	thirdParty = compile(
		`\bmy (friend|brother|sister|mom|mother|dad|father|wife|husband|colleague|cousin|son|daughter|partner|boyfriend|girlfriend)('s|s)? (account|wallet|acc)\b`+cl,
		`\bmy (friend|brother|sister|mom|mother|dad|father|wife|husband|colleague|cousin|son|daughter|partner|boyfriend|girlfriend) (got|was|has been|is)\b`+cl,
		`(朋友|家人|同事|老婆|老公|妈妈|媽媽|爸爸|哥哥|姐姐|弟弟|妹妹|别人|別人)的?(账号|账户|帳號|帳戶|号|號)`+cl,
		`(友達|友人|家族|知人)の(アカウント|口座)`+cl, `(친구|가족|지인)(의)?\s*(계정|지갑)`+cl,
		bw+`(у\s+)?(друга|подруги|знакомого|брата|сестры|мужа|жены)`+nl+cl,
		`\b(de |a )?(mi|un|una) (amig[oa]|herman[oa]|espos[oa]|novi[oa]|conocid[oa])\b`+cl,
		`\b(d[oa] |a |o )?(meu|minha|um|uma) (amig[oa]|irm[ãa]o?|esposa|marido|namorad[oa])\b`+cl,
		`\b(de |à )?(mon|ma|un|une) (ami|amie|copain|copine|fr[èe]re|s[œo]eur|coll[èe]gue)\b`+cl,
		`(bạn|ban) (của )?(tôi|em|mình)|bạn bè|người quen|người nhà`+cl, `arkada[şs][ıi]m\pL*`+cl,
	)
	// notRequests are blanked before the undo patterns only: questions on
	// how to do something the help center documents (unfreezing, resetting
	// 2FA, the whitelist), and, where the verb does not change with tense,
	// what someone else did ("nó đã tắt 2FA"). "My account was hacked, what
	// should I do?" is still an incident.
	notRequests = compile(
		// how long it takes: "账户冻结后多久能解冻", "combien de temps pour dégeler"
		// and what was already applied for: "已經申請重設 2FA 了，要幾天？"
		`(已经|已經|申请了|申請了|申し込みました|申請しました|신청했)`+cl,
		cl+`(\bhow long\b|多久|多长时间|多長時間|几天|幾天|何日|며칠|どのくらい|どれくらい|얼마나|сколько (времени|ждать|дней)|cu[aá]nto (tarda|tiempo)|quanto tempo|demora|combien de temps|bao lâu|ne kadar s[üu]r)`+cl,
		cl+`\b(how|what happens|is it (possible|safe|ok|okay|wise|risky|a good idea)|where (do|can|is|are)|steps? to|should i)\b`+cl,
		cl+`(如何|怎么|怎样|怎麼|怎樣|方法|流程|教程|在哪)`+cl,
		cl+`(方法|やり方|手順|どうやって|どうすれば|どうしたら|どのように|するには)`+cl,
		cl+`(어떻게|방법|하려면|절차|어디서)`+cl,
		cl+bw+`(как (мне |можно |я )?\pL+(ть|ться|ти)|можно ли|где (можно|найти|настро))`+nl+cl,
		cl+`\b(c[oó]mo|se puede|es posible|es seguro|qu[eé] pasa|pasos para|d[oó]nde)\b`+cl,
		cl+bw+`(como|[eé] poss[ií]vel|d[aá] pra|o que acontece|passo a passo|onde|[eé] seguro)\b`+cl,
		cl+bw+`(comment|est-(il|ce) possible|puis-je|que se passe|o[uù] (puis|peut|est-ce|se trouve)|proc[ée]dure|[ée]tapes (pour|[àa] suivre))\b`+cl,
		cl+`(làm sao|làm thế nào|lam sao|lam the nao|(^|\s)(cách|cach)\s|hướng dẫn|huong dan|ở đâu|có thể tự)`+cl,
		`(đã|bị|vừa|da|bi|vua)\s+(\pL+\s+)?(tắt|tat|gỡ|go|xóa|xoá|xoa|hủy|huy|đổi|doi|thay|thêm|them|mở|mo|bỏ|bo|reset)(\s|$)`,
		cl+`(nas[ıi]l|ne yapmal|m[uü]mk[uü]n m[uü]|nereden|nerede)`+cl,
	)

	// Strong compromise phrases need no further context.
	compromisedStrong = compile(
		// en
		`\b(hacked|hackd|hakced|haked|hackt)\b`, // and the typos of a hurried victim
		// someone else changed the credentials and locked the user out
		`\b(password|e-?mail|phone( number)?|2fa|authenticator) (was|has been|got|were|have been) changed\b[^.;!?|]{0,60}\b(can'?t|cannot|can not|unable to|not able to) (log ?in|sign ?in|access|get in)`,
		`\bhackers? (took|stole|got into|drained|emptied|withdrew|accessed|logged|changed|broke|have|has)\b`,
		`\b(someone|somebody|some one|a stranger|an unknown (person|device)|scammers?|the hackers?) (has |have |just )?(logged|got into|got in|got access|broke|gained|accessed|hacked|stole|took|withdrew|drained|emptied|transferred|sold|changed)\b`,
		`\bunauthori[sz]ed (withdrawals?|log-?ins?|sign-?ins?|access|transfers?|trades?|transactions?|activity|devices?|orders?)`,
		`\b(withdrawals?|trades?|transactions?|transfers?|log-?ins?|orders?|sign-?ins?)\b[^.;!?|]{0,25}?\b(that |which )?i (did not|didn't|didnt|never|did n't) (make|made|do|did|place|placed|authori[sz]e|authori[sz]ed|request|requested|recogni[sz]e)`,
		`\bi (did not|didn't|didnt|never) (make|authori[sz]e|request) (this|that|these|those|a|the|any) (withdrawals?|transfers?|trades?|transactions?)`,
		`\b(account|acc|acount|accnt|wallet|funds?|balance|assets?) (was|were|has been|have been|got|is|are|been|just got|just been)( been)? (compromised|taken over|breached|drained|emptied|wiped|stolen|accessed|logged into)\b`,
		`\b(they|someone|somebody) (logged|got|broke) (in|into) my (account|wallet)`,
		`\bi (got|was|have been|'ve been|ve been|been|think i got|think i was) (phished|drained|compromised)\b`,
		`\bfell for (a |an |the )?(phishing|scam|fake)`, `\b(drained|emptied|cleaned out|wiped) (out )?my (account|wallet|funds|balance)`, `\bcompromised account\b`,
		`\b(clicked|opened)\b[^.;!?|]{0,40}\b(phishing|fake|scam|suspicious)\b`,
		`\b(fake|phishing|scam\pL*|spoof\pL*|impersonat\pL*)\b[^.;!?|]{0,80}\b(gave|entered|typed|shared|sent|told|provided)\b`,
		`\b(gave|entered|typed|shared|sent|told|provided)\b[^.;!?|]{0,50}\b(password|2fa|code|seed|phrase|private key|otp)\b[^.;!?|]{0,50}\b(fake|phishing|scam\pL*|impersonat\pL*)`,
		// zh-Hans / zh-Hant
		`被盗|被盜|被黑|被駭|盗号|盜號|被入侵|被hack|盗用|盜用`, `非本人(操作|提币|提幣|登录|登入|交易|下单|下單)`,
		`不是我(本人)?[^，。,]{0,6}(提|操作|登录|登入|转|轉|下的|下单|下單|交易|做的)`,
		`(陌生|不明|异地|異地|未知|陌生人的?)(设备|設備|裝置|ip|地点|地點)?[^，。,]{0,4}(登录|登入)`,
		`有人[^，。,]{0,10}(登录|登入|提走|转走|轉走|盗|盜|偷|取走)`,
		`(资产|資產|币|幣|钱|錢|资金|資金|usdt|btc|eth|余额|餘額)[^，。,]{0,6}被[^，。,]{0,4}(转走|轉走|盗|盜|偷|提走|取走|划走|劃走|转出|轉出)`,
		`被(人|黑客|駭客|骗子|騙子)?(转走|轉走|提走|盗走|盜走|偷走|划走|劃走)`,
		`被(钓鱼|釣魚)|(点|點)了[^，。,]{0,8}(钓鱼|釣魚)|(钓鱼|釣魚)[^，。]{0,20}(输入|輸入)了`,
		`(假|冒充|冒牌)的?(客服|官方|工作人员|工作人員)[^。，,?]{0,8}(骗|騙)了`, `(把|将|將)(验证码|驗證碼|密码|密碼|助记词|助記詞|私钥|私鑰)(给|給|告诉|告訴)了`,
		`未经授权|未經授權|异常提币|異常提幣`,
		// ja
		`乗っ取られ`, `乗っ取り(被害)?に(あ|遭)`, `ハッキングされ|ハックされ|ハッキング(を受け|被害)`,
		`不正(ログイン|アクセス|出金|送金|引き出し|取引)(され|が(あ|発生)|を(受け|され)|被害)`, `不正に(ログイン|出金|引き出|送金|アクセス|取引)`,
		`身に覚えの(ない|無い)(出金|ログイン|取引|送金|注文|引き出し|アクセス)`, `(誰か|第三者|知らない人|他人)(が|に)[^。]{0,20}(ログイン|出金|引き出|送金|アクセス)`,
		`(勝手に|知らない(うち|間)に|いつの間にか)[^。]{0,20}(出金|引き出|送金|ログイン|取引|売買|注文)`,
		`フィッシング[^。]{0,20}(入力し|教え|渡し|に(あ|遭|引っかか))`, `偽(の)?(サポート|サイト|メール|運営|スタッフ)[^。]{0,20}(教え|入力し|渡し|騙|だま)`,
		// ko
		`해킹\s*(을\s*)?(당했|당한|당해|당함|됐|되었|된)`, `도용\s*(을\s*)?(당했|당한|당해|당함|됐|되었|된)`, `털렸|털림|탈취\s*(당|됐|되었)`,
		`무단\s*(으로\s*)?(출금|로그인|접속|거래|이체)`, `(모르는\s*(사이|새)에?|나도\s*모르게|허락\s*없이|몰래)[^.?]{0,20}(출금|이체|로그인|접속|거래)`, `(제가|내가|저는|전|난)\s*(하지\s*않은|안\s*한)\s*(출금|거래|로그인|이체|주문|접속)`,
		`(모르는|낯선|알\s*수\s*없는|처음\s*보는)\s*(기기|ip|곳|장소|국가|사람)[^.]{0,15}(로그인|접속|출금)`,
		`누가\s*[^.?]{0,20}(로그인(했|해서|을\s*했)|출금(했|해\s*갔|해서)|접속(했|해서)|빼\s*갔|가져\s*갔|훔쳐)`,
		`피싱[^.]{0,20}(입력했|알려\s*줬|당했|당한|속았)`, `가짜\s*(상담원|고객센터|직원|사이트)[^.]{0,20}(알려\s*줬|입력했|속았|당했|줬)`,
		// ru
		`взлом(али|ал|ан|ана|ано|аны)`, `несанкционирован`, `не я (вывел|выводил|заходил|делал)`, `(угнали|увели) (аккаунт|акк)`,
		`(кто-то|кто то|злоумышленни\pL*|мошенни\pL*|хакер\pL*)\s+[^.,?]{0,30}?(заш[её]л|вош[её]л|зашли|вошли|вывел|вывели|украл|украли|снял|сняли|перев[её]л|перевели|получил\pL* доступ)`,
		`(аккаунт|акк|кабинет)\pL*\s+(кто-то\s+)?(заш[её]л|вош[её]л|зашли|вошли|заходил\pL*)`, `(зашли|вошли|залезли|влезли)\s+(в|на)\s+(мой\s+|мою\s+)?(аккаунт|акк|кабинет|учетн|учётн)`,
		`(вывод|сделк|операци|транзакци|перевод|вход)\pL*[^.?]{0,20}(которы\pL*|что)\s+я\s+не\s+(делал|совершал|выводил|заходил|подтверждал)`,
		`я\s+не\s+(делал|совершал|выводил|подтверждал|заказывал)\pL*\s+(этот|этого|эту|это|этих|таких|никаких)?\s*(вывод|перевод|сделк|транзакц|операци|вход)`, `(попал|попалась|попался) на (фишинг|мошенник|развод)`, `(перешел|перешёл|перешла|нажал|кликнул)\pL*[^.]{0,20}фишинг`,
		`фишинг\pL*\s+(ссылк|сайт|письм)\pL*[^.]{0,40}(ввел|ввёл|ввела|отдал|указал)`,
		`(развели|обманули|кинули)[^.]{0,10}(мошенник|лжеподдерж|фейк)|(мошенник|лжеподдерж|фейк)\pL*[^.]{0,30}(развели|обманули|выманил)`,
		`(отдал|отдала|сообщил|сообщила|назвал|назвала|скинул|скинула)\s+(им|ему|ей|мошенник\pL*)\s+(код|пароль|сид)`,
		// es
		`hacke(ad[ao]s?|aron|ó)`+nl, `\bhackearam\b`, `(retiro|acceso|inicio de sesi[oó]n|transferencia|operaci[oó]n|transacci[oó]n)(es|s)?\s+no\s+autorizad`, `no autoric[ée]`,
		`\b(alguien|un hacker|hackers|estafadores?)\s+[^,.?]{0,30}?(entr[oó]|ingres[oó]|accedi[oó]|inici[oó] sesi[oó]n|retir[oó]|rob[oó]|sac[oó]|vaci[oó]|transfiri[oó])`,
		`(retiro|operaci[oó]n|transferencia|orden|compra|venta|transacci[oó]n|inicio de sesi[oó]n)(es|s)?\s+(que\s+)?(yo\s+)?no\s+(hice|realic[ée]|autoric[ée]|reconozco)`,
		`\bme (robaron|vaciaron|sacaron|quitaron|estafaron) (la|mi|mis|los|el|las|todo)`, `\b(entraron|ingresaron|accedieron|se metieron) (a|en) (mi|la) cuenta`, `\bme estaf(aron|[oó])`+nl,
		`\b(ca[ií]|hice clic|di clic|entr[ée])\s+(en|a)\s+(un|el|una|la)?\s*(enlace|link|correo|p[aá]gina|sitio)?\s*(de\s+)?(phishing|falso|falsa|fraudulent)`,
		`\b(le|les) di (mi|el|la|mis) (c[oó]digo|contraseña|clave|frase|semilla)`, `(cuenta|billetera)\s+(fue\s+|ha sido\s+|est[aá]\s+)?(comprometida|vaciada|robada)`,
		// pt
		`hackead[ao]`, `\b(invadiram|hackearam|roubaram|clonaram) (minha|meu|a|o) (conta|carteira)`, `\b(entraram|acessaram|logaram) (na|em|a) (minha )?conta`, `(conta|carteira) (foi |est[aá] |ta |t[aá] )?(invadida|hackeada|comprometida|clonada|roubada)`,
		`\b(algu[ée]m|um hacker|hackers|golpistas?)\s+[^,.?]{0,30}?(entrou|acessou|invadiu|logou|fez login|sacou|roubou|transferiu|limpou)`,
		`(acesso|saque|login|transfer[êe]ncia|transa[çc][ãa]o)s?\s+n[ãa]o\s+autorizad`, `n[ãa]o autorizei`,
		`(saque|transa[çc][ãa]o|transfer[êe]ncia|ordem|opera[çc][ãa]o|compra|venda|login)s?\s+(que\s+)?(eu\s+)?n[ãa]o\s+(fiz|realizei|autorizei|reconhe[çc]o)`,
		`\b(roubaram|limparam|esvaziaram|levaram)\s+(minha|meus|minhas|meu|a|o|os|as|tudo)\b`, `\bca[ií] (num|em um|no) golpe`,
		`\b(cliquei|ca[ií]|entrei)\s+(num|em um|no|em|na|numa)\s+(link|site|e-?mail|p[aá]gina)?\s*(de\s+)?(phishing|falso|falsa|golpe)`,
		`\b(falso|falsa)\s+(suporte|atendente|site)[^.]{0,30}(enganou|passei|dei|roubou)`, `\bpassei (meu|o|a|minha) (c[óo]digo|senha|frase|seed)`,
		// fr
		`(compte|portefeuille) (a [ée]t[ée] |est )?(pirat[ée]|hack[ée]|compromis|vid[ée])`, `\bpirat[ée]([^r\pL]|$)`, `\bhack[ée]([^r\pL]|$)`,
		`(suis|s'est|est|a [ée]t[ée]|ai [ée]t[ée]) fait (pirater|hacker|voler|arnaquer|escroquer|vider)`,
		`\b(quelqu'un|un pirate|des pirates|un hacker|un inconnu|des inconnus)\s+[^,.?]{0,30}?(s'est connect|se sont connect|a retir|ont retir|a vol|ont vol|a vid|ont vid|a acc[ée]d|ont acc[ée]d|a pris|a transf[ée]r|est entr|sont entr)`,
		`(retrait|acc[eè]s|connexion|transaction|transfert|ordre|trade)s?\s+non\s+autoris`,
		`(retrait|transaction|transfert|ordre|connexion)s?\s+(que\s+|qu')(je\s+)?n'?ai\s+(pas|jamais)\s+(fait|effectu[ée]|autoris[ée]|demand[ée])`,
		`je n'ai (jamais|pas) (fait|effectué|autorisé) ce retrait`, `\bon m'a (vol[ée]|vid[ée]|pirat[ée]|arnaqu[ée]|d[ée]rob[ée])`,
		`(vid[ée]|siphonn[ée]) mon compte`, `victime d'(un )?(hame[çc]onnage|phishing|arnaque)`,
		`\b(cliqu[ée]|tomb[ée])\s+(sur|dans)\s+(un|le)\s+(lien|pi[èe]ge|mail|site)?\s*(de\s+)?(phishing|hame[çc]onnage|frauduleux|faux)`,
		`\b(faux|fausse)\s+(support|conseiller|site|agent)[^.]{0,30}(arnaqu|donn[ée]|escroqu)`, `\b(lui|leur) ai donn[ée] (mon|le|ma|mes) (code|mot de passe|phrase)`,
		// vi
		`(bị|bi) (hack|hắc|xâm nhập|xam nhap)`, `(bị\s+)?(đánh cắp|mất cắp|chiếm đoạt) tài khoản`, `tài khoản (của tôi )?bị (chiếm|đánh cắp|mất cắp)`,
		`(rút tiền|giao dịch|đăng nhập) trái phép`, `không phải tôi (rút|đăng nhập|giao dịch)`,
		`(người lạ|người khác|nguoi khac|ai đó|kẻ gian|hacker|có người|co nguoi)\s+[^,.?]{0,25}?(đăng nhập|dang nhap|rút|lấy|chuyển|truy cập)`,
		`(rút tiền|giao dịch|đăng nhập|lệnh)[^,.?]{0,20}?(mà\s+)?(tôi|em|mình)\s+(không|ko|k)\s+(thực hiện|làm|đặt|rút)`,
		`(ví|tài khoản|tk)\s+[^,.?]{0,12}?bị\s+(rút sạch|rút hết|lấy hết|trộm|mất sạch)`,
		`(bấm|nhấn|click|nhấp|vào)\s+(vào\s+)?(link|đường link|trang)\s+(lừa đảo|giả|phishing)`,
		`bị lừa[^.]{0,30}(đưa|cung cấp|nhập|gửi)`, `(hỗ trợ|nhân viên|support)\s+giả[^.]{0,30}(đưa|cung cấp|gửi|lừa)`,
		// tr
		`hacklen(di|miş|mis)`, `hack yedi`, `hesab\pL*\s+(ele ge[çc]irildi|[çc]al[ıi]nd[ıi])`, `ele ge[çc]irildi`,
		`(yetkisiz|izinsiz|bilgim d[ıi][şs][ıi]nda|benden habersiz)\s+[^,.?]{0,15}?([çc]ekim|giri[şs]|i[şs]lem|eri[şs]im|transfer)`,
		`(ben|benim)\s+yapmad[ıi][ğg][ıi]m\s+(bir\s+)?([çc]ekim|i[şs]lem|giri[şs]|transfer|emir)`,
		`(biri|birisi|birileri|hacker\pL*|doland[ıi]r[ıi]c[ıi]\pL*)\s+[^,.?]{0,30}?(girip|girdi|giri[şs] yap|[çc]ekti|[çc]ekmi[şs]|[çc]ald[ıi]|[çc]alm[ıi][şs]|transfer etti|bo[şs]altt[ıi])`,
		`(c[üu]zdan|hesab|bakiye)\pL*\s+(bo[şs]alt[ıi]ld[ıi]|bo[şs]alt[ıi]lm[ıi][şs]|s[ıi]f[ıi]rland[ıi])`,
		`(oltalama|phishing|sahte)\s+(link|ba[ğg]lant|site|e-?posta|mail)\pL*[^.]{0,30}(t[ıi]klad[ıi]m|girdim|verdim)`,
		`(oltalama|phishing)\pL*\s+(linkine|sitesine|ba[ğg]lant[ıi]s[ıi]na)\s+t[ıi]klad`, `oltalamaya (d[üu][şs]t[üu]m|maruz)`,
		`sahte\s+(destek|temsilci|m[üu][şs]teri)[^.]{0,30}(doland[ıi]rd[ıi]|kand[ıi]rd[ıi]|verdim)`, `(kodumu|[şs]ifremi)\s+(verdim|payla[şs]t[ıi]m)`,
	)
	// Weak phrases ("stolen", "it wasn't me") are incidents only when they
	// are about the account, funds or logins, not a bank card.
	compromisedWeak = compile(
		`\b(stolen|stole|robbed|scammed)\b`,
		// "it wasn't me", after a login or withdrawal alert
		`\b(it )?(wasn'?t|wasnt|was not|not) me\b`, `私(では|じゃ)(ない|なかった|ありません)|本人(では|じゃ)(ない|ありません)`, `제가\s*(아니|한\s*게\s*아니)`,
		bw+`(это\s+)?(был\s+)?не\s+я`+nl, `\bno (fui|era) yo\b`, `\bn[ãa]o (fui|era) eu\b`, `(ce n'[ée]tait|c'[ée]tait|ce n'est|c'est) pas moi`, `không phải (tôi|em|mình)`, `ben (de[ğg]ildim|yapmad[ıi]m)`,
		// "I did nothing", after a withdrawal or login notice
		`\bi (never|didn'?t|did not|didnt) (withdraw|log ?in|logged in|trade|traded|transfer|send|sent|authori[sz]e|confirm)\pL*`,
		`(自分|私|僕|俺)(は|が)?[^。]{0,12}(出金|送金|ログイン|取引)[^。]{0,8}(していない|してない|していません|してません|しておらず)`,
		`(저는|전|제가|나는|난)\s*(출금|이체|로그인|거래|송금)\s*(을\s*)?한\s*적(이)?\s*없`,
		`我(根本|并|並|从来|從來|完全)?(没有|沒有|没|沒)(提币|提幣|提现|提現|操作|登录|登入|转账|轉帳|授权|授權)`,
		`я\s+ничего\s+не\s+(делал|подтверждал|выводил|отправлял)`, `hi[çc]bir [şs]ey yapmad[ıi]m`, `(tôi|em|mình)\s+(không hề|chưa hề|không|ko)\s+(xác nhận|thực hiện|rút)`,
		`украл|украли|похитил`, `robaron|robado`, `roubad|roubaram`, `\bvol[ée]e?s?([^\pL]|$)`, `bị (trộm|lấy cắp)`, `[çc]al[ıi]nd[ıi]|[çc]ald[ıi]`,
	)
	compromisedContext = compile(
		`\b(account|wallet|funds|crypto|coins?|balance|assets|usdt|btc|eth|password|2fa|log-?in|logged|alert|devices?|withdraw\pL*|trades?|transfers?)\b`,
		`аккаунт|акк|кошел|средств|деньги|крипт|баланс|монет`, `cuenta|billetera|fondos|cripto|saldo`, `conta|carteira|fundos|saldo|cripto`,
		`compte|portefeuille|fonds|crypto|solde|connexion|retrait`, `tài khoản|ví|tiền|coin|số dư|đăng nhập`, `hesab|c[üu]zdan|bakiye|kripto|fon|giri[şs]|[çc]ekim`,
		`ログイン|出金|送金|取引|アクセス|アカウント|口座|残高|メール`, `로그인|출금|접속|계정|거래|메일`, `账户|帳戶|账号|帳號|资产|資產|余额|餘額|邮件|郵件|短信|簡訊|通知|提醒|币|幣`, `вход|вывод|логин`, `login|saque|acceso|acesso|retiro`,
	)

	// Undo requests ask someone to unfreeze, remove 2FA or change a
	// withdrawal address: imperatives and infinitives, not past tenses.
	undoPatterns = compile(
		// en
		`\bun-?freeze\b`, `\b(want|need|get|have) (my |the )?(account|wallet|funds|withdrawals?) unfrozen\b`,
		`\b(lift|remove|cancel|undo|release|end|disable|turn off) (the |my |this |that )?(account |withdrawal |security |24h |24-hour )?(freeze|lock|hold|suspension|restriction|ban)s?\b`,
		`\b(unlock|unblock) (my |the )?(account|withdrawals?|wallet|funds)`, `\b(unlock|unblock|unfreeze) (it|them)\b`,
		`\b(disable|remove|turn off|switch off|deactivate|delete|bypass|skip|unbind|unlink|reset|drop|get rid of) (my |the |this |our )?(2fa|2-fa|two[- ]?factor|2-step|two[- ]step|authenticator|google auth|otp|mfa)`,
		`\b(want|need|get|have|like) (my |the )?(2fa|two[- ]?factor|authenticator|google authenticator|otp|mfa)( \pL+)? (removed|disabled|reset|turned off|deleted)\b`,
		`\b(change|replace|update|add|whitelist|set|edit|modify) (my |the |a |this |new |our )*(\pL+ )?(withdrawal|withdraw|payout) address`,
		`\b(add|put|include) (this|that|the|my|a|new)( new)? (address|wallet)( \S+)? (to|in|on|into) (my |the )?(withdrawal )?(whitelist|address book|allow ?list)`,
		`\bwhitelist (this|that|my|the|a|new) (address|wallet)`,
		// zh-Hans / zh-Hant
		`解冻|解凍|(解除|取消)[^，。,]{0,6}(冻结|凍結)`,
		`(谷歌|google|2fa|otp|验证器|驗證器|二次验证|二次驗證)[^。]{0,12}(帮我|幫我|请|請|麻烦|麻煩)[^。，,]{0,3}(解除|解绑|关闭|关掉|重置|删除|解綁|關閉|關掉|重設|刪除)`,
		`(账|帳)(户|戶|号|號)[^，。,]{0,6}解(锁|鎖|封)|解(锁|鎖|封)[^，。,]{0,4}(账|帳)(户|戶|号|號)`,
		`(关闭|关掉|取消|解绑|解除绑定|移除|去掉|删除|重置|關閉|關掉|解綁|解除綁定|刪除|重設|停用|禁用)\s*(一下|掉)?\s*(我的)?\s*(谷歌|google|两步|兩步|二次|双重|雙重|二步|二阶段|二階段|身份验证器|身分驗證器|2fa|otp|验证器|驗證器)`,
		`把\s*(我的)?\s*(谷歌|google|两步|兩步|二次|双重|雙重|二步|二阶段|二階段|身份验证器|身分驗證器|2fa|otp)[^，。,]{0,8}(关掉|关闭|关了|解绑|删除|去掉|重置|關掉|關閉|解綁|刪除|重設)([^了]|$)`,
		`(修改|更改|更换|变更|改|换|換|更換|變更|添加|新增|增加)(一个|一個|个|個)?(我的)?\s*(提币|提幣|提现|提現|提款|出金)地址`,
		`把(我的)?(提币|提幣|提现|提現|提款|出金)地址(改|换|換|更改|修改|變更)([^了]|$)`, `(添加|新增|加)[^，。,]{0,12}(到|进|進|入)\s*白名(单|單)`,
		`(解除|取消|解开|解開|去掉)[^，。,]{0,8}(提币|提幣|提现|提現|提款)限制`,
		// ja
		`(凍結|ロック|制限)[^、。]{0,12}(解除|元に戻|解い|外し)(して|て|し$|をお願い|を希望|お願い|希望|ください|頂|いただ|ほしい|欲しい|$)`,
		`(2fa|2段階|二段階|2要素|二要素|google ?認証|グーグル認証|認証アプリ|otp)[^、。]{0,6}を?\s*(無効|解除|オフ|削除|リセット|外|消|切)(に|して|て|し$|をお願い|を希望|お願い|ください|ほしい|欲しい|頂|いただ|$)`,
		`(出金|送金|引き出し)先?アドレス[^、。]{0,30}(変更|追加|登録|変え)(して|て|し$|をお願い|を希望|お願い|ください|ほしい|欲しい|頂|いただ|$)`,
		`ホワイトリスト[^、。]{0,20}(追加|登録)(して|て|し$|をお願い|を希望|お願い|ください|ほしい|欲しい|頂|いただ|$)`,
		// ko
		`(동결|잠금|정지|제한)\s*(을|를)?\s*(좀\s*)?(해제\s*(해|하여|좀|부탁|요청|시켜|바랍|$)|풀어)`,
		`(2fa|otp|구글\s*인증|2단계\s*인증|이중\s*인증|2차\s*인증)\s*(을|를)?\s*(좀\s*)?((해제|삭제|비활성화?|초기화|리셋|제거)\s*(해|하여|좀|부탁|요청|시켜|바랍|원|$)|꺼\s*(줘|주|달라)|없애\s*(줘|주))`,
		`(출금|송금)\s*주소[^.?]{0,30}((변경|추가|등록)\s*(해|하여|좀|부탁|요청|바랍|$)|바꿔\s*(줘|주))`,
		`화이트\s*리스트[^.?]{0,20}(추가|등록)\s*(해|좀|부탁|요청|바랍|$)`,
		// ru
		`размороз(ьте|ь|ить|ите)`+nl, `разблокир(уйте|уй|овать|уете)`+nl,
		`(сним(ите|и)|снять|убер(ите|и)|убрать|отмен(ите|и|ить))\s+(мне\s+|с меня\s+)?(блокировку|заморозку|ограничени)`,
		`(отключ(ите|и|ить)|удал(ите|и|ить)|убер(ите|и)|убрать|сним(ите|и)|снять|сброс(ьте|ь|ить)|отвяж(ите|и)|отвязать|выключ(ите|и|ить))[\s,]+(пожалуйста[\s,]+)?(мне\s+|мою\s+|мой\s+|у меня\s+)?(2fa|2фа|двухфактор|двухэтапн|гугл|google|аутентификатор|otp)`,
		`(смен(ите|и|ить)|помен(яйте|яй|ять)|измен(ите|и|ить)|добав(ьте|ь|ить)|обнов(ите|и|ить))\s+(мне\s+|мой\s+)?(\pL+\s+)?адрес\pL*\s+(для\s+)?вывод`,
		`добав(ьте|ь|ить)[^,.?]{0,30}(бел\pL+\s+спис|вайтлист|whitelist)`,
		// es
		`\bdescongel(a|e|en|ar)(la|lo|me)?\b`, `\bdesbloque(a|e|en|ar)(la|lo|me)?\b`,
		`\b(desact[ií]v|qu[ií]t|el[ií]min|deshabil[ií]t|b[oó]rr)(a|e|en|ar)(me|nos|le)?\s+(el |la |mi |los )?(\pL+\s+)?(2fa|doble factor|autenticaci[oó]n|verificaci[oó]n en (dos|2)|autenticador|google auth|otp)`,
		`\b(reset(ea|ee|een|ear)|restablec(e|en|er)|restablezc(a|an))(me|nos|le)?\s+(el |la |mi |los )?(\pL+\s+)?(2fa|doble factor|autenticaci[oó]n|verificaci[oó]n en (dos|2)|autenticador|google auth|otp)`,
		`\b(cambi(a|e|en|ar)|modific(a|ar)|modifiqu(e|en)|actualiz(a|ar)|actualic(e|en)|agreg(a|ar)|agregu(e|en)|a[nñ]ad(e|an|ir))(me)?\s+(mi |la |una |esta |esa )?(nueva )?direcci[oó]n de (retiro|billetera)`,
		`\b(agreg(a|ar)|agregu(e|en)|a[nñ]ad(e|an|ir)|incluy(a|an|e))\s+(esta|esa|la|mi|una)\s+(nueva\s+)?(direcci[oó]n|billetera|wallet)[^,.?]{0,20}(lista blanca|whitelist)`,
		// pt
		`\bdescongel(a|e|em|ar)\b`, `\bdesbloque(ia|ie|iem|ar)\b`,
		`\b(tir(a|e|em|ar)|remov(a|e|am|er)|desativ(a|e|em|ar)|desabilit(a|e|em|ar)|exclu(a|i|am|ir)|reset(a|e|em|ar)|redefin(a|e|am|ir)|deslig(a|ue|uem|ar))\s+(o |a |meu |minha )?(\pL+\s+)?(2fa|autentica[cç][aã]o|verifica[cç][aã]o em (duas|2)|autenticador|google auth|otp)`,
		`\b(mud(a|e|em|ar)|troc(a|ar)|troqu(e|em)|alter(a|e|em|ar)|atualiz(a|e|em|ar)|adicion(a|e|em|ar)|cadastr(a|e|em|ar))\s+(o |meu |um |esse |este )?(novo )?endere[cç]o (de saque|da carteira)`,
		`\b(adicion(a|e|em|ar)|coloc(a|ar)|coloqu(e|em)|inclu(a|am|ir|i))\s+(esse|este|o|meu|um)\s+(novo\s+)?(endere[cç]o|carteira)[^,.?]{0,20}(whitelist|lista branca|lista de permiss)`,
		// fr
		`\bd[ée]gel(ez|er|e)\b`, `\bd[ée]bloqu(ez|er|e)\b`,
		`\b(d[ée]sactiv|supprim|retir|enlev|r[ée]initialis|d[ée]li)(ez|er|e|iez)\s+(la |ma |mon |l')?(2fa|double authentification|authentification|a2f|authentificateur|google auth|otp)`,
		`\b(chang|modifi|ajout|mett|remplac)(ez|er|e)\s+(l'|mon |une |cette |ma )?(nouvelle )?adresse (de retrait|du portefeuille)`,
		`\b(ajout|mett)(ez|er|e)\s+(cette|l'|mon|une)\s*(nouvelle\s+)?(adresse|portefeuille)[^,.?]{0,25}(liste blanche|whitelist)`,
		// vi
		`(^|\s)(mở|mo|gỡ|go|bỏ|bo|hủy|huy)\s+(khóa|khoá|khoa|đóng băng|dong bang)`,
		`(^|\s)(tắt|tat|gỡ|go|xóa|xoá|xoa|hủy|huy|vô hiệu hóa|reset|đặt lại|dat lai|bỏ|bo)\s+(cái\s+|cai\s+)?(2fa|xác thực|xac thuc|google auth|gg auth|authenticator|otp|bảo mật (2|hai) lớp)`,
		`(^|\s)(đổi|doi|thay đổi|thay doi|thay|thêm|them|cập nhật|cap nhat|sửa|sua)\s+(\pL+\s+)?(địa chỉ|dia chi)\s+(ví\s+)?(rút|rut)`,
		`(^|\s)(thêm|them)\s+[^,.?]{0,30}(vào|vao)\s+(danh sách trắng|danh sach trang|whitelist)`,
		// tr: imperative and polite request endings (kaldırın, kaldırır mısınız)
		`dondur(ul)?ma(y[ıi]|s[ıi]n[ıi])\s+(kald[ıi]r|iptal ed|geri al)(in|[ıi]n|[ıi]n[ıi]z|[ıi]r m[ıi]s[ıi]n[ıi]z|er misiniz|man[ıi]z[ıi]|\s|$)`,
		`kilid(i|ini)\s+a[çc](in|[ıi]n|[ıi]n[ıi]z|ar m[ıi]s[ıi]n[ıi]z|\s|$)`, `(dondur|kilit)\pL*[, ]+a[çc](in|[ıi]n|[ıi]n[ıi]z|ar m[ıi]s[ıi]n[ıi]z)`+nl,
		`hesab(ım|im)[ıi]\s+(a[çc]|[çc][öo]z)(in|[ıi]n|[ıi]n[ıi]z|ar m[ıi]s[ıi]n[ıi]z|[üu]n)`+nl,
		`(2fa|iki (fakt[öo]rl[üu]|ad[ıi]ml[ıi])|authenticator|otp)\pL*('\pL+)?\s+(\pL+\s+)?(kald[ıi]r|kapat|s[ıi]f[ıi]rla|devre d[ıi][şs][ıi] b[ıi]rak|sil)(y?[ıi]n|y?[ıi]n[ıi]z|y?[ıi]r m[ıi]s[ıi]n[ıi]z|r m[ıi]s[ıi]n[ıi]z|man[ıi]z[ıi]|\s|$)`,
		`(2fa|iki (fakt[öo]rl[üu]|ad[ıi]ml[ıi])|authenticator|otp)\pL*('\pL+)?\s+(\pL+\s+)?iptal ed(in|iniz|er misiniz)`,
		`([çc]ekim|para [çc]ekme)\s+adres\pL*\s+([^,.?]{0,30}\s)?(de[ğg]i[şs]tir|ekle|g[üu]ncelle)(in|iniz|ir misiniz|r misiniz|\s|$)`,
		`(beyaz liste|whitelist)\pL*\s+ekle(yin|yiniz|r misiniz|\s|$)`,
	)

	humanPatterns = compile(
		// en
		`\b(talk|speak|chat) (to|with) (a |an |the |some |your )?(real |actual |live |human |support |customer )*(person|people|someone|somebody|human|agent|support|staff|rep|representative|operator)\b`,
		`\b(get|give|want|need|find) (me )?(a |an |some )?(real |actual |live )?(human|person|agent|operator)\b`, `\b(connect|transfer|put) me (to|through|with)\b`,
		`\b(is there|are there|any) (a |an )?(real|actual|live|human) (person|human|agent|people|one)`, `\bhuman (agent|support|being|operator|please|pls)\b`,
		`\b(live (agent|person)|real person|someone (from|in) support)\b`, `\bcontact (the )?support\b`, `\b(agent|operator|human) (please|pls|plz)\b`,
		`\b(connect|transfer|talk|speak|chat|contact|reach|get|want|need)\b[^.?!]{0,20}\b(customer (service|support|care)|live (chat|support))\b`,
		`^(a )?(human|agent|operator|real person|customer (service|support|care)|live (chat|support|agent)|representative)$`,
		// the request at the end of a message: "not a bot please, agent"
		`, ?(a )?(human|agent|operator|real person|representative)( please| pls| plz)?$`,
		// zh-Hans / zh-Hant
		`人工(客服|服务|服務|坐席|座席)|人工$|(转|轉|找|要)人工|真人(客服|服务|服務|回复|回覆)|真人$|(找|要|转|轉|跟|和|与|與)(个|個)?真人|客服人员|客服人員|(转|轉|找|联系|聯絡|聯繫|让|讓|接通)客服|在线客服|在線客服|線上客服|转接|轉接`,
		`(不想|不要)(跟|和|与|與)?(机器人|機器人)`,
		`^(找|要|转|轉)?客服(呢|吗|嗎|在吗|在嗎)?$`, // "客服" alone asks for the service desk
		// ja
		`オペレーター|有人(対応|チャット|サポート)|担当者(を|と|に|さん|の方)|人間|スタッフ(に|と|を)|(サポート|窓口|運営)の(人|方)`,
		`人(に|と)(対応|代わ|つな|繋|話)|(サポート|窓口|担当|スタッフ)に(つな|繋)|ボット(じゃ|では)なく`,
		// ko
		`(상담원|상담사)\s*(님\s*)?(연결|이랑|과|하고|와|랑|을|를|좀|불러|바꿔|부탁|요청|$)|사람(과|이랑|하고|한테|을|이)?\s*(연결|대화|이야기|얘기|불러|바꿔)|직원(과|이랑|하고|한테)?\s*(연결|대화|채팅|통화)`,
		`담당자\s*(연결|바꿔|불러)|라이브\s*(상담|채팅)|(실제|진짜)\s*사람|(챗봇|봇)\s*말고`,
		// ru
		`(позов|позв|дайте|дай|соедин|переключ|свяж|переведите|подключ)\pL*[^.?!]{0,20}(оператор|человек|специалист|сотрудник|менеджер|агент)`,
		`(поговорить|пообщаться|общаться|говорить|связаться|переписываться) с (\pL+ )?(человеком|оператором|специалистом|сотрудником|менеджером|агентом)`,
		`^оператор$`, `жив(ой|ого|ым|ому) (человек|оператор|сотрудник)`, `не (хочу|буду) (общаться |говорить |переписываться )?с ботом`,
		// es
		`\b(hablar|comunicar|contactar|p[aá]same|me pas(as|an)|comun[ií]came|me comunic(as|an)|con)\s+(con\s+)?(un|una|el|la|alg[uú]n)?\s*(agente|asesor|operador|humano|persona|alguien de soporte)\b`,
		`^(agente|asesor|operador|humano)( por favor| porfa)?$`, `\b(quiero|necesito) (un|una|a un) (humano|agente|asesor|operador|persona)\b`,
		`\b(comun[ií]ca|p[aá]sa|habla|contacta|comunicar|hablar|contactar|pasar)\pL*\s+con\s+(la |el )?(atenci[oó]n|servicio) al cliente`, `^(atenci[oó]n|servicio) al cliente$`,
		`\balguien real|persona real|(soporte|chat) en vivo|no quiero (hablar con )?(un |el )?(bot|robot)`,
		// pt
		`atendente|atendimento humano|pessoa (de verdade|real)|algu[ée]m (real|de verdade)|(suporte|chat) ao vivo|\bhumano\b`,
		`\b(falar|conversar) com (um |uma |algum |alguma )?(humano|pessoa|atendente|agente|algu[ée]m)`, `\bme (passa|transfere) (pra|para)\b`, `n[ãa]o quero falar com (o |um )?(rob[oô]|bot)`,
		// fr
		`\bhumain\b|conseiller|vraie personne|(vrai|v[ée]ritable) (humain|personne)|(parler|contacter|joindre|passer|relation)[^.?!]{0,20}(service client|op[ée]rateur)`,
		`parler (à|a|avec) (quelqu'un|une personne|un agent|un humain|un conseiller)|passez-moi|mettez-moi en relation|en relation avec`,
		`^(un |une )?(agent|conseiller|humain|op[ée]rateur)( svp| stp| s'il vous pla[iî]t)?$`, `(support|chat|assistance) en direct|(pas|plus) (parler |discuter )?(à|a|avec) (un|le|ce) (bot|robot)`,
		// vi
		`(gặp|gap|nói chuyện|noi chuyen|kết nối|ket noi|chuyển|chuyen|liên hệ|lien he|cần|can|muốn|muon)\s+(\pL+\s+){0,3}?(nhân viên|nhan vien|người thật|nguoi that|tư vấn viên|tu van vien)`,
		`(là|với|voi|la) (người thật|nguoi that)|^(nhân viên|nhan vien|tư vấn viên)( ơi| đâu| hỗ trợ)?$`,
		// tr
		`temsilci|insanla|canl[ıi] deste|ger[çc]ek (bir )?(ki[şs]i|insan)|yetkili(ye|yle|ile)|m[üu][şs]teri hizmetleri\pL*\s+(\pL+\s+)?(ba[ğg]la|g[öo]r[üu][şs]|konu[şs]|aktar)`,
	)

	// otherRequests are requests that are not support tickets ("withdrawal
	// request", "заявка на вывод"): blanked before the status patterns.
	otherRequests = compile(
		`\b(withdrawal|deposit|kyc|verification|transfer) (request|application)`, `(提币|提幣|提现|提現|充值|认证|認證)(申请|申請)`,
		`(出金|入金|本人確認)(申請|依頼)`, `(출금|입금|인증)\s*(신청|요청)`, `заявк\pL*\s+на\s+\pL+`,
		`solicitud(es)? de (retiro|dep[oó]sito|verificaci[oó]n)`, `solicita[çc](ão|ao|ões) de (saque|dep[oó]sito|verifica[çc][ãa]o)`,
		`demandes? de (retrait|d[ée]p[ôo]t|v[ée]rification)`, `yêu cầu (rút|nạp|xác minh)`, `([çc]ekim|yat[ıi]rma|do[ğg]rulama)\s+tale(p|b)`,
	)
	statusPatterns = compile(
		// en
		`\b(status|progress|updates?|news)\b[^.?!]{0,15}\b(ticket|case|support request|request|complaint|inquiry|enquiry)`,
		`\b(my|the) (support )?(ticket|case|request|complaint|inquiry)s?\b[^.?!]{0,30}\b(status|update|progress|news|resolved|solved|closed|answered|looked at|checked|reviewed|handled|processed|repl(y|ied)|response)`,
		`\b(looked at|checked|reviewed|answered|replied to|handled|processed|resolved) (my|the) (support )?(ticket|case|request)`,
		`\bis my (ticket|case|request) (resolved|solved|closed|done|fixed|being handled)`, `\bwhere is my (support )?(ticket|case|request)`,
		`\bcheck (on )?(my|the) (support )?(ticket|case|request)`, `\bmy tickets\b`, `\b(ticket|case) #?\d+`,
		`\b(opened|submitted|created|filed|sent|raised) (a |my |the )?(support )?(ticket|case|request)\b[^.?!]*\b(news|update|reply|response|answer|nothing|still|yet|heard)`,
		// zh-Hans / zh-Hant
		`工单|工單|客服单|客服單`, `案件[^，。]{0,10}(进展|進展|进度|進度|处理|處理|状态|狀態|回复|回覆)|案件\s*#?\d`,
		// ja
		`(問い?合わ?せ(た|の|\s*#|\s*\d|番号)|チケット|ケース\s*#?\d|案件)[^。?]{0,30}(状況|進捗|ステータス|どうな|返事|返信|回答|対応|まだ)`,
		`(チケット|問い?合わ?せ|ケース)\s*#?\d+`,
		// ko
		`(문의\s*(한|했|드린|넣|남기|#|\d|건)|티켓|케이스\s*#?\d|접수(한|된|했))[^.?]{0,25}(진행|상태|처리|답변|답장|회신|답이|어떻게\s*됐|확인)`,
		// ru
		`(статус|что с|новост|рассмотр|ответ|провер|как там|обработ)\pL*[^.?!]{0,25}(тикет|заявк|обращени)`,
		`(тикет|заявк|обращени)\pL*[^.?!]{0,30}(статус|новост|рассмотр|ответ|провер|обработ)`, `мои обращения|(обращени|заявк|тикет)\pL*\s*#?\d`,
		// es
		`(estado|novedad|actualizaci[oó]n|avance|qu[eé] pas[oó] con|c[oó]mo va)\pL*[^.?!]{0,15}(ticket|mi caso|del caso|el caso|solicitud|reclamo|consulta)`,
		`(revisaron|respondieron|contestaron|atendieron|resolvieron) (mi|el) (ticket|caso|solicitud|reclamo|consulta)`,
		`\b(abr[ií]|mand[ée]|envi[ée]) (un|mi|el) (ticket|caso|reclamo)\b[^.?!]*\b(nada|respuesta|todav[ií]a|a[uú]n)`, `mis tickets|(ticket|caso) #?\d+`,
		// pt
		`(status|novidade|andamento|atualiza[çc][ãa]o|como est[aá])\pL*[^.?!]{0,15}(ticket|chamado|protocolo|solicita[çc][ãa]o|reclama[çc][ãa]o)`,
		`(analisaram|responderam|viram|resolveram) (meu|minha|o|a) (ticket|chamado|solicita[çc][ãa]o|protocolo)`,
		`\b(abri|mandei|enviei) (um|meu|o) (ticket|chamado)\b[^.?!]*\b(nada|resposta|ainda)`, `^e o meu (chamado|ticket)$`,
		`meus (tickets|chamados)|(ticket|chamado|protocolo) #?\d+`,
		// fr
		`(statut|[ée]tat|suivi|nouvelles|avancement|o[uù] en est)\pL*[^.?!]{0,15}(ticket|dossier|demande|requ[êe]te|r[ée]clamation)`,
		`(mon|ma) (ticket|dossier|demande) (a [ée]t[ée]|est) (trait[ée]|r[ée]solu|lu|vu)`,
		`\b(ouvert|envoy[ée]|cr[ée][ée]) (un|mon) (ticket|dossier)\b[^.?!]*\b(rien|r[ée]ponse|toujours)`, `mes tickets|(ticket|dossier) #?\d+`,
		// vi
		`(phiếu|ticket|yêu cầu hỗ trợ|yêu cầu của (tôi|em|mình))[^.?!]{0,30}(sao rồi|xử lý|trạng thái|tình trạng|phản hồi|tới đâu|đến đâu|trả lời)`,
		`(trạng thái|tình trạng|tiến độ|kiểm tra|cập nhật)\s+(\pL+\s+){0,2}(phiếu|ticket|yêu cầu)`, `phiếu (hỗ trợ )?của tôi|phiếu #?\d+`,
		// tr
		`(tale(p|b)|destek kayd|ticket)\pL*\s*(#?\d+\s*)?(numaral[ıi]\s+)?(talep\s+)?[^.?!]{0,25}(durum|ne oldu|geli[şs]me|[çc][öo]z[üu]ld[üu]|cevap|yan[ıi]t|d[öo]n[üu][şs])`,
		`(#\d+|\d+ numaral[ıi])\s+(talep|kay[ıi]t)`, `taleplerim|talep #?\d+`,
	)

	// Small talk counts only when it is all the message says: a greeting
	// or thanks followed by a question goes to retrieval. The words of
	// every language form one vocabulary, so "hi 你好" and "ok, thanks a
	// lot, that helped" are recognised while "thanks, but how do I
	// deposit?" is not.
	greetingPatterns = compile(smallTalk(greetingWords, greetingExtras))
	thanksPatterns   = compile(smallTalk(thanksWords, thanksExtras))
	ackPatterns      = compile(smallTalk(ackWords, nil))

	// ticketNumber finds "#42" or "ticket 42"; the last group catches a
	// unit, as in "I opened a ticket 3 days ago", which is not a number.
	ticketNumber = regexp.MustCompile(`(?i)(?:#\s?|(?:ticket|case|request|inquiry|caso|工单|工單|案件|チケット|問い?合わ?せ|ケース|티켓|케이스|문의|обращени\pL*|заявк\pL*|тикет\pL*|chamado|protocolo|solicitud|solicita[çc][ãa]o|dossier|demande|phiếu|yêu cầu|talep)\s*(?:#|№|no\.?|nº|n°|number|号|號|番号|번호|номер|n[úu]mero|num[ée]ro|số)?\s*)(\d{1,12})(\s*(?:days?|hours?|hrs?|weeks?|months?|minutes?|mins?|天|日|일|주|시간|時間|週|か月|ヶ月|个月|個月|小时|小時|分钟|分鐘|дн|час|недел|мин|d[ií]as|dias|horas?|semanas?|meses|jours?|heures?|semaines?|mois|ngày|giờ|tuần|tháng|g[üu]n|saat|hafta|ay\b))?`)
)

// Small-talk vocabulary, one line per language: the words that make a
// message a greeting or thanks, and the extras that may accompany them
// ("hi team", "ok thanks, that helped").
var (
	greetingWords = []langWords{
		{"en", `hi+|hello+|hey+|hiya|heya|howdy|yo|(good )?(morning|afternoon|evening)|good day|greetings`},
		{"zh", `你好|您好|嗨|哈喽|哈囉|哈啰|早上好|早安|午安|下午好|晚上好|在吗|在嗎|在不在|大家好`},
		{"ja", `こんにちは|こんばんは|おはよう(ございます)?|はじめまして|もしもし|やあ|こんちは|ハロー`},
		{"ko", `안녕(하세요|하십니까)?|하이|좋은\s*(아침|저녁|하루)(이에요|입니다|예요)?|반가(워요|워|습니다)|안뇽|여보세요`},
		{"ru", `привет(ик|ствую)?|здравствуй(те)?|здрасьте|здрасте|добр(ый|ого) (день|дня|вечер|вечера)|доброе утро|хай|салют`},
		{"es", `hola+|buenas|buen(os)? d[ií]as?|buenas (tardes|noches)|qu[eé] tal|saludos`},
		{"pt", `ol[aá]|oi+|bom dia|boa (tarde|noite)|e a[ií]|tudo bem|td bem`},
		{"fr", `bonjour|salut|bonsoir|coucou|bjr|slt`},
		{"vi", `xin chào|xin chao|chào|chao|alo|chào buổi (sáng|chiều|tối)`},
		{"tr", `merhaba(lar)?|selam(lar)?|g[üu]nayd[ıi]n|iyi (g[üu]nler|ak[şs]amlar)|slm|mrb`},
	}
	// Addressees: "hi team", "chào bạn", "hello ad" (admin), "salut à vous".
	greetingExtras = []string{
		`there|bot|team|support|all|everyone|guys|friend|admin|ad|sir|bạn|ban|shop|mọi người|à (vous|tous)|a todos|pessoal|呀|啊`,
	}
	thanksWords = []langWords{
		{"en", `thanks+|thank (you|u)|thx|thnx|tnx|ty|tysm|cheers|many thanks|much appreciated|appreciate it`},
		{"zh", `谢谢|谢啦|多谢|感谢|3q|謝謝|謝啦|多謝|感謝|感恩`},
		{"ja", `ありがとう(ございます|ございました)?|どうも|サンキュー|感謝(します|しています|いたします)?|あざす|あざっす|助かりました|助かります`},
		{"ko", `감사(합니다|해요|드립니다|드려요)?|고마워(요)?|고맙습니다|ㄱㅅ|ㄳ|땡큐`},
		{"ru", `спасибо|спс|пасиб(о|ки)?|благодарю|благодарствую|сенкс`},
		{"es", `gracias|grax|grcs|(te|se|les) lo agradezco|les agradezco|agradecid[oa]`},
		{"pt", `obrigad[oa]|brigad[oa]|valeu|vlw|agrade[çc]o|obg`},
		{"fr", `merci|mrc|je vous remercie|je te remercie`},
		{"vi", `cảm ơn|cám ơn|cam on|camon|tks`},
		{"tr", `te[şs]ekk[üu]rler|te[şs]ekk[üu]r ederim|sa[ğg] ?ol(un|unuz|as[ıi]n)?|t[şs]k|t[şs]kler|eyvallah`},
	}
	// Acknowledgements, intensifiers and closing words.
	thanksExtras = []string{
		`ok|okay|k|great|perfect|awesome|cool|nice|alright|got it|so much|a lot|very much|again|in advance|that helped|it helped|it worked|that worked|for (the|your) (help|time|info)|for helping|bye|have a (nice|good|great) day`,
		`好的|好|嗯|明白了|了解了|知道了|收到|辛苦了|非常|太|了|你|您|啦|(您|你)的(帮助|幫助|协助|協助|帮忙|幫忙)|解决了|解決了`,
		`了解(です|しました)?|わかりました|なるほど|はい|本当に|どうも`,
		`네|넹|정말|진짜|너무|알겠습니다|도움이\s*(됐어요|되었습니다|됐습니다)|덕분에`,
		`ок|понял|поняла|ясно|хорошо|отлично|большое|огромное|вам|тебе|помогло|за помощь|вс[её] понятно`,
		`vale|perfecto|genial|listo|entendido|dale|muchas|much[ií]simas|mil|por (la|tu|su) ayuda|me sirvi[oó]|funcion[oó]`,
		`beleza|blz|perfeito|show|entendi|certo|muito|pela ajuda|ajudou|funcionou|resolvido`,
		`d'accord|parfait|super|top|g[ée]nial|beaucoup|bien|mille fois|infiniment|pour (votre|ton|ta|l') ?aide|c'est r[ée]gl[ée]|[çc]a marche`,
		`oke|vâng|dạ|được rồi|nhiều|bạn|ad|admin|shop|nha|nhé|ạ|(vì )?đã (giúp đỡ|hỗ trợ|giúp)`,
		`tamam|tamamd[ıi]r|anlad[ıi]m|s[üu]per|[çc]ok|yard[ıi]m(ınız|iniz|ın|in) i[çc]in|i[şs]ime yarad[ıi]|[çc][öo]z[üu]ld[üu]`,
	}
)

// ackWords acknowledge what the bot said, and ask nothing: "ok" was
// answered with the article that its letters happened to match best.
var ackWords = []langWords{
	{"", `ok|okay|okey|k|kk`}, // every language's: the language comes from elsewhere
	{"en", `alright|all right|got it|i see|understood|sure|cool|great|fine|noted`},
	{"zh", `好的|好|嗯|嗯嗯|明白了|明白|了解了|知道了|收到|行|可以`},
	{"ja", `了解(です|しました)?|わかりました|分かりました|なるほど|はい|承知しました`},
	{"ko", `네|넹|알겠습니다|알겠어요|알았어요|오케이|확인했습니다`},
	{"ru", `ок|окей|понял|поняла|понятно|ясно|хорошо|ладно`},
	{"es", `vale|entendido|dale|listo|de acuerdo|perfecto|bien`},
	{"pt", `beleza|blz|entendi|certo|t[áa] bom|perfeito|combinado`},
	{"fr", `d'accord|dac|entendu|compris|parfait|tr[èe]s bien`},
	{"vi", `oke|vâng|dạ|được rồi|hiểu rồi|ừ`},
	{"tr", `tamam|tamamd[ıi]r|anlad[ıi]m|peki|olur|oldu`},
}

// Question returns text without the greeting in front of it and the
// thanks after it ("hi team, how do I withdraw? thanks!" -> "how do I
// withdraw?"), for retrieval: the greeting's words match no article and
// dilute the question's (QA: "hi, how do I withdraw?" was escalated at
// 0.38 where "how do I withdraw?" was answered at 0.49, in every
// language). Text that is only small talk is returned as it is.
func Question(text string) string {
	t := strings.TrimSpace(norm.NFKC.String(text))
	q := t
	for _, re := range []*regexp.Regexp{greetingPrefix, greetingPrefixCJK} {
		if loc := re.FindStringIndex(q); loc != nil {
			q = q[loc[1]:]
			break
		}
	}
	for _, re := range []*regexp.Regexp{thanksSuffix, thanksSuffixCJK} {
		if loc := re.FindStringIndex(q); loc != nil {
			q = strings.TrimSpace(q[:loc[0]])
			break
		}
	}
	if !hasWord(q) {
		return t
	}
	return q
}

// The small talk Question removes. Words in Latin and Cyrillic scripts
// must be followed (a greeting) or preceded (thanks) by a space or a
// punctuation mark, so that "hi" is not taken from "history"; Chinese
// and Japanese ones need none, as those scripts write none. They
// match the original text (not normalizeText's), case-insensitively.
var (
	greetingPrefix, greetingPrefixCJK = smallTalkEdge(greetingWords, greetingExtras, true)
	thanksSuffix, thanksSuffixCJK     = smallTalkEdge(thanksWords, thanksExtras, false)
)

func smallTalkEdge(words []langWords, extras []string, prefix bool) (spaced, cjk *regexp.Regexp) {
	var sw, cw []string
	for _, w := range words {
		if w.lang == "zh" || w.lang == "ja" { // Korean puts spaces between words
			cw = append(cw, w.words)
		} else {
			sw = append(sw, w.words)
		}
	}
	sep := `[\s,，、.!。！?？~:;\p{So}\p{Sk}]`
	all := `(?:` + strings.Join(append(append(slices.Clone(sw), cw...), extras...), `|`) + `)`
	build := func(ws []string, between string) *regexp.Regexp {
		w := `(?:` + strings.Join(ws, `|`) + `)`
		if prefix {
			return regexp.MustCompile(`^(?i)` + sep + `*` + w + `(?:` + sep + `+` + all + `)*` + between)
		}
		return regexp.MustCompile(`(?i)` + between + w + `(?:` + sep + `+` + all + `)*` + sep + `*$`)
	}
	if prefix {
		return build(sw, sep+`+`), build(cw, sep+`*`)
	}
	return build(sw, `(?:^|`+sep+`+)`), build(cw, sep+`*`)
}

// refersBack says a question leans on what came before: it is an
// elliptical question (a question mark, three words at most or six
// Chinese or Japanese characters: "how long?", "要多久？"; "no" is not
// one) or short with a pronoun or "then" ("how long does it usually
// take?", "что тогда делать?"). Such a question rarely names its
// topic, so alone it ranks the article it follows up nowhere. Words with
// diacritics keep them here: folded, Vietnamese "thế" and "nó" would be
// English "the" and "no".
func refersBack(q string) bool {
	t := normalizeText(q)
	if n := len(strings.Fields(t)); n <= 3 && letters(t) > 0 && (n > 1 || letters(t) <= 6) && strings.ContainsAny(q, "?？") {
		return true
	}
	return len(strings.Fields(t)) <= 10 && matchAny(anaphora, t)
}

var anaphora = compile(bw + `(it|its|that|this|those|these|they|them|then|это|этого|этом|он|она|оно|они|его|её|их|тогда|` +
	`eso|esto|ello|entonces|isso|isto|ent[ãa]o|ça|cela|ceci|alors|nó|cái đó|vậy|thế|bunu|bunun|onu|o zaman|` +
	`그거|그것|이거|이것|그럼)` + nl + `|它|这个|那个|这样|那样|這個|那個|這樣|那樣|それ|これ|その|この`)

// langWords are one language's small-talk words ("zh" for both Chinese
// scripts).
type langWords struct{ lang, words string }

// smallTalk builds a pattern for a message made only of small-talk words,
// at least one of them from words, the others from words or extras, with
// spaces, commas, exclamation marks or emoji between them.
func smallTalk(words []langWords, extras []string) string {
	ws := make([]string, len(words))
	for i, w := range words {
		ws[i] = w.words
	}
	w := `(` + strings.Join(ws, `|`) + `)`
	all := `(` + strings.Join(append(ws, extras...), `|`) + `)`
	sep := `[\s,，、.!。\p{So}\p{Sk}]*`
	return `^` + sep + `(` + all + sep + `)*` + w + `(` + sep + all + `)*` + sep + `$`
}

// smallTalkByLang has, per language, the patterns of a greeting or thanks
// in that language's words (with any language's extras).
var smallTalkByLang = func() map[string][]*regexp.Regexp {
	m := map[string][]*regexp.Regexp{}
	for _, set := range []struct {
		words  []langWords
		extras []string
	}{{greetingWords, greetingExtras}, {thanksWords, thanksExtras}, {ackWords, nil}} {
		for _, w := range set.words {
			m[w.lang] = append(m[w.lang], compile(smallTalk([]langWords{w}, set.extras))...)
		}
	}
	return m
}()

// smallTalkLang returns the language of a greeting or thanks (t
// normalised) made of one language's words ("zh" for Chinese), or "" for
// anything else.
func smallTalkLang(t string) string {
	found := ""
	for lang, res := range smallTalkByLang {
		if matchAny(res, t) {
			if found != "" {
				return "" // "hi 你好", or a word two languages share
			}
			found = lang
		}
	}
	return found
}

// blank replaces what the patterns match with a clause break, so that
// patterns matched afterwards only see the rest of the message.
func blank(res []*regexp.Regexp, s string) string {
	for _, re := range res {
		s = re.ReplaceAllString(s, " | ")
	}
	return s
}

// escapes are the parts of a pattern that may be upper case: \S, \pL, \p{So}.
var escapes = regexp.MustCompile(`\\(p\{\w+\}|p[A-Za-z]|[A-Za-z])`)

// compile compiles patterns written in lower case. Messages are lower-cased
// by normalizeText, so the patterns need no (?i), which would make every
// letter a case-folding class and Recognize twice as slow; an upper-case
// letter in a pattern would never match, and panics here instead. Patterns
// get the same NFKC folding as messages: "ㄱㅅ" must match "ㄱㅅ".
func compile(exprs ...string) []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(exprs))
	for i, e := range exprs {
		if bare := escapes.ReplaceAllString(e, ""); strings.ToLower(bare) != bare {
			panic("bot: pattern not in lower case: " + e)
		}
		out[i] = regexp.MustCompile(norm.NFKC.String(e))
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
	for _, m := range ticketNumber.FindAllStringSubmatch(t, -1) {
		if m[2] == "" { // "ticket 3 days ago" is not ticket #3
			r.TicketID, _ = strconv.ParseInt(m[1], 10, 64)
			break
		}
	}
	// Reports and requests are matched on the message without its
	// hypothetical clauses; undo requests also without how-to questions.
	real := blank(hypothetical, t)
	switch {
	case matchAny(undoPatterns, blank(notRequests, real)):
		r.Intent = IntentUndo
	case compromised(blank(thirdParty, real)):
		r.Intent = IntentCompromised
	case matchAny(humanPatterns, t):
		r.Intent = IntentHuman
	case isShortRequest(t) && matchAny(statusPatterns, blank(otherRequests, t)):
		r.Intent = IntentStatus
	case matchAny(greetingPatterns, t):
		r.Intent, r.Lang = IntentGreeting, smallTalkLang(t)
	case matchAny(thanksPatterns, t):
		r.Intent, r.Lang = IntentThanks, smallTalkLang(t)
	case matchAny(ackPatterns, t):
		r.Intent, r.Lang = IntentAck, smallTalkLang(t)
	}
	return r
}

// compromised reports an incident: a strong phrase, or a weak one about
// the account or funds. A stolen bank card or a card payment the user
// does not recognise, a stolen phone or bag, or money someone sent the
// user, is a matter the help center answers (block the card, dispute the
// payment, move 2FA), not an account takeover, unless the message also
// says the account itself was broken into.
func compromised(t string) bool {
	if matchAny(cardMatter, t) && !matchAny(accountTakeover, t) {
		return false
	}
	return matchAny(compromisedStrong, t) || (matchAny(compromisedWeak, t) && matchAny(compromisedContext, t))
}

var (
	cardMatter = compile(
		`\b(cards?|pin|atm|debit|cvv|contactless|statement|cash withdrawals?|cashpoint|purchases?|charges?|payments?|phone|mobile|laptop|bag|handbag|purse)\b`,
		`\b(someone|somebody|they) (sent|transferred|paid|wired) (\pL+ ){0,3}to me\b`,
		bw+`(карт\pL*|банкомат\pL*)`+nl, `\b(tarjetas?|cajero)\b`, `\b(cart[ãa]o|cart[õo]es|caixa eletr[ôo]nico)\b`,
		`\b(cartes? bancaires?|carte|distributeur)\b`, `thẻ (ngân hàng|atm|tín dụng|ghi nợ)`, `\b(kart(ım|ımı|ımla)?|atm)\b`,
	)
	accountTakeover = compile(
		`\bhacked\b|\b(logged|got|broke) in(to)? my (account|app)\b|\b(account|app) (was|has been|got|is) (compromised|taken over|breached)|\b(password|2fa|phish\pL*)\b`,
		`взлом|аккаунт\pL* (взломан|угнан)|пароль`, `hacke|contraseña`, `hackead|invadid|senha`, `piraté|hacké|mot de passe`, `bị hack|mật khẩu`, `hacklen|şifre`,
	)
)

// isShortRequest keeps status detection to messages about the ticket
// itself: "what's the status of my ticket?" rather than a long question
// that happens to mention a ticket.
func isShortRequest(t string) bool {
	return len(strings.Fields(t)) <= 14 && utf8.RuneCountInString(t) <= 80
}

package discord

import (
	"github.com/bwmarrin/discordgo"

	"github.com/supportbot/supportbot"
)

// localeOf maps each supported language to the Discord client locales
// that speak it. English is the commands' default text; Discord has both
// Spanish locales, and Brazilian Portuguese only.
var localeOf = map[string][]discordgo.Locale{
	"zh-Hans": {discordgo.ChineseCN},
	"zh-Hant": {discordgo.ChineseTW},
	"ja":      {discordgo.Japanese},
	"ko":      {discordgo.Korean},
	"ru":      {discordgo.Russian},
	"es":      {discordgo.SpanishES, discordgo.SpanishLATAM},
	"vi":      {discordgo.Vietnamese},
	"tr":      {discordgo.Turkish},
	"pt":      {discordgo.PortugueseBR},
	"fr":      {discordgo.French},
}

// text is a name and a description in one language. Names must be lower
// case, 1 to 32 letters, digits, '-' or '_' (no spaces); descriptions 1 to
// 100 characters.
type text struct{ name, desc string }

// slashCommand is one slash command, its options and what it means to the
// engine.
type slashCommand struct {
	text    map[string]text // by language; "en" is the default
	command string          // a supportbot.Cmd*, or "" for a question
	private bool            // answered ephemerally in guild channels
	options []slashOption
}

type slashOption struct {
	typ      discordgo.ApplicationCommandOptionType
	required bool
	text     map[string]text
	choices  []*discordgo.ApplicationCommandOptionChoice
}

var fileOption = slashOption{typ: discordgo.ApplicationCommandOptionAttachment, text: map[string]text{
	"en":      {"file", "A screenshot or a document (image or PDF)"},
	"zh-Hans": {"文件", "截图或文件（图片或 PDF）"},
	"zh-Hant": {"檔案", "截圖或檔案（圖片或 PDF）"},
	"ja":      {"ファイル", "スクリーンショットまたは書類（画像または PDF）"},
	"ko":      {"파일", "스크린샷 또는 문서(이미지 또는 PDF)"},
	"ru":      {"файл", "Скриншот или документ (изображение или PDF)"},
	"es":      {"archivo", "Una captura o un documento (imagen o PDF)"},
	"vi":      {"tệp", "Ảnh chụp màn hình hoặc tài liệu (ảnh hoặc PDF)"},
	"tr":      {"dosya", "Ekran görüntüsü veya belge (görsel ya da PDF)"},
	"pt":      {"arquivo", "Uma captura de tela ou um documento (imagem ou PDF)"},
	"fr":      {"fichier", "Une capture d’écran ou un document (image ou PDF)"},
}}

// commands are the slash commands, by their English name (which is what
// interactions carry, whatever the user's language).
var commands = map[string]slashCommand{
	"ask": {text: map[string]text{
		"en":      {"ask", "Ask a question about your account or the exchange"},
		"zh-Hans": {"提问", "询问有关账户或交易所的问题"},
		"zh-Hant": {"提問", "詢問有關帳戶或交易所的問題"},
		"ja":      {"質問", "アカウントや取引所について質問する"},
		"ko":      {"질문", "계정 또는 거래소에 대해 질문하기"},
		"ru":      {"спросить", "Задать вопрос об аккаунте или бирже"},
		"es":      {"preguntar", "Haz una pregunta sobre tu cuenta o el exchange"},
		"vi":      {"hỏi", "Đặt câu hỏi về tài khoản hoặc sàn giao dịch"},
		"tr":      {"sor", "Hesabınız veya borsa hakkında soru sorun"},
		"pt":      {"perguntar", "Faça uma pergunta sobre sua conta ou a corretora"},
		"fr":      {"demander", "Posez une question sur votre compte ou la plateforme"},
	}, options: []slashOption{{typ: discordgo.ApplicationCommandOptionString, required: true, text: map[string]text{
		"en":      {"question", "Your question"},
		"zh-Hans": {"问题", "您的问题"},
		"zh-Hant": {"問題", "您的問題"},
		"ja":      {"質問内容", "ご質問の内容"},
		"ko":      {"질문내용", "질문 내용"},
		"ru":      {"вопрос", "Ваш вопрос"},
		"es":      {"pregunta", "Tu pregunta"},
		"vi":      {"câu-hỏi", "Câu hỏi của bạn"},
		"tr":      {"soru", "Sorunuz"},
		"pt":      {"pergunta", "Sua pergunta"},
		"fr":      {"question", "Votre question"},
	}}, fileOption}},

	"human": {command: supportbot.CmdHuman, text: map[string]text{
		"en":      {"human", "Talk to a person from the support team"},
		"zh-Hans": {"人工客服", "联系人工客服"},
		"zh-Hant": {"真人客服", "聯絡真人客服"},
		"ja":      {"担当者", "サポート担当者と話す"},
		"ko":      {"상담원", "상담원과 대화하기"},
		"ru":      {"оператор", "Связаться с сотрудником поддержки"},
		"es":      {"agente", "Hablar con una persona del equipo de soporte"},
		"vi":      {"nhân-viên", "Trò chuyện với nhân viên hỗ trợ"},
		"tr":      {"temsilci", "Destek ekibinden biriyle konuşun"},
		"pt":      {"atendente", "Falar com uma pessoa da equipe de suporte"},
		"fr":      {"conseiller", "Parler à une personne de l’équipe d’assistance"},
	}, options: []slashOption{{typ: discordgo.ApplicationCommandOptionString, text: map[string]text{
		"en":      {"message", "What you need help with (optional)"},
		"zh-Hans": {"留言", "需要什么帮助（可选）"},
		"zh-Hant": {"留言", "需要什麼協助（選填）"},
		"ja":      {"メッセージ", "相談したい内容（任意）"},
		"ko":      {"메시지", "도움이 필요한 내용(선택)"},
		"ru":      {"сообщение", "С чем нужна помощь (необязательно)"},
		"es":      {"mensaje", "En qué necesitas ayuda (opcional)"},
		"vi":      {"lời-nhắn", "Bạn cần hỗ trợ gì (không bắt buộc)"},
		"tr":      {"mesaj", "Ne konuda yardım istediğiniz (isteğe bağlı)"},
		"pt":      {"mensagem", "Com o que você precisa de ajuda (opcional)"},
		"fr":      {"message", "Ce pour quoi vous avez besoin d’aide (facultatif)"},
	}}}},

	"ticket": {command: supportbot.CmdTicket, text: map[string]text{
		"en":      {"ticket", "Open a support ticket"},
		"zh-Hans": {"工单", "提交工单"},
		"zh-Hant": {"工單", "提交工單"},
		"ja":      {"チケット", "サポートチケットを作成する"},
		"ko":      {"티켓", "지원 티켓 만들기"},
		"ru":      {"обращение", "Создать обращение в поддержку"},
		"es":      {"ticket", "Abrir un ticket de soporte"},
		"vi":      {"phiếu", "Mở phiếu hỗ trợ"},
		"tr":      {"talep", "Destek talebi oluşturun"},
		"pt":      {"chamado", "Abrir um chamado de suporte"},
		"fr":      {"ticket", "Ouvrir un ticket d’assistance"},
	}, options: []slashOption{{typ: discordgo.ApplicationCommandOptionString, text: map[string]text{
		"en":      {"description", "Describe the problem"},
		"zh-Hans": {"描述", "描述问题"},
		"zh-Hant": {"描述", "描述問題"},
		"ja":      {"内容", "問題の内容"},
		"ko":      {"내용", "문제 설명"},
		"ru":      {"описание", "Опишите проблему"},
		"es":      {"descripción", "Describe el problema"},
		"vi":      {"mô-tả", "Mô tả vấn đề"},
		"tr":      {"açıklama", "Sorunu açıklayın"},
		"pt":      {"descrição", "Descreva o problema"},
		"fr":      {"description", "Décrivez le problème"},
	}}, fileOption}},

	"status": {command: supportbot.CmdStatus, private: true, text: map[string]text{
		"en":      {"status", "Show the status of your tickets"},
		"zh-Hans": {"状态", "查看工单状态"},
		"zh-Hant": {"狀態", "查看工單狀態"},
		"ja":      {"状況", "チケットの状況を確認する"},
		"ko":      {"상태", "티켓 상태 보기"},
		"ru":      {"статус", "Статус ваших обращений"},
		"es":      {"estado", "Ver el estado de tus tickets"},
		"vi":      {"trạng-thái", "Xem trạng thái phiếu của bạn"},
		"tr":      {"durum", "Taleplerinizin durumunu gösterin"},
		"pt":      {"status", "Ver o status dos seus chamados"},
		"fr":      {"statut", "Voir l’état de vos tickets"},
	}, options: []slashOption{{typ: discordgo.ApplicationCommandOptionString, text: map[string]text{
		"en":      {"ticket", "Ticket number (optional)"},
		"zh-Hans": {"工单号", "工单号（可选）"},
		"zh-Hant": {"工單號", "工單號（選填）"},
		"ja":      {"チケット番号", "チケット番号（任意）"},
		"ko":      {"티켓번호", "티켓 번호(선택)"},
		"ru":      {"номер", "Номер обращения (необязательно)"},
		"es":      {"número", "Número de ticket (opcional)"},
		"vi":      {"số-phiếu", "Số phiếu (không bắt buộc)"},
		"tr":      {"numara", "Talep numarası (isteğe bağlı)"},
		"pt":      {"número", "Número do chamado (opcional)"},
		"fr":      {"numéro", "Numéro du ticket (facultatif)"},
	}}}},

	"lang": {command: supportbot.CmdLang, private: true, text: map[string]text{
		"en":      {"lang", "Choose the language I answer in"},
		"zh-Hans": {"语言", "选择回复语言"},
		"zh-Hant": {"語言", "選擇回覆語言"},
		"ja":      {"言語", "回答の言語を選ぶ"},
		"ko":      {"언어", "답변 언어 선택"},
		"ru":      {"язык", "Выбрать язык ответов"},
		"es":      {"idioma", "Elige el idioma de las respuestas"},
		"vi":      {"ngôn-ngữ", "Chọn ngôn ngữ trả lời"},
		"tr":      {"dil", "Yanıt dilini seçin"},
		"pt":      {"idioma", "Escolha o idioma das respostas"},
		"fr":      {"langue", "Choisir la langue des réponses"},
	}, options: []slashOption{{typ: discordgo.ApplicationCommandOptionString, choices: languageChoices(), text: map[string]text{
		"en":      {"language", "Language"},
		"zh-Hans": {"语言", "语言"},
		"zh-Hant": {"語言", "語言"},
		"ja":      {"言語", "言語"},
		"ko":      {"언어", "언어"},
		"ru":      {"язык", "Язык"},
		"es":      {"idioma", "Idioma"},
		"vi":      {"ngôn-ngữ", "Ngôn ngữ"},
		"tr":      {"dil", "Dil"},
		"pt":      {"idioma", "Idioma"},
		"fr":      {"langue", "Langue"},
	}}}},

	"link": {command: supportbot.CmdStart, private: true, text: map[string]text{
		"en":      {"link", "Link your exchange account with the code from the website"},
		"zh-Hans": {"绑定账户", "使用网站上的代码绑定交易所账户"},
		"zh-Hant": {"綁定帳戶", "使用網站上的代碼綁定交易所帳戶"},
		"ja":      {"アカウント連携", "ウェブサイトのコードで取引所アカウントを連携する"},
		"ko":      {"계정연결", "웹사이트의 코드로 거래소 계정 연결"},
		"ru":      {"привязать", "Привязать аккаунт биржи кодом с сайта"},
		"es":      {"vincular", "Vincula tu cuenta del exchange con el código del sitio web"},
		"vi":      {"liên-kết", "Liên kết tài khoản sàn bằng mã trên trang web"},
		"tr":      {"bağla", "Web sitesindeki kodla borsa hesabınızı bağlayın"},
		"pt":      {"vincular", "Vincule sua conta da corretora com o código do site"},
		"fr":      {"lier", "Liez votre compte avec le code du site"},
	}, options: []slashOption{{typ: discordgo.ApplicationCommandOptionString, required: true, text: map[string]text{
		"en":      {"code", "The one-time code shown on the website"},
		"zh-Hans": {"代码", "网站上显示的一次性代码"},
		"zh-Hant": {"代碼", "網站上顯示的一次性代碼"},
		"ja":      {"コード", "ウェブサイトに表示されたワンタイムコード"},
		"ko":      {"코드", "웹사이트에 표시된 일회용 코드"},
		"ru":      {"код", "Одноразовый код с сайта"},
		"es":      {"código", "El código de un solo uso del sitio web"},
		"vi":      {"mã", "Mã dùng một lần hiển thị trên trang web"},
		"tr":      {"kod", "Web sitesinde gösterilen tek kullanımlık kod"},
		"pt":      {"código", "O código de uso único exibido no site"},
		"fr":      {"code", "Le code à usage unique affiché sur le site"},
	}}}},

	"help": {command: supportbot.CmdHelp, private: true, text: map[string]text{
		"en":      {"help", "What I can do"},
		"zh-Hans": {"帮助", "我能做什么"},
		"zh-Hant": {"幫助", "我能做什麼"},
		"ja":      {"ヘルプ", "できること"},
		"ko":      {"도움말", "제가 할 수 있는 일"},
		"ru":      {"помощь", "Что я умею"},
		"es":      {"ayuda", "Lo que puedo hacer"},
		"vi":      {"trợ-giúp", "Tôi có thể làm gì"},
		"tr":      {"yardım", "Neler yapabilirim"},
		"pt":      {"ajuda", "O que eu posso fazer"},
		"fr":      {"aide", "Ce que je sais faire"},
	}},
}

// commandOrder is the order the commands are registered in.
var commandOrder = []string{"ask", "human", "ticket", "status", "lang", "link", "help"}

func languageChoices() []*discordgo.ApplicationCommandOptionChoice {
	out := make([]*discordgo.ApplicationCommandOptionChoice, len(supportbot.Languages))
	for i, l := range supportbot.Languages {
		out[i] = &discordgo.ApplicationCommandOptionChoice{Name: supportbot.LanguageNames[l], Value: l}
	}
	return out
}

// localizations turns a per-language table into Discord's
// name_localizations and description_localizations.
func localizations(t map[string]text) (names, descs map[discordgo.Locale]string) {
	names, descs = map[discordgo.Locale]string{}, map[discordgo.Locale]string{}
	for lang, locs := range localeOf {
		tx, ok := t[lang]
		if !ok {
			continue
		}
		for _, loc := range locs {
			names[loc], descs[loc] = tx.name, tx.desc
		}
	}
	return names, descs
}

// applicationCommands builds the commands to register. They work in
// guilds and in DMs with the bot.
func applicationCommands() []*discordgo.ApplicationCommand {
	contexts := []discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM}
	dm := true
	out := make([]*discordgo.ApplicationCommand, 0, len(commandOrder))
	for _, name := range commandOrder {
		c := commands[name]
		names, descs := localizations(c.text)
		ac := &discordgo.ApplicationCommand{
			Type:                     discordgo.ChatApplicationCommand,
			Name:                     c.text["en"].name,
			NameLocalizations:        &names,
			Description:              c.text["en"].desc,
			DescriptionLocalizations: &descs,
			DMPermission:             &dm,
			Contexts:                 &contexts,
			Options:                  []*discordgo.ApplicationCommandOption{},
		}
		for _, o := range c.options {
			on, od := localizations(o.text)
			ac.Options = append(ac.Options, &discordgo.ApplicationCommandOption{
				Type:                     o.typ,
				Name:                     o.text["en"].name,
				NameLocalizations:        on,
				Description:              o.text["en"].desc,
				DescriptionLocalizations: od,
				Required:                 o.required,
				Choices:                  o.choices,
			})
		}
		out = append(out, ac)
	}
	return out
}

package telegram

import (
	"strings"

	"github.com/supportbot/supportbot"
)

// The connector's own words: the engine writes the answers, but a few
// things only the Telegram side knows (a group answer moved to a private
// chat, a file refused before it reached the engine, the command menu).
// Every string exists in all supported languages; T falls back to English
// for a missing one, and a test checks none is missing.
var catalog = map[string]map[string]string{
	"moved_to_dm": {
		"en":      "This concerns your account, so I've answered you in a private chat. If you don't see my message, open {link} and press Start.",
		"zh-Hans": "此事涉及您的账户，我已在私聊中回复您。如果没有看到消息，请打开 {link} 并点击“开始”。",
		"zh-Hant": "此事涉及您的帳戶，我已在私訊中回覆您。如果沒有看到訊息，請開啟 {link} 並點擊「開始」。",
		"ja":      "アカウントに関する内容のため、個別チャットで回答しました。メッセージが見当たらない場合は {link} を開いて「開始」を押してください。",
		"ko":      "계정과 관련된 내용이라 개인 채팅으로 답변드렸습니다. 메시지가 보이지 않으면 {link} 을(를) 열고 시작을 눌러 주세요.",
		"ru":      "Это касается вашего аккаунта, поэтому я ответил вам в личном чате. Если сообщения нет, откройте {link} и нажмите «Старт».",
		"es":      "Esto afecta a tu cuenta, así que te he respondido en un chat privado. Si no ves mi mensaje, abre {link} y pulsa Iniciar.",
		"vi":      "Việc này liên quan đến tài khoản của bạn nên tôi đã trả lời trong cuộc trò chuyện riêng. Nếu không thấy tin nhắn, hãy mở {link} và nhấn Bắt đầu.",
		"tr":      "Bu hesabınızla ilgili olduğu için size özel sohbetten yanıt verdim. Mesajımı göremiyorsanız {link} adresini açıp Başlat'a basın.",
		"pt":      "Isto diz respeito à sua conta, por isso respondi em um chat privado. Se não vir a minha mensagem, abra {link} e toque em Iniciar.",
		"fr":      "Cela concerne votre compte, je vous ai donc répondu en privé. Si vous ne voyez pas mon message, ouvrez {link} et appuyez sur Démarrer.",
	},
	"error": {
		"en":      "Sorry, something went wrong on our side. Please try again in a few minutes.",
		"zh-Hans": "抱歉，我们这边出了点问题。请几分钟后再试。",
		"zh-Hant": "抱歉，我們這邊出了點問題。請幾分鐘後再試。",
		"ja":      "申し訳ありません。こちらで問題が発生しました。数分後にもう一度お試しください。",
		"ko":      "죄송합니다. 저희 쪽에 문제가 발생했습니다. 몇 분 후에 다시 시도해 주세요.",
		"ru":      "Извините, у нас что-то пошло не так. Попробуйте ещё раз через несколько минут.",
		"es":      "Lo sentimos, algo ha fallado por nuestra parte. Inténtalo de nuevo en unos minutos.",
		"vi":      "Xin lỗi, đã có lỗi từ phía chúng tôi. Vui lòng thử lại sau vài phút.",
		"tr":      "Üzgünüz, bizim tarafımızda bir sorun oluştu. Lütfen birkaç dakika sonra tekrar deneyin.",
		"pt":      "Desculpe, algo deu errado do nosso lado. Tente novamente em alguns minutos.",
		"fr":      "Désolé, un problème est survenu de notre côté. Veuillez réessayer dans quelques minutes.",
	},
	"file_too_large": {
		"en":      "The file is too large: at most {max} MB, please.",
		"zh-Hans": "文件太大：请不要超过 {max} MB。",
		"zh-Hant": "檔案太大：請不要超過 {max} MB。",
		"ja":      "ファイルが大きすぎます。{max} MB 以下にしてください。",
		"ko":      "파일이 너무 큽니다. {max}MB 이하로 보내 주세요.",
		"ru":      "Файл слишком большой: не более {max} МБ.",
		"es":      "El archivo es demasiado grande: como máximo {max} MB, por favor.",
		"vi":      "Tệp quá lớn: vui lòng gửi tối đa {max} MB.",
		"tr":      "Dosya çok büyük: lütfen en fazla {max} MB gönderin.",
		"pt":      "O arquivo é grande demais: no máximo {max} MB, por favor.",
		"fr":      "Le fichier est trop volumineux : {max} Mo au maximum, s'il vous plaît.",
	},
	"file_type": {
		"en":      "I can only accept photos (PNG, JPEG, GIF, WebP) and PDF documents.",
		"zh-Hans": "我只能接收照片（PNG、JPEG、GIF、WebP）和 PDF 文档。",
		"zh-Hant": "我只能接收照片（PNG、JPEG、GIF、WebP）和 PDF 文件。",
		"ja":      "受け付けられるのは写真（PNG、JPEG、GIF、WebP）と PDF 文書のみです。",
		"ko":      "사진(PNG, JPEG, GIF, WebP)과 PDF 문서만 받을 수 있습니다.",
		"ru":      "Я принимаю только фотографии (PNG, JPEG, GIF, WebP) и документы PDF.",
		"es":      "Solo puedo aceptar fotos (PNG, JPEG, GIF, WebP) y documentos PDF.",
		"vi":      "Tôi chỉ nhận ảnh (PNG, JPEG, GIF, WebP) và tài liệu PDF.",
		"tr":      "Yalnızca fotoğraf (PNG, JPEG, GIF, WebP) ve PDF belgesi kabul edebiliyorum.",
		"pt":      "Só posso aceitar fotos (PNG, JPEG, GIF, WebP) e documentos PDF.",
		"fr":      "Je n'accepte que les photos (PNG, JPEG, GIF, WebP) et les documents PDF.",
	},
	"unsupported": {
		"en":      "I can read text messages, photos and PDF documents. Please write your question.",
		"zh-Hans": "我可以阅读文字消息、照片和 PDF 文档。请输入您的问题。",
		"zh-Hant": "我可以閱讀文字訊息、照片和 PDF 文件。請輸入您的問題。",
		"ja":      "テキストメッセージ、写真、PDF 文書を読むことができます。ご質問を入力してください。",
		"ko":      "텍스트 메시지, 사진, PDF 문서를 읽을 수 있습니다. 질문을 입력해 주세요.",
		"ru":      "Я понимаю текстовые сообщения, фотографии и документы PDF. Напишите, пожалуйста, ваш вопрос.",
		"es":      "Puedo leer mensajes de texto, fotos y documentos PDF. Escribe tu pregunta, por favor.",
		"vi":      "Tôi có thể đọc tin nhắn văn bản, ảnh và tài liệu PDF. Vui lòng nhập câu hỏi của bạn.",
		"tr":      "Metin mesajlarını, fotoğrafları ve PDF belgelerini okuyabilirim. Lütfen sorunuzu yazın.",
		"pt":      "Consigo ler mensagens de texto, fotos e documentos PDF. Escreva a sua pergunta, por favor.",
		"fr":      "Je peux lire les messages texte, les photos et les documents PDF. Écrivez votre question, s'il vous plaît.",
	},
	"rated": {
		"en":      "Thank you for your rating!",
		"zh-Hans": "感谢您的评分！",
		"zh-Hant": "感謝您的評分！",
		"ja":      "評価していただきありがとうございます！",
		"ko":      "평가해 주셔서 감사합니다!",
		"ru":      "Спасибо за вашу оценку!",
		"es":      "¡Gracias por tu valoración!",
		"vi":      "Cảm ơn bạn đã đánh giá!",
		"tr":      "Değerlendirmeniz için teşekkürler!",
		"pt":      "Obrigado pela sua avaliação!",
		"fr":      "Merci pour votre note !",
	},
	"button_expired": {
		"en":      "This button is no longer active.",
		"zh-Hans": "此按钮已失效。",
		"zh-Hant": "此按鈕已失效。",
		"ja":      "このボタンは現在無効です。",
		"ko":      "이 버튼은 더 이상 사용할 수 없습니다.",
		"ru":      "Эта кнопка больше не действует.",
		"es":      "Este botón ya no está activo.",
		"vi":      "Nút này không còn hoạt động.",
		"tr":      "Bu düğme artık etkin değil.",
		"pt":      "Este botão já não está ativo.",
		"fr":      "Ce bouton n'est plus actif.",
	},
	"cmd.start": {
		"en": "Start and choose your language", "zh-Hans": "开始并选择语言", "zh-Hant": "開始並選擇語言",
		"ja": "開始して言語を選ぶ", "ko": "시작하고 언어 선택", "ru": "Начать и выбрать язык",
		"es": "Empezar y elegir idioma", "vi": "Bắt đầu và chọn ngôn ngữ", "tr": "Başla ve dil seç",
		"pt": "Começar e escolher o idioma", "fr": "Démarrer et choisir la langue",
	},
	"cmd.help": {
		"en": "What I can do for you", "zh-Hans": "我能为您做什么", "zh-Hant": "我能為您做什麼",
		"ja": "できること", "ko": "도움말", "ru": "Что я умею",
		"es": "Qué puedo hacer por ti", "vi": "Tôi có thể giúp gì", "tr": "Neler yapabilirim",
		"pt": "O que posso fazer por você", "fr": "Ce que je peux faire pour vous",
	},
	"cmd.lang": {
		"en": "Change the language", "zh-Hans": "切换语言", "zh-Hant": "切換語言",
		"ja": "言語を変更", "ko": "언어 변경", "ru": "Сменить язык",
		"es": "Cambiar de idioma", "vi": "Đổi ngôn ngữ", "tr": "Dili değiştir",
		"pt": "Mudar o idioma", "fr": "Changer de langue",
	},
	"cmd.human": {
		"en": "Talk to a person", "zh-Hans": "联系人工客服", "zh-Hant": "聯絡真人客服",
		"ja": "担当者と話す", "ko": "상담원 연결", "ru": "Связаться с сотрудником",
		"es": "Hablar con una persona", "vi": "Nói chuyện với nhân viên", "tr": "Bir temsilciyle konuş",
		"pt": "Falar com uma pessoa", "fr": "Parler à un conseiller",
	},
	"cmd.ticket": {
		"en": "Open a support ticket", "zh-Hans": "提交工单", "zh-Hant": "提交工單",
		"ja": "問い合わせチケットを作成", "ko": "지원 티켓 열기", "ru": "Создать обращение",
		"es": "Abrir un ticket de soporte", "vi": "Mở phiếu hỗ trợ", "tr": "Destek talebi aç",
		"pt": "Abrir um ticket de suporte", "fr": "Ouvrir un ticket d'assistance",
	},
	"cmd.status": {
		"en": "Status of your tickets", "zh-Hans": "查看工单状态", "zh-Hant": "查看工單狀態",
		"ja": "チケットの状況", "ko": "티켓 상태 확인", "ru": "Статус ваших обращений",
		"es": "Estado de tus tickets", "vi": "Trạng thái phiếu hỗ trợ", "tr": "Taleplerinizin durumu",
		"pt": "Status dos seus tickets", "fr": "État de vos tickets",
	},
}

// T returns the connector's text for key in lang, with {name} placeholders
// replaced by args given as name, value pairs. Unknown languages fall back
// to English.
func T(lang, key string, args ...string) string {
	m := catalog[key]
	s, ok := m[lang]
	if !ok {
		s = m[supportbot.DefaultLang]
	}
	for i := 0; i+1 < len(args); i += 2 {
		s = strings.ReplaceAll(s, "{"+args[i]+"}", args[i+1])
	}
	return s
}

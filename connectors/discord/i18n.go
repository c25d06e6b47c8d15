package discord

import (
	"fmt"

	"github.com/supportbot/supportbot"
)

// The connector's own UI strings, in every supported language. The engine
// writes the answers; these are the few things only Discord needs to say
// (where to ask, whose buttons these are, why a file was not taken).
// Arguments are filled in with fmt verbs, in order.
var messages = map[string]map[string]string{
	"en": {
		"use_support_channel": "Please ask in %s, or send me a direct message.",
		"dm_only":             "Please send me a direct message.",
		"not_your_buttons":    "These buttons belong to the person who asked.",
		"not_your_thread":     "This thread belongs to someone else. Use /ask in a support channel, or send me a direct message.",
		"moved_to_thread":     "I'll answer you in %s.",
		"no_thread":           "I can't open a thread here (I need the Create Threads permission). Please send me a direct message.",
		"file_too_large":      "The file “%s” is too large (at most %d MB) and was not attached.",
		"file_type":           "The file “%s” was not attached: send images (PNG, JPEG, GIF, WebP) or PDF files.",
		"file_failed":         "I could not download “%s”; please send it again.",
		"too_many_files":      "Only the first %d files were attached.",
		"error":               "Sorry, something went wrong on my side. Please try again in a moment.",
		"csat_thanks":         "Thank you for your rating!",
	},
	"zh-Hans": {
		"use_support_channel": "请在 %s 提问，或直接私信我。",
		"dm_only":             "请直接私信我。",
		"not_your_buttons":    "这些按钮只供提问者使用。",
		"not_your_thread":     "这个子区属于其他用户。请在支持频道使用 /ask，或直接私信我。",
		"moved_to_thread":     "我会在 %s 回复您。",
		"no_thread":           "我无法在这里创建子区（需要“创建子区”权限）。请直接私信我。",
		"file_too_large":      "文件“%s”太大（最大 %d MB），未能附上。",
		"file_type":           "文件“%s”未附上：请发送图片（PNG、JPEG、GIF、WebP）或 PDF 文件。",
		"file_failed":         "无法下载“%s”，请重新发送。",
		"too_many_files":      "只附上了前 %d 个文件。",
		"error":               "抱歉，我这边出了点问题，请稍后再试。",
		"csat_thanks":         "感谢您的评分！",
	},
	"zh-Hant": {
		"use_support_channel": "請在 %s 提問，或直接私訊我。",
		"dm_only":             "請直接私訊我。",
		"not_your_buttons":    "這些按鈕只供提問者使用。",
		"not_your_thread":     "這個討論串屬於其他使用者。請在支援頻道使用 /ask，或直接私訊我。",
		"moved_to_thread":     "我會在 %s 回覆您。",
		"no_thread":           "我無法在這裡建立討論串（需要「建立討論串」權限）。請直接私訊我。",
		"file_too_large":      "檔案「%s」太大（最大 %d MB），未能附上。",
		"file_type":           "檔案「%s」未附上：請傳送圖片（PNG、JPEG、GIF、WebP）或 PDF 檔案。",
		"file_failed":         "無法下載「%s」，請重新傳送。",
		"too_many_files":      "只附上了前 %d 個檔案。",
		"error":               "抱歉，我這邊出了點問題，請稍後再試。",
		"csat_thanks":         "感謝您的評分！",
	},
	"ja": {
		"use_support_channel": "%s で質問するか、ダイレクトメッセージを送ってください。",
		"dm_only":             "ダイレクトメッセージを送ってください。",
		"not_your_buttons":    "これらのボタンは質問した方だけが使えます。",
		"not_your_thread":     "このスレッドは別の方のものです。サポートチャンネルで /ask を使うか、ダイレクトメッセージを送ってください。",
		"moved_to_thread":     "%s でお答えします。",
		"no_thread":           "ここではスレッドを作成できません（スレッド作成の権限が必要です）。ダイレクトメッセージを送ってください。",
		"file_too_large":      "ファイル「%s」は大きすぎるため（最大 %d MB）添付されませんでした。",
		"file_type":           "ファイル「%s」は添付されませんでした。画像（PNG、JPEG、GIF、WebP）または PDF を送ってください。",
		"file_failed":         "「%s」をダウンロードできませんでした。もう一度送ってください。",
		"too_many_files":      "最初の %d 件のファイルだけを添付しました。",
		"error":               "申し訳ありません。問題が発生しました。しばらくしてからもう一度お試しください。",
		"csat_thanks":         "評価をありがとうございます！",
	},
	"ko": {
		"use_support_channel": "%s에서 질문하시거나 DM을 보내 주세요.",
		"dm_only":             "DM을 보내 주세요.",
		"not_your_buttons":    "이 버튼은 질문하신 분만 사용할 수 있습니다.",
		"not_your_thread":     "이 스레드는 다른 사용자의 것입니다. 지원 채널에서 /ask를 사용하시거나 DM을 보내 주세요.",
		"moved_to_thread":     "%s에서 답변드리겠습니다.",
		"no_thread":           "여기에서는 스레드를 만들 수 없습니다(스레드 만들기 권한 필요). DM을 보내 주세요.",
		"file_too_large":      "파일 “%s”이(가) 너무 커서(최대 %d MB) 첨부되지 않았습니다.",
		"file_type":           "파일 “%s”은(는) 첨부되지 않았습니다. 이미지(PNG, JPEG, GIF, WebP) 또는 PDF 파일을 보내 주세요.",
		"file_failed":         "“%s”을(를) 다운로드하지 못했습니다. 다시 보내 주세요.",
		"too_many_files":      "처음 %d개의 파일만 첨부되었습니다.",
		"error":               "죄송합니다. 문제가 발생했습니다. 잠시 후 다시 시도해 주세요.",
		"csat_thanks":         "평가해 주셔서 감사합니다!",
	},
	"ru": {
		"use_support_channel": "Задайте вопрос в %s или напишите мне в личные сообщения.",
		"dm_only":             "Напишите мне в личные сообщения.",
		"not_your_buttons":    "Эти кнопки доступны только автору вопроса.",
		"not_your_thread":     "Эта ветка принадлежит другому пользователю. Используйте /ask в канале поддержки или напишите мне в личные сообщения.",
		"moved_to_thread":     "Я отвечу вам в %s.",
		"no_thread":           "Я не могу создать здесь ветку (нужно право «Создавать ветки»). Напишите мне в личные сообщения.",
		"file_too_large":      "Файл «%s» слишком большой (не более %d МБ) и не был прикреплён.",
		"file_type":           "Файл «%s» не прикреплён: отправляйте изображения (PNG, JPEG, GIF, WebP) или PDF.",
		"file_failed":         "Не удалось загрузить «%s», отправьте его ещё раз.",
		"too_many_files":      "Прикреплены только первые %d файлов.",
		"error":               "Извините, у меня что-то пошло не так. Попробуйте ещё раз чуть позже.",
		"csat_thanks":         "Спасибо за оценку!",
	},
	"es": {
		"use_support_channel": "Pregunta en %s o envíame un mensaje directo.",
		"dm_only":             "Envíame un mensaje directo.",
		"not_your_buttons":    "Estos botones son de la persona que preguntó.",
		"not_your_thread":     "Este hilo es de otra persona. Usa /ask en un canal de soporte o envíame un mensaje directo.",
		"moved_to_thread":     "Te responderé en %s.",
		"no_thread":           "No puedo crear un hilo aquí (necesito el permiso Crear hilos). Envíame un mensaje directo.",
		"file_too_large":      "El archivo «%s» es demasiado grande (máximo %d MB) y no se adjuntó.",
		"file_type":           "El archivo «%s» no se adjuntó: envía imágenes (PNG, JPEG, GIF, WebP) o archivos PDF.",
		"file_failed":         "No pude descargar «%s»; envíalo de nuevo.",
		"too_many_files":      "Solo se adjuntaron los primeros %d archivos.",
		"error":               "Lo siento, algo salió mal por mi parte. Inténtalo de nuevo en un momento.",
		"csat_thanks":         "¡Gracias por tu valoración!",
	},
	"vi": {
		"use_support_channel": "Vui lòng hỏi trong %s hoặc nhắn tin riêng cho tôi.",
		"dm_only":             "Vui lòng nhắn tin riêng cho tôi.",
		"not_your_buttons":    "Các nút này chỉ dành cho người đã đặt câu hỏi.",
		"not_your_thread":     "Chủ đề này thuộc về người khác. Hãy dùng /ask trong kênh hỗ trợ hoặc nhắn tin riêng cho tôi.",
		"moved_to_thread":     "Tôi sẽ trả lời bạn trong %s.",
		"no_thread":           "Tôi không thể tạo chủ đề ở đây (cần quyền Tạo chủ đề). Vui lòng nhắn tin riêng cho tôi.",
		"file_too_large":      "Tệp “%s” quá lớn (tối đa %d MB) nên không được đính kèm.",
		"file_type":           "Tệp “%s” không được đính kèm: hãy gửi ảnh (PNG, JPEG, GIF, WebP) hoặc tệp PDF.",
		"file_failed":         "Tôi không tải được “%s”; vui lòng gửi lại.",
		"too_many_files":      "Chỉ %d tệp đầu tiên được đính kèm.",
		"error":               "Xin lỗi, đã có lỗi xảy ra phía tôi. Vui lòng thử lại sau ít phút.",
		"csat_thanks":         "Cảm ơn bạn đã đánh giá!",
	},
	"tr": {
		"use_support_channel": "Lütfen %s kanalında sorun ya da bana doğrudan mesaj gönderin.",
		"dm_only":             "Lütfen bana doğrudan mesaj gönderin.",
		"not_your_buttons":    "Bu düğmeler yalnızca soruyu soran kişi içindir.",
		"not_your_thread":     "Bu alt başlık başka birine ait. Destek kanalında /ask kullanın ya da bana doğrudan mesaj gönderin.",
		"moved_to_thread":     "Size %s içinde yanıt vereceğim.",
		"no_thread":           "Burada alt başlık açamıyorum (Alt Başlık Oluştur izni gerekli). Lütfen bana doğrudan mesaj gönderin.",
		"file_too_large":      "“%s” dosyası çok büyük (en fazla %d MB) ve eklenmedi.",
		"file_type":           "“%s” dosyası eklenmedi: görsel (PNG, JPEG, GIF, WebP) veya PDF gönderin.",
		"file_failed":         "“%s” indirilemedi; lütfen tekrar gönderin.",
		"too_many_files":      "Yalnızca ilk %d dosya eklendi.",
		"error":               "Üzgünüm, benim tarafımda bir sorun oluştu. Lütfen biraz sonra tekrar deneyin.",
		"csat_thanks":         "Değerlendirmeniz için teşekkürler!",
	},
	"pt": {
		"use_support_channel": "Pergunte em %s ou me envie uma mensagem direta.",
		"dm_only":             "Envie-me uma mensagem direta.",
		"not_your_buttons":    "Estes botões são de quem fez a pergunta.",
		"not_your_thread":     "Este tópico é de outra pessoa. Use /ask em um canal de suporte ou me envie uma mensagem direta.",
		"moved_to_thread":     "Vou responder você em %s.",
		"no_thread":           "Não consigo criar um tópico aqui (preciso da permissão Criar tópicos). Envie-me uma mensagem direta.",
		"file_too_large":      "O arquivo “%s” é grande demais (no máximo %d MB) e não foi anexado.",
		"file_type":           "O arquivo “%s” não foi anexado: envie imagens (PNG, JPEG, GIF, WebP) ou PDF.",
		"file_failed":         "Não consegui baixar “%s”; envie-o novamente.",
		"too_many_files":      "Só os primeiros %d arquivos foram anexados.",
		"error":               "Desculpe, algo deu errado do meu lado. Tente novamente em instantes.",
		"csat_thanks":         "Obrigado pela sua avaliação!",
	},
	"fr": {
		"use_support_channel": "Posez votre question dans %s ou envoyez-moi un message privé.",
		"dm_only":             "Envoyez-moi un message privé.",
		"not_your_buttons":    "Ces boutons sont réservés à la personne qui a posé la question.",
		"not_your_thread":     "Ce fil appartient à quelqu’un d’autre. Utilisez /ask dans un salon d’assistance ou envoyez-moi un message privé.",
		"moved_to_thread":     "Je vous réponds dans %s.",
		"no_thread":           "Je ne peux pas créer de fil ici (il me faut la permission Créer des fils). Envoyez-moi un message privé.",
		"file_too_large":      "Le fichier « %s » est trop volumineux (%d Mo au plus) et n’a pas été joint.",
		"file_type":           "Le fichier « %s » n’a pas été joint : envoyez des images (PNG, JPEG, GIF, WebP) ou des PDF.",
		"file_failed":         "Je n’ai pas pu télécharger « %s » ; renvoyez-le, s’il vous plaît.",
		"too_many_files":      "Seuls les %d premiers fichiers ont été joints.",
		"error":               "Désolé, un problème est survenu de mon côté. Réessayez dans un instant.",
		"csat_thanks":         "Merci pour votre note !",
	},
}

// tr returns the message key in lang (English when lang is unknown),
// formatted with args.
func tr(lang, key string, args ...any) string {
	m, ok := messages[supportbot.NormalizeLang(lang)]
	if !ok {
		m = messages["en"]
	}
	s, ok := m[key]
	if !ok {
		s = messages["en"][key]
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

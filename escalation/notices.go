package escalation

import (
	"fmt"

	"github.com/supportbot/supportbot"
)

// notices are the texts users get from the desk (not from the bot), in
// every supported language. Keys: reply_header (agent name, ticket
// number), status_changed (ticket number, status name), status_<status>,
// csat_request (ticket number).
var notices = map[string]map[string]string{
	"en": {
		"reply_header":   "**%s** from support replied on ticket #%d:",
		"status_changed": "Your ticket #%d is now: %s.",
		"status_new":     "new", "status_open": "open, an agent is working on it",
		"status_pending": "waiting for your reply", "status_on_hold": "on hold, waiting for a third party",
		"status_solved": "solved", "status_closed": "closed",
		"csat_request": "How happy are you with the help on ticket #%d? Rate it from 1 (poor) to 5 (great).",
	},
	"zh-Hans": {
		"reply_header":   "客服 **%s** 回复了工单 #%d：",
		"status_changed": "您的工单 #%d 当前状态：%s。",
		"status_new":     "新建", "status_open": "处理中，客服正在跟进",
		"status_pending": "等待您的回复", "status_on_hold": "暂挂，正在等待第三方处理",
		"status_solved": "已解决", "status_closed": "已关闭",
		"csat_request": "您对工单 #%d 的服务满意吗？请打分：1（很差）到 5（很好）。",
	},
	"zh-Hant": {
		"reply_header":   "客服 **%s** 回覆了工單 #%d：",
		"status_changed": "您的工單 #%d 目前狀態：%s。",
		"status_new":     "新建", "status_open": "處理中，客服正在跟進",
		"status_pending": "等待您的回覆", "status_on_hold": "暫停，正在等待第三方處理",
		"status_solved": "已解決", "status_closed": "已關閉",
		"csat_request": "您對工單 #%d 的服務滿意嗎？請評分：1（很差）到 5（很好）。",
	},
	"ja": {
		"reply_header":   "サポート担当 **%s** がチケット #%d に返信しました：",
		"status_changed": "チケット #%d のステータス：%s。",
		"status_new":     "新規", "status_open": "対応中（担当者が確認しています）",
		"status_pending": "お客様の返信待ち", "status_on_hold": "保留中（第三者の対応待ち）",
		"status_solved": "解決済み", "status_closed": "クローズ",
		"csat_request": "チケット #%d のサポートにご満足いただけましたか？1（不満）〜5（満足）で評価してください。",
	},
	"ko": {
		"reply_header":   "상담원 **%s** 님이 티켓 #%d 에 답변했습니다:",
		"status_changed": "티켓 #%d 상태: %s.",
		"status_new":     "신규", "status_open": "처리 중 (상담원이 확인하고 있습니다)",
		"status_pending": "고객님의 답변 대기 중", "status_on_hold": "보류 (제3자 처리 대기 중)",
		"status_solved": "해결됨", "status_closed": "종료됨",
		"csat_request": "티켓 #%d 지원에 만족하셨나요? 1(불만족)부터 5(매우 만족)까지 평가해 주세요.",
	},
	"ru": {
		"reply_header":   "**%s** из поддержки ответил(а) по обращению #%d:",
		"status_changed": "Статус вашего обращения #%d: %s.",
		"status_new":     "новое", "status_open": "в работе у специалиста",
		"status_pending": "ждём вашего ответа", "status_on_hold": "приостановлено, ждём третью сторону",
		"status_solved": "решено", "status_closed": "закрыто",
		"csat_request": "Насколько вы довольны помощью по обращению #%d? Оцените от 1 (плохо) до 5 (отлично).",
	},
	"es": {
		"reply_header":   "**%s** de soporte respondió en el ticket #%d:",
		"status_changed": "Su ticket #%d ahora está: %s.",
		"status_new":     "nuevo", "status_open": "abierto, un agente lo está atendiendo",
		"status_pending": "esperando su respuesta", "status_on_hold": "en espera de un tercero",
		"status_solved": "resuelto", "status_closed": "cerrado",
		"csat_request": "¿Qué tan satisfecho está con la ayuda en el ticket #%d? Califique de 1 (mala) a 5 (excelente).",
	},
	"vi": {
		"reply_header":   "**%s** từ bộ phận hỗ trợ đã trả lời phiếu #%d:",
		"status_changed": "Phiếu #%d của bạn hiện ở trạng thái: %s.",
		"status_new":     "mới", "status_open": "đang xử lý, nhân viên đang hỗ trợ",
		"status_pending": "đang chờ bạn trả lời", "status_on_hold": "tạm hoãn, chờ bên thứ ba",
		"status_solved": "đã giải quyết", "status_closed": "đã đóng",
		"csat_request": "Bạn hài lòng thế nào với hỗ trợ cho phiếu #%d? Hãy chấm từ 1 (kém) đến 5 (rất tốt).",
	},
	"tr": {
		"reply_header":   "Destek ekibinden **%s**, #%d numaralı talebi yanıtladı:",
		"status_changed": "#%d numaralı talebinizin durumu: %s.",
		"status_new":     "yeni", "status_open": "açık, bir temsilci ilgileniyor",
		"status_pending": "yanıtınız bekleniyor", "status_on_hold": "beklemede, üçüncü taraf bekleniyor",
		"status_solved": "çözüldü", "status_closed": "kapatıldı",
		"csat_request": "#%d numaralı talepteki destekten ne kadar memnunsunuz? 1 (kötü) ile 5 (harika) arasında puan verin.",
	},
	"pt": {
		"reply_header":   "**%s**, do suporte, respondeu ao ticket #%d:",
		"status_changed": "O seu ticket #%d agora está: %s.",
		"status_new":     "novo", "status_open": "aberto, um agente está cuidando dele",
		"status_pending": "aguardando a sua resposta", "status_on_hold": "em espera de terceiros",
		"status_solved": "resolvido", "status_closed": "fechado",
		"csat_request": "Quão satisfeito você está com o atendimento do ticket #%d? Avalie de 1 (ruim) a 5 (ótimo).",
	},
	"fr": {
		"reply_header":   "**%s**, du support, a répondu au ticket n°%d :",
		"status_changed": "Votre ticket n°%d est maintenant : %s.",
		"status_new":     "nouveau", "status_open": "ouvert, un agent s'en occupe",
		"status_pending": "en attente de votre réponse", "status_on_hold": "en attente d'un tiers",
		"status_solved": "résolu", "status_closed": "fermé",
		"csat_request": "Êtes-vous satisfait de l'aide reçue pour le ticket n°%d ? Notez de 1 (mauvaise) à 5 (excellente).",
	},
}

// notice formats a user notice in lang, falling back to English.
func notice(lang, key string, args ...any) string {
	f, ok := notices[lang][key]
	if !ok {
		f = notices[supportbot.DefaultLang][key]
	}
	if len(args) == 0 {
		return f
	}
	return fmt.Sprintf(f, args...)
}

// StatusName returns a status's name for users, in lang.
func StatusName(lang string, st supportbot.Status) string {
	return notice(lang, "status_"+string(st))
}

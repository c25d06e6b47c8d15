package console

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/supportbot/supportbot"
)

// uiLangs are the languages the console's own strings are translated to
// (all of supportbot's; messages_more.go holds the nine beyond en and
// zh-Hans). A string missing in a language falls back to English.
var uiLangs = supportbot.Languages

// messages are the console's UI strings by language and key. Keys with a
// prefix (status_, priority_, role_, kind_, delivery_, action_) are looked
// up from data.
var messages = map[string]map[string]string{
	"en": {
		"console": "Agent console", "queue": "Queue", "admin": "Admin", "language": "Language", "logout": "Log out",
		"login": "Log in", "login_title": "Log in to the agent console", "email": "Email", "password": "Password",
		"login_failed": "Wrong email or password.", "login_limited": "Too many attempts. Wait a minute and try again.",
		"role_agent": "agent", "role_admin": "admin", "role": "Role",
		"status": "Status", "status_active": "Active (not solved)", "all": "All", "priority": "Priority",
		"channel": "Channel", "assignee": "Assignee", "anyone": "Anyone", "me": "Me", "unassigned": "Unassigned",
		"sla_breached": "SLA breached", "search": "Search", "filter": "Filter", "subject": "Subject", "user": "User",
		"next_due": "Next due", "updated": "Updated", "no_tickets": "No tickets match.",
		"status_new": "New", "status_open": "Open", "status_pending": "Pending", "status_on_hold": "On hold",
		"status_solved": "Solved", "status_closed": "Closed",
		"priority_low": "Low", "priority_normal": "Normal", "priority_high": "High", "priority_urgent": "Urgent",
		"csat": "CSAT", "account": "Account", "not_linked": "not linked", "reason": "Reason", "created": "Created",
		"first_response_due": "First response due", "resolution_due": "Resolution due", "answered": "answered",
		"solved_at": "solved", "conversation": "Conversation",
		"kind_user": "user", "kind_bot": "bot", "kind_agent": "agent reply", "kind_note": "internal note", "kind_system": "notice",
		"delivery_pending": "sending…", "delivery_delivered": "delivered", "delivery_failed": "not delivered",
		"retry": "Retry", "canned_replies": "Canned replies", "draft_ai": "Draft with AI",
		"public_reply": "Public reply to the user", "submit_as": "and set status", "keep_status": "keep status",
		"send_reply": "Send reply", "internal_note": "Internal note (only agents see it)", "add_note": "Add note",
		"save": "Save", "tags": "Tags", "account_actions": "Account actions",
		"account_actions_help": "Sent to the exchange's account service, signed, and written to the audit trail. Only agents can undo a freeze.",
		"confirm_action":       "Run this action on the user's account?", "new_address": "New withdrawal address (if changing it)",
		"run_action": "Run", "other_tickets": "The user's other tickets", "none": "None",
		"suggested_articles": "Suggested articles", "insert_link": "Insert link", "audit_trail": "Audit trail",
		"action_freeze_account": "Freeze account", "action_unfreeze_account": "Unfreeze account",
		"action_remove_2fa": "Remove 2FA", "action_change_withdrawal_address": "Change withdrawal address",
		"agents": "Agents", "name": "Name", "active": "Active", "activate": "Activate", "deactivate": "Deactivate",
		"new_password": "New password", "set_password": "Set password", "add_agent": "Add agent",
		"sla_targets": "SLA targets", "first_response": "First response", "resolution": "Resolution",
		"duration_help": "Durations like 15m, 4h or 72h. They apply to new tickets and to tickets whose priority changes.",
		"delete":        "Delete", "title": "Title", "text": "Text", "add_macro": "Add canned reply",
		"due_in": "in %s", "overdue": "%s overdue", "done": "—", "sla_paused": "paused: waiting on the user",
		"flash_replied": "Reply queued for delivery.", "flash_noted": "Note added.", "flash_saved": "Saved.",
		"insights": "Insights", "last_days": "Last %d days", "closest_article": "Closest article (confidence)", "days_in_zone": "Days in %s", "questions": "Questions",
		"answer_rate": "Answered by the bot", "clarify_count": "Asked to say more", "escalate_count": "Escalated to agents",
		"helpful_rate": "Rated helpful", "ratings_n": "of %d ratings", "no_ratings": "no ratings yet",
		"legend_answered": "answered", "legend_clarified": "asked to say more", "legend_escalated": "escalated",
		"questions_per_day": "Questions per day (UTC)", "by_language": "By language", "by_channel": "By channel",
		"escalation_reasons": "Why questions went to agents", "top_articles": "Articles answered from most",
		"unanswered_title": "Questions the help center does not answer yet",
		"unanswered_help":  "Escalated for want of a confident answer, or rated unhelpful: what to write articles about next. Most asked first.",
		"times_asked":      "Asked", "last_asked": "Last asked", "no_questions": "No questions in this period.",
		"reason_low_confidence": "no confident answer", "reason_asked_for_human": "asked for a person",
		"reason_account_compromised": "hacked account reported", "reason_undo_protection": "asked to undo a protection (unfreeze, 2FA, withdrawal address)", "reason_negative_feedback": "answer rated unhelpful",
		"reason_repeated_question": "asked again after an answer", "reason_always_human_topic": "topic always handled by people",
		"reason_llm_tool_call": "the AI handed over", "reason_attachment": "sent an attachment",
		"reason_user_opened_ticket": "opened a ticket", "reason_added_to_ticket": "added to an open ticket",
	},
	"zh-Hans": {
		"console": "客服工作台", "queue": "工单队列", "admin": "管理", "language": "语言", "logout": "退出登录",
		"login": "登录", "login_title": "登录客服工作台", "email": "邮箱", "password": "密码",
		"login_failed": "邮箱或密码错误。", "login_limited": "尝试次数过多，请一分钟后再试。",
		"role_agent": "客服", "role_admin": "管理员", "role": "角色",
		"status": "状态", "status_active": "未解决", "all": "全部", "priority": "优先级",
		"channel": "渠道", "assignee": "处理人", "anyone": "任何人", "me": "我", "unassigned": "未分配",
		"sla_breached": "已超出 SLA", "search": "搜索", "filter": "筛选", "subject": "主题", "user": "用户",
		"next_due": "下一个截止时间", "updated": "更新时间", "no_tickets": "没有符合条件的工单。",
		"status_new": "新建", "status_open": "处理中", "status_pending": "待用户回复", "status_on_hold": "暂挂",
		"status_solved": "已解决", "status_closed": "已关闭",
		"priority_low": "低", "priority_normal": "普通", "priority_high": "高", "priority_urgent": "紧急",
		"csat": "满意度", "account": "账户", "not_linked": "未绑定", "reason": "原因", "created": "创建时间",
		"first_response_due": "首次响应截止", "resolution_due": "解决截止", "answered": "已响应",
		"solved_at": "已解决", "conversation": "对话",
		"kind_user": "用户", "kind_bot": "机器人", "kind_agent": "客服回复", "kind_note": "内部备注", "kind_system": "通知",
		"delivery_pending": "发送中…", "delivery_delivered": "已送达", "delivery_failed": "未送达",
		"retry": "重试", "canned_replies": "快捷回复", "draft_ai": "AI 起草",
		"public_reply": "公开回复用户", "submit_as": "同时将状态设为", "keep_status": "保持状态",
		"send_reply": "发送回复", "internal_note": "内部备注（仅客服可见）", "add_note": "添加备注",
		"save": "保存", "tags": "标签", "account_actions": "账户操作",
		"account_actions_help": "操作将签名发送到交易所账户服务，并记入审计日志。只有客服可以解除冻结。",
		"confirm_action":       "确定对该用户的账户执行此操作吗？", "new_address": "新的提现地址（如需更改）",
		"run_action": "执行", "other_tickets": "该用户的其他工单", "none": "无",
		"suggested_articles": "推荐文章", "insert_link": "插入链接", "audit_trail": "审计日志",
		"action_freeze_account": "冻结账户", "action_unfreeze_account": "解除冻结",
		"action_remove_2fa": "移除双重验证", "action_change_withdrawal_address": "更改提现地址",
		"agents": "客服人员", "name": "姓名", "active": "启用", "activate": "启用", "deactivate": "停用",
		"new_password": "新密码", "set_password": "设置密码", "add_agent": "添加客服",
		"sla_targets": "SLA 目标", "first_response": "首次响应", "resolution": "解决",
		"duration_help": "时长格式如 15m、4h 或 72h。适用于新工单及优先级变更的工单。",
		"delete":        "删除", "title": "标题", "text": "内容", "add_macro": "添加快捷回复",
		"due_in": "%s 后", "overdue": "已超时 %s", "done": "—", "sla_paused": "已暂停：等待用户回复",
		"flash_replied": "回复已加入发送队列。", "flash_noted": "备注已添加。", "flash_saved": "已保存。",
		"insights": "数据洞察", "last_days": "最近 %d 天", "closest_article": "最接近的文章（置信度）", "days_in_zone": "按 %s 时区计日", "questions": "问题",
		"answer_rate": "由机器人解答", "clarify_count": "请用户补充说明", "escalate_count": "转交客服",
		"helpful_rate": "评为有帮助", "ratings_n": "（共 %d 条评价）", "no_ratings": "暂无评价",
		"legend_answered": "已解答", "legend_clarified": "请用户补充说明", "legend_escalated": "转交客服",
		"questions_per_day": "每日提问数（UTC）", "by_language": "按语言", "by_channel": "按渠道",
		"escalation_reasons": "转交客服的原因", "top_articles": "最常用于解答的文章",
		"unanswered_title": "帮助中心尚未解答的问题",
		"unanswered_help":  "因没有把握作答而转交客服，或回答被评为没有帮助的问题，可据此决定接下来写哪些文章。按提问次数从多到少排列。",
		"times_asked":      "提问次数", "last_asked": "最近提问", "no_questions": "此期间没有提问。",
		"reason_low_confidence": "没有把握作答", "reason_asked_for_human": "要求转人工",
		"reason_account_compromised": "报告账户被盗", "reason_undo_protection": "要求解除保护措施（解冻、2FA、提币地址）", "reason_negative_feedback": "回答被评为没有帮助",
		"reason_repeated_question": "回答后再次提问", "reason_always_human_topic": "始终由人工处理的话题",
		"reason_llm_tool_call": "AI 主动转交", "reason_attachment": "发送了附件",
		"reason_user_opened_ticket": "用户创建了工单", "reason_added_to_ticket": "追加到未关闭的工单",
	},
}

// tr returns the string for key in lang, formatted with args.
func tr(lang, key string, args ...any) string {
	s, ok := messages[lang][key]
	if !ok {
		if s, ok = messages["en"][key]; !ok {
			s = key
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// pickLang chooses the console language: the sb_lang cookie, then the
// browser's Accept-Language, then English.
func pickLang(r *http.Request) string {
	if ck, err := r.Cookie("sb_lang"); err == nil {
		if l := supportbot.NormalizeLang(ck.Value); l != "" {
			return l
		}
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		if l := supportbot.NormalizeLang(tag); l != "" {
			for _, u := range uiLangs {
				if u == l {
					return l
				}
			}
		}
	}
	return "en"
}

// setLang stores the chosen language in a cookie and goes back.
func (c *Console) setLang(w http.ResponseWriter, r *http.Request) {
	if l := supportbot.NormalizeLang(r.URL.Query().Get("l")); l != "" {
		http.SetCookie(w, &http.Cookie{Name: "sb_lang", Value: l, Path: Prefix, MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: c.secure(r), SameSite: http.SameSiteLaxMode})
	}
	http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
}

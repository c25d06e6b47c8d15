package bot

import (
	"sort"
	"strings"

	"github.com/supportbot/supportbot"
)

// T returns the message key in lang, with {name} placeholders replaced by
// args given as name, value pairs. It falls back to English, so a missing
// translation shows English rather than nothing; TestCatalogComplete keeps
// every key in every language.
func T(lang, key string, args ...string) string {
	m := catalog[key]
	s, ok := m[lang]
	if !ok {
		s = m[supportbot.DefaultLang]
	}
	if len(args) == 0 {
		return s
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		pairs = append(pairs, "{"+args[i]+"}", args[i+1])
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// catalog holds every string the bot says, in all supported languages.
// Markdown is allowed; placeholders are {name}.
var catalog = map[string]map[string]string{
	"answer_intro": {
		"en": "From **{title}**:", "zh-Hans": "摘自 **{title}**：", "zh-Hant": "摘自 **{title}**：",
		"ja": "**{title}** より：", "ko": "**{title}** 문서에서:", "ru": "Из статьи **{title}**:",
		"es": "Del artículo **{title}**:", "vi": "Từ bài viết **{title}**:", "tr": "**{title}** makalesinden:",
		"pt": "Do artigo **{title}**:", "fr": "Extrait de **{title}** :",
	},
	"read_more": {
		"en": "Read the full article: [{title}]({url})", "zh-Hans": "阅读全文：[{title}]({url})",
		"zh-Hant": "閱讀全文：[{title}]({url})", "ja": "記事全文：[{title}]({url})", "ko": "전체 문서 보기: [{title}]({url})",
		"ru": "Полная статья: [{title}]({url})", "es": "Lee el artículo completo: [{title}]({url})",
		"vi": "Đọc toàn bộ bài viết: [{title}]({url})", "tr": "Makalenin tamamı: [{title}]({url})",
		"pt": "Leia o artigo completo: [{title}]({url})", "fr": "Lire l'article complet : [{title}]({url})",
	},
	"clarify": {
		"en": "I want to be sure I answer the right question. Do you mean one of these?", "zh-Hans": "为了准确回答，请问您指的是以下哪一项？",
		"zh-Hant": "為了準確回答，請問您指的是以下哪一項？", "ja": "正確にお答えするために確認させてください。次のどれについてのご質問ですか？",
		"ko": "정확히 답변드리기 위해 여쭙니다. 다음 중 어떤 내용인가요?", "ru": "Чтобы ответить точно, уточните: вы имеете в виду одно из этого?",
		"es": "Quiero asegurarme de responder bien. ¿Te refieres a alguno de estos temas?", "vi": "Để trả lời chính xác, bạn đang hỏi về nội dung nào dưới đây?",
		"tr": "Doğru yanıt verebilmek için soruyorum: bunlardan birini mi kastediyorsunuz?", "pt": "Quero ter certeza de responder certo. Você quer dizer um destes?",
		"fr": "Pour bien vous répondre : parlez-vous de l'un de ces sujets ?",
	},
	"clarify_more": {
		"en": "Or tell me a bit more about what happened.", "zh-Hans": "或者请再详细描述一下您遇到的情况。", "zh-Hant": "或者請再詳細描述一下您遇到的情況。",
		"ja": "または、状況をもう少し詳しく教えてください。", "ko": "또는 상황을 조금 더 자세히 알려 주세요.", "ru": "Или опишите подробнее, что произошло.",
		"es": "O cuéntame un poco más sobre lo que pasó.", "vi": "Hoặc hãy mô tả thêm một chút về tình huống của bạn.",
		"tr": "Ya da ne olduğunu biraz daha anlatın.", "pt": "Ou me conte um pouco mais sobre o que aconteceu.", "fr": "Ou dites-m'en un peu plus sur ce qui s'est passé.",
	},
	"escalated": {
		"en":      "I couldn't find a sure answer in our help center, so I've passed your question to our support team: ticket **#{ticket}**. A person will reply right here, usually within {sla}.",
		"zh-Hans": "我在帮助中心没有找到确切的答案，已将您的问题转给客服团队：工单 **#{ticket}**。客服人员会在这里回复您，通常在 {sla} 内。",
		"zh-Hant": "我在幫助中心沒有找到確切的答案，已將您的問題轉給客服團隊：工單 **#{ticket}**。客服人員會在這裡回覆您，通常在 {sla} 內。",
		"ja":      "ヘルプセンターで確実な回答が見つからなかったため、サポートチームにお問い合わせを引き継ぎました（チケット **#{ticket}**）。通常 {sla} 以内に担当者がここで返信します。",
		"ko":      "도움말 센터에서 확실한 답을 찾지 못해 고객지원팀에 문의를 전달했습니다: 티켓 **#{ticket}**. 보통 {sla} 이내에 상담원이 여기로 답변드립니다.",
		"ru":      "Я не нашёл точного ответа в справочном центре и передал ваш вопрос команде поддержки: обращение **#{ticket}**. Специалист ответит здесь, обычно в течение {sla}.",
		"es":      "No encontré una respuesta segura en el centro de ayuda, así que pasé tu pregunta al equipo de soporte: ticket **#{ticket}**. Una persona te responderá aquí, normalmente en {sla}.",
		"vi":      "Tôi chưa tìm được câu trả lời chắc chắn trong trung tâm trợ giúp nên đã chuyển câu hỏi của bạn cho đội hỗ trợ: phiếu **#{ticket}**. Nhân viên sẽ trả lời ngay tại đây, thường trong vòng {sla}.",
		"tr":      "Yardım merkezinde kesin bir yanıt bulamadım, bu yüzden sorunuzu destek ekibimize ilettim: talep **#{ticket}**. Bir temsilci genellikle {sla} içinde buradan yanıt verecek.",
		"pt":      "Não encontrei uma resposta segura na central de ajuda, então encaminhei sua pergunta à equipe de suporte: ticket **#{ticket}**. Uma pessoa vai responder aqui, normalmente em até {sla}.",
		"fr":      "Je n'ai pas trouvé de réponse sûre dans le centre d'aide, j'ai donc transmis votre question à l'équipe support : ticket **#{ticket}**. Une personne vous répondra ici, généralement sous {sla}.",
	},
	"escalated_human": {
		"en":      "Of course. I've handed this conversation to our support team: ticket **#{ticket}**. A person will reply right here, usually within {sla}. You can add details or screenshots meanwhile.",
		"zh-Hans": "好的，已为您转接人工客服：工单 **#{ticket}**。客服人员会在这里回复您，通常在 {sla} 内。在此期间您可以补充详情或截图。",
		"zh-Hant": "好的，已為您轉接真人客服：工單 **#{ticket}**。客服人員會在這裡回覆您，通常在 {sla} 內。在此期間您可以補充詳情或截圖。",
		"ja":      "承知しました。この会話をサポートチームに引き継ぎました（チケット **#{ticket}**）。通常 {sla} 以内に担当者がここで返信します。その間に詳細やスクリーンショットを追加できます。",
		"ko":      "알겠습니다. 이 대화를 고객지원팀에 연결했습니다: 티켓 **#{ticket}**. 보통 {sla} 이내에 상담원이 여기로 답변드립니다. 그동안 자세한 내용이나 스크린샷을 추가하실 수 있습니다.",
		"ru":      "Конечно. Я передал разговор команде поддержки: обращение **#{ticket}**. Специалист ответит здесь, обычно в течение {sla}. Пока можете добавить подробности или скриншоты.",
		"es":      "Claro. He pasado esta conversación al equipo de soporte: ticket **#{ticket}**. Una persona te responderá aquí, normalmente en {sla}. Mientras tanto puedes añadir detalles o capturas.",
		"vi":      "Tất nhiên. Tôi đã chuyển cuộc trò chuyện này cho đội hỗ trợ: phiếu **#{ticket}**. Nhân viên sẽ trả lời ngay tại đây, thường trong vòng {sla}. Trong lúc chờ, bạn có thể gửi thêm chi tiết hoặc ảnh chụp màn hình.",
		"tr":      "Elbette. Bu görüşmeyi destek ekibimize aktardım: talep **#{ticket}**. Bir temsilci genellikle {sla} içinde buradan yanıt verecek. Bu arada ayrıntı veya ekran görüntüsü ekleyebilirsiniz.",
		"pt":      "Claro. Passei esta conversa para a equipe de suporte: ticket **#{ticket}**. Uma pessoa vai responder aqui, normalmente em até {sla}. Enquanto isso, você pode enviar detalhes ou capturas de tela.",
		"fr":      "Bien sûr. J'ai transmis cette conversation à l'équipe support : ticket **#{ticket}**. Une personne vous répondra ici, généralement sous {sla}. En attendant, vous pouvez ajouter des détails ou des captures d'écran.",
	},
	"escalation_unavailable": {
		"en":      "I couldn't find an answer in our help center. Could you rephrase your question? Our support team is also reachable through the help center's contact page.",
		"zh-Hans": "我在帮助中心没有找到答案。能换一种说法再问一次吗？您也可以通过帮助中心的联系页面联系客服。",
		"zh-Hant": "我在幫助中心沒有找到答案。能換個說法再問一次嗎？您也可以透過幫助中心的聯絡頁面聯繫客服。",
		"ja":      "ヘルプセンターで回答が見つかりませんでした。別の言い方で質問していただけますか？ヘルプセンターのお問い合わせページからサポートに連絡することもできます。",
		"ko":      "도움말 센터에서 답을 찾지 못했습니다. 질문을 다르게 표현해 주시겠어요? 도움말 센터의 문의 페이지로 고객지원팀에 연락하실 수도 있습니다.",
		"ru":      "Я не нашёл ответа в справочном центре. Можете переформулировать вопрос? Также с поддержкой можно связаться через страницу контактов справочного центра.",
		"es":      "No encontré una respuesta en el centro de ayuda. ¿Puedes reformular tu pregunta? También puedes contactar con soporte desde la página de contacto del centro de ayuda.",
		"vi":      "Tôi không tìm thấy câu trả lời trong trung tâm trợ giúp. Bạn có thể diễn đạt lại câu hỏi không? Bạn cũng có thể liên hệ đội hỗ trợ qua trang liên hệ của trung tâm trợ giúp.",
		"tr":      "Yardım merkezinde bir yanıt bulamadım. Sorunuzu farklı şekilde sorabilir misiniz? Destek ekibine yardım merkezinin iletişim sayfasından da ulaşabilirsiniz.",
		"pt":      "Não encontrei uma resposta na central de ajuda. Pode reformular sua pergunta? Você também pode falar com o suporte pela página de contato da central de ajuda.",
		"fr":      "Je n'ai pas trouvé de réponse dans le centre d'aide. Pouvez-vous reformuler votre question ? Vous pouvez aussi joindre le support via la page de contact du centre d'aide.",
	},
	"human_unavailable": {
		"en":      "I can't hand this conversation to an agent from here: no support desk is connected to this channel. Please contact our support team through the help center's contact page or its web chat.",
		"zh-Hans": "此渠道未接入客服工作台，我无法在这里为您转接人工客服。请通过帮助中心的联系页面或网页聊天联系客服团队。",
		"zh-Hant": "此管道未接入客服工作台，我無法在這裡為您轉接真人客服。請透過幫助中心的聯絡頁面或網頁聊天聯繫客服團隊。",
		"ja":      "このチャネルにはサポート窓口が接続されていないため、ここから担当者におつなぎできません。ヘルプセンターのお問い合わせページまたはウェブチャットからサポートチームにご連絡ください。",
		"ko":      "이 채널에는 고객지원 데스크가 연결되어 있지 않아 여기서 상담원에게 연결해 드릴 수 없습니다. 도움말 센터의 문의 페이지나 웹 채팅으로 고객지원팀에 연락해 주세요.",
		"ru":      "К этому каналу не подключена служба поддержки, поэтому я не могу передать разговор оператору отсюда. Свяжитесь с поддержкой через страницу контактов или веб-чат справочного центра.",
		"es":      "No puedo pasar esta conversación a un agente desde aquí: este canal no está conectado a un equipo de soporte. Contacta con soporte desde la página de contacto o el chat web del centro de ayuda.",
		"vi":      "Kênh này chưa được kết nối với bộ phận hỗ trợ nên tôi không thể chuyển bạn sang nhân viên từ đây. Vui lòng liên hệ đội hỗ trợ qua trang liên hệ hoặc chat trên trung tâm trợ giúp.",
		"tr":      "Bu kanala bağlı bir destek masası olmadığı için sizi buradan bir temsilciye aktaramıyorum. Lütfen yardım merkezinin iletişim sayfasından veya web sohbetinden destek ekibine ulaşın.",
		"pt":      "Não consigo passar esta conversa para um atendente daqui: nenhum suporte está conectado a este canal. Fale com a equipe de suporte pela página de contato ou pelo chat da central de ajuda.",
		"fr":      "Je ne peux pas transmettre cette conversation à un conseiller d'ici : aucun support n'est relié à ce canal. Contactez l'équipe support via la page de contact ou le chat du centre d'aide.",
	},
	"compromised_no_desk": {
		"en":      "This is urgent. **Freeze your account yourself now**: in the app go to Profile > Security > Freeze account, or use the \"Freeze account\" link in any login-alert email. No support desk is connected to this channel, so I can't open a ticket from here: contact our security team through the help center's contact page or its web chat.\n\nThen:\n1. Reset your password from a device you trust.\n2. Re-bind your 2FA.\n3. Secure your email account.\n4. Remove devices, API keys and withdrawal addresses you don't recognise.\n\nWe will never ask for your password or 2FA codes.",
		"zh-Hans": "情况紧急。**请立即自行冻结账户**：在 App 中进入“个人中心 > 安全 > 冻结账户”，或点击任意登录提醒邮件中的“冻结账户”链接。此渠道未接入客服工作台，我无法在这里创建工单，请通过帮助中心的联系页面或网页聊天联系安全团队。\n\n然后：\n1. 在可信设备上重置密码。\n2. 重新绑定 2FA。\n3. 加固邮箱账户安全。\n4. 删除不认识的设备、API 密钥和提币地址。\n\n我们绝不会索要您的密码或 2FA 验证码。",
		"zh-Hant": "情況緊急。**請立即自行凍結帳戶**：在 App 中進入「個人中心 > 安全 > 凍結帳戶」，或點擊任一登入提醒郵件中的「凍結帳戶」連結。此管道未接入客服工作台，我無法在這裡建立工單，請透過幫助中心的聯絡頁面或網頁聊天聯繫安全團隊。\n\n然後：\n1. 在可信任的裝置上重設密碼。\n2. 重新綁定 2FA。\n3. 加強電子郵件帳戶安全。\n4. 刪除不認識的裝置、API 金鑰和提幣地址。\n\n我們絕不會索取您的密碼或 2FA 驗證碼。",
		"ja":      "緊急です。**今すぐご自身でアカウントを凍結してください**：アプリの「プロフィール > セキュリティ > アカウント凍結」、またはログイン通知メールの「アカウント凍結」リンクから行えます。このチャネルにはサポート窓口が接続されていないため、ここからチケットを作成できません。ヘルプセンターのお問い合わせページまたはウェブチャットからセキュリティチームにご連絡ください。\n\nその後：\n1. 信頼できる端末からパスワードを再設定。\n2. 2FA を再設定。\n3. メールアカウントの安全を確保。\n4. 心当たりのない端末、API キー、出金アドレスを削除。\n\nパスワードや 2FA コードをお尋ねすることは決してありません。",
		"ko":      "긴급 상황입니다. **지금 직접 계정을 동결하세요**: 앱에서 프로필 > 보안 > 계정 동결로 이동하거나 로그인 알림 이메일의 \"계정 동결\" 링크를 사용하세요. 이 채널에는 고객지원 데스크가 연결되어 있지 않아 여기서 티켓을 만들 수 없으니, 도움말 센터의 문의 페이지나 웹 채팅으로 보안팀에 연락해 주세요.\n\n그다음:\n1. 신뢰할 수 있는 기기에서 비밀번호 재설정.\n2. 2FA 다시 연결.\n3. 이메일 계정 보안 강화.\n4. 모르는 기기, API 키, 출금 주소 삭제.\n\n저희는 절대로 비밀번호나 2FA 코드를 묻지 않습니다.",
		"ru":      "Это срочно. **Заморозьте аккаунт сами прямо сейчас**: в приложении Профиль > Безопасность > Заморозить аккаунт или по ссылке «Заморозить аккаунт» в любом письме о входе. К этому каналу не подключена служба поддержки, поэтому я не могу создать обращение отсюда: свяжитесь с командой безопасности через страницу контактов или веб-чат справочного центра.\n\nЗатем:\n1. Смените пароль с доверенного устройства.\n2. Заново привяжите 2FA.\n3. Защитите почтовый ящик.\n4. Удалите незнакомые устройства, API-ключи и адреса вывода.\n\nМы никогда не спрашиваем пароль или коды 2FA.",
		"es":      "Es urgente. **Congela tu cuenta tú mismo ahora**: en la app ve a Perfil > Seguridad > Congelar cuenta, o usa el enlace \"Congelar cuenta\" de cualquier correo de alerta de inicio de sesión. Este canal no está conectado a un equipo de soporte, así que no puedo abrir un ticket desde aquí: contacta con el equipo de seguridad desde la página de contacto o el chat web del centro de ayuda.\n\nDespués:\n1. Restablece tu contraseña desde un dispositivo de confianza.\n2. Vuelve a vincular tu 2FA.\n3. Protege tu correo electrónico.\n4. Elimina dispositivos, claves API y direcciones de retiro que no reconozcas.\n\nNunca te pediremos tu contraseña ni tus códigos 2FA.",
		"vi":      "Đây là việc khẩn cấp. **Hãy tự đóng băng tài khoản ngay**: trong ứng dụng vào Hồ sơ > Bảo mật > Đóng băng tài khoản, hoặc dùng liên kết \"Đóng băng tài khoản\" trong bất kỳ email cảnh báo đăng nhập nào. Kênh này chưa kết nối với bộ phận hỗ trợ nên tôi không thể tạo phiếu từ đây: hãy liên hệ đội bảo mật qua trang liên hệ hoặc chat trên trung tâm trợ giúp.\n\nSau đó:\n1. Đặt lại mật khẩu từ thiết bị đáng tin cậy.\n2. Liên kết lại 2FA.\n3. Bảo mật tài khoản email.\n4. Xóa thiết bị, khóa API và địa chỉ rút tiền mà bạn không nhận ra.\n\nChúng tôi không bao giờ hỏi mật khẩu hay mã 2FA của bạn.",
		"tr":      "Bu acil bir durum. **Hesabınızı hemen kendiniz dondurun**: uygulamada Profil > Güvenlik > Hesabı dondur bölümüne gidin veya herhangi bir giriş uyarısı e-postasındaki \"Hesabı dondur\" bağlantısını kullanın. Bu kanala bağlı bir destek masası olmadığı için buradan talep açamıyorum: güvenlik ekibine yardım merkezinin iletişim sayfasından veya web sohbetinden ulaşın.\n\nArdından:\n1. Güvendiğiniz bir cihazdan şifrenizi sıfırlayın.\n2. 2FA'yı yeniden bağlayın.\n3. E-posta hesabınızı güvence altına alın.\n4. Tanımadığınız cihazları, API anahtarlarını ve çekim adreslerini silin.\n\nŞifrenizi veya 2FA kodlarınızı asla sormayız.",
		"pt":      "É urgente. **Congele sua conta você mesmo agora**: no app vá em Perfil > Segurança > Congelar conta, ou use o link \"Congelar conta\" de qualquer e-mail de alerta de login. Nenhum suporte está conectado a este canal, então não consigo abrir um ticket daqui: fale com a equipe de segurança pela página de contato ou pelo chat da central de ajuda.\n\nDepois:\n1. Redefina sua senha em um dispositivo confiável.\n2. Vincule novamente o 2FA.\n3. Proteja sua conta de e-mail.\n4. Remova dispositivos, chaves de API e endereços de saque que não reconhecer.\n\nNunca pediremos sua senha ou códigos 2FA.",
		"fr":      "C'est urgent. **Gelez votre compte vous-même maintenant** dans l'application via Profil > Sécurité > Geler le compte, ou avec le lien « Geler le compte » de n'importe quel e-mail d'alerte de connexion. Aucun support n'est relié à ce canal, je ne peux donc pas ouvrir de ticket d'ici : contactez l'équipe sécurité via la page de contact ou le chat du centre d'aide.\n\nEnsuite :\n1. Réinitialisez votre mot de passe depuis un appareil de confiance.\n2. Réassociez votre 2FA.\n3. Sécurisez votre compte e-mail.\n4. Supprimez les appareils, clés API et adresses de retrait que vous ne reconnaissez pas.\n\nNous ne vous demanderons jamais votre mot de passe ni vos codes 2FA.",
	},
	"added_to_ticket": {
		"en": "Thanks, I've added this to your ticket **#{ticket}**. An agent will reply here.", "zh-Hans": "已将此内容添加到您的工单 **#{ticket}**，客服人员会在这里回复您。",
		"zh-Hant": "已將此內容加入您的工單 **#{ticket}**，客服人員會在這裡回覆您。", "ja": "チケット **#{ticket}** に追加しました。担当者がここで返信します。",
		"ko": "티켓 **#{ticket}**에 추가했습니다. 상담원이 여기로 답변드립니다.", "ru": "Добавил это в ваше обращение **#{ticket}**. Специалист ответит здесь.",
		"es": "Gracias, lo he añadido a tu ticket **#{ticket}**. Un agente te responderá aquí.", "vi": "Cảm ơn, tôi đã thêm nội dung này vào phiếu **#{ticket}** của bạn. Nhân viên sẽ trả lời tại đây.",
		"tr": "Teşekkürler, bunu **#{ticket}** numaralı talebinize ekledim. Bir temsilci buradan yanıt verecek.", "pt": "Obrigado, adicionei isto ao seu ticket **#{ticket}**. Um atendente vai responder aqui.",
		"fr": "Merci, je l'ai ajouté à votre ticket **#{ticket}**. Un agent vous répondra ici.",
	},
	"greeting": {
		"en":      "Hi! I'm the support assistant. Ask me anything about your account, deposits, withdrawals, trading or security, in your own language. Type /human at any time to reach a person.",
		"zh-Hans": "您好！我是智能客服助手，账户、充提币、交易或安全方面的问题都可以问我。随时输入 /human 可转人工客服。",
		"zh-Hant": "您好！我是智慧客服助理，帳戶、充提幣、交易或安全方面的問題都可以問我。隨時輸入 /human 可轉真人客服。",
		"ja":      "こんにちは！サポートアシスタントです。アカウント、入出金、取引、セキュリティについて何でも聞いてください。担当者と話したいときはいつでも /human と入力してください。",
		"ko":      "안녕하세요! 고객지원 도우미입니다. 계정, 입출금, 거래, 보안에 대해 무엇이든 물어보세요. 상담원과 이야기하려면 언제든 /human 을 입력하세요.",
		"ru":      "Здравствуйте! Я помощник службы поддержки. Спрашивайте об аккаунте, пополнениях, выводах, торговле или безопасности. Чтобы связаться с человеком, в любой момент напишите /human.",
		"es":      "¡Hola! Soy el asistente de soporte. Pregúntame lo que quieras sobre tu cuenta, depósitos, retiros, trading o seguridad. Escribe /human en cualquier momento para hablar con una persona.",
		"vi":      "Xin chào! Tôi là trợ lý hỗ trợ. Hãy hỏi tôi bất cứ điều gì về tài khoản, nạp rút, giao dịch hay bảo mật. Gõ /human bất cứ lúc nào để gặp nhân viên.",
		"tr":      "Merhaba! Ben destek asistanıyım. Hesabınız, yatırma, çekme, işlem veya güvenlik hakkında her şeyi sorabilirsiniz. Bir kişiyle görüşmek için istediğiniz zaman /human yazın.",
		"pt":      "Olá! Sou o assistente de suporte. Pergunte o que quiser sobre sua conta, depósitos, saques, negociação ou segurança. Digite /human a qualquer momento para falar com uma pessoa.",
		"fr":      "Bonjour ! Je suis l'assistant du support. Posez-moi vos questions sur votre compte, les dépôts, les retraits, le trading ou la sécurité. Tapez /human à tout moment pour parler à une personne.",
	},
	"thanks": {
		"en": "You're welcome! Is there anything else I can help with?", "zh-Hans": "不客气！还有其他可以帮您的吗？", "zh-Hant": "不客氣！還有其他可以幫您的嗎？",
		"ja": "どういたしまして！ほかにお手伝いできることはありますか？", "ko": "천만에요! 더 도와드릴 일이 있을까요?", "ru": "Пожалуйста! Могу ещё чем-нибудь помочь?",
		"es": "¡De nada! ¿Puedo ayudarte con algo más?", "vi": "Không có gì! Tôi có thể giúp gì thêm cho bạn không?", "tr": "Rica ederim! Yardımcı olabileceğim başka bir şey var mı?",
		"pt": "De nada! Posso ajudar com mais alguma coisa?", "fr": "Avec plaisir ! Puis-je vous aider pour autre chose ?",
	},
	"ack": {
		"en": "Is there anything else I can help with?", "zh-Hans": "还有其他可以帮您的吗？", "zh-Hant": "還有其他可以幫您的嗎？",
		"ja": "ほかにお手伝いできることはありますか？", "ko": "더 도와드릴 일이 있을까요?", "ru": "Могу ещё чем-нибудь помочь?",
		"es": "¿Puedo ayudarte con algo más?", "vi": "Tôi có thể giúp gì thêm cho bạn không?", "tr": "Yardımcı olabileceğim başka bir şey var mı?",
		"pt": "Posso ajudar com mais alguma coisa?", "fr": "Puis-je vous aider pour autre chose ?",
	},
	"help": {
		"en":      "Just write your question. Commands: /lang to change the language, /human to talk to a person, /ticket to open a ticket, /status to see your tickets.",
		"zh-Hans": "直接输入您的问题即可。命令：/lang 切换语言，/human 转人工，/ticket 提交工单，/status 查看工单状态。",
		"zh-Hant": "直接輸入您的問題即可。指令：/lang 切換語言，/human 轉真人客服，/ticket 提交工單，/status 查看工單狀態。",
		"ja":      "質問をそのまま入力してください。コマンド：/lang 言語の変更、/human 担当者と話す、/ticket チケットの作成、/status チケットの状況確認。",
		"ko":      "질문을 그대로 입력하세요. 명령어: /lang 언어 변경, /human 상담원 연결, /ticket 티켓 생성, /status 티켓 상태 확인.",
		"ru":      "Просто напишите вопрос. Команды: /lang — сменить язык, /human — связаться с человеком, /ticket — создать обращение, /status — статус обращений.",
		"es":      "Escribe tu pregunta. Comandos: /lang para cambiar el idioma, /human para hablar con una persona, /ticket para abrir un ticket, /status para ver tus tickets.",
		"vi":      "Chỉ cần nhập câu hỏi của bạn. Lệnh: /lang đổi ngôn ngữ, /human gặp nhân viên, /ticket tạo phiếu hỗ trợ, /status xem trạng thái phiếu.",
		"tr":      "Sorunuzu yazmanız yeterli. Komutlar: /lang dili değiştirir, /human bir kişiye bağlar, /ticket talep açar, /status taleplerinizi gösterir.",
		"pt":      "Basta escrever sua pergunta. Comandos: /lang muda o idioma, /human fala com uma pessoa, /ticket abre um ticket, /status mostra seus tickets.",
		"fr":      "Écrivez simplement votre question. Commandes : /lang pour changer de langue, /human pour parler à une personne, /ticket pour ouvrir un ticket, /status pour voir vos tickets.",
	},
	"lang_set": {
		"en": "Done, I'll answer in English.", "zh-Hans": "好的，我将使用简体中文回答。", "zh-Hant": "好的，我將使用繁體中文回答。",
		"ja": "承知しました。日本語でお答えします。", "ko": "알겠습니다. 한국어로 답변드리겠습니다.", "ru": "Готово, буду отвечать по-русски.",
		"es": "Listo, responderé en español.", "vi": "Đã xong, tôi sẽ trả lời bằng tiếng Việt.", "tr": "Tamam, Türkçe yanıt vereceğim.",
		"pt": "Pronto, vou responder em português.", "fr": "C'est fait, je répondrai en français.",
	},
	"lang_choose": {
		"en": "Choose your language:", "zh-Hans": "请选择语言：", "zh-Hant": "請選擇語言：", "ja": "言語を選んでください：", "ko": "언어를 선택하세요:",
		"ru": "Выберите язык:", "es": "Elige tu idioma:", "vi": "Chọn ngôn ngữ của bạn:", "tr": "Dilinizi seçin:", "pt": "Escolha seu idioma:", "fr": "Choisissez votre langue :",
	},
	"status_none": {
		"en": "You have no tickets.", "zh-Hans": "您目前没有工单。", "zh-Hant": "您目前沒有工單。", "ja": "チケットはありません。", "ko": "티켓이 없습니다.",
		"ru": "У вас нет обращений.", "es": "No tienes tickets.", "vi": "Bạn chưa có phiếu hỗ trợ nào.", "tr": "Hiç talebiniz yok.", "pt": "Você não tem tickets.", "fr": "Vous n'avez aucun ticket.",
	},
	"status_header": {
		"en": "Your tickets:", "zh-Hans": "您的工单：", "zh-Hant": "您的工單：", "ja": "お客様のチケット：", "ko": "내 티켓:", "ru": "Ваши обращения:",
		"es": "Tus tickets:", "vi": "Phiếu hỗ trợ của bạn:", "tr": "Talepleriniz:", "pt": "Seus tickets:", "fr": "Vos tickets :",
	},
	"status_not_found": {
		"en":      "I couldn't find ticket #{ticket} among your tickets. I can only show tickets you opened from this chat.",
		"zh-Hans": "在您的工单中找不到 #{ticket}。我只能显示您在此对话中提交的工单。", "zh-Hant": "在您的工單中找不到 #{ticket}。我只能顯示您在此對話中提交的工單。",
		"ja": "お客様のチケットに #{ticket} は見つかりませんでした。このチャットから作成したチケットのみ表示できます。",
		"ko": "내 티켓 중에서 #{ticket}을(를) 찾을 수 없습니다. 이 채팅에서 만든 티켓만 보여 드릴 수 있습니다.",
		"ru": "Среди ваших обращений нет #{ticket}. Я могу показать только обращения, созданные из этого чата.",
		"es": "No encontré el ticket #{ticket} entre los tuyos. Solo puedo mostrar los tickets que abriste desde este chat.",
		"vi": "Không tìm thấy phiếu #{ticket} trong các phiếu của bạn. Tôi chỉ có thể hiển thị các phiếu bạn đã tạo từ cuộc trò chuyện này.",
		"tr": "Talepleriniz arasında #{ticket} bulunamadı. Yalnızca bu sohbetten açtığınız talepleri gösterebilirim.",
		"pt": "Não encontrei o ticket #{ticket} entre os seus. Só posso mostrar tickets abertos a partir deste chat.",
		"fr": "Je n'ai pas trouvé le ticket #{ticket} parmi les vôtres. Je ne peux afficher que les tickets ouverts depuis cette conversation.",
	},
	"status.new":     {"en": "new", "zh-Hans": "新建", "zh-Hant": "新建", "ja": "新規", "ko": "신규", "ru": "новое", "es": "nuevo", "vi": "mới", "tr": "yeni", "pt": "novo", "fr": "nouveau"},
	"status.open":    {"en": "open", "zh-Hans": "处理中", "zh-Hant": "處理中", "ja": "対応中", "ko": "처리 중", "ru": "в работе", "es": "abierto", "vi": "đang xử lý", "tr": "açık", "pt": "aberto", "fr": "ouvert"},
	"status.pending": {"en": "waiting for your reply", "zh-Hans": "等待您的回复", "zh-Hant": "等待您的回覆", "ja": "お客様の返信待ち", "ko": "고객님 답변 대기", "ru": "ждёт вашего ответа", "es": "esperando tu respuesta", "vi": "chờ bạn phản hồi", "tr": "yanıtınızı bekliyor", "pt": "aguardando sua resposta", "fr": "en attente de votre réponse"},
	"status.on_hold": {"en": "on hold", "zh-Hans": "暂挂", "zh-Hant": "暫停處理", "ja": "保留中", "ko": "보류", "ru": "приостановлено", "es": "en espera", "vi": "tạm hoãn", "tr": "beklemede", "pt": "em espera", "fr": "en suspens"},
	"status.solved":  {"en": "solved", "zh-Hans": "已解决", "zh-Hant": "已解決", "ja": "解決済み", "ko": "해결됨", "ru": "решено", "es": "resuelto", "vi": "đã giải quyết", "tr": "çözüldü", "pt": "resolvido", "fr": "résolu"},
	"status.closed":  {"en": "closed", "zh-Hans": "已关闭", "zh-Hant": "已關閉", "ja": "クローズ", "ko": "종료", "ru": "закрыто", "es": "cerrado", "vi": "đã đóng", "tr": "kapandı", "pt": "fechado", "fr": "fermé"},
	"compromised_frozen": {
		"en":      "I've **frozen your account** to protect it: logins, trading, withdrawals and API keys are blocked and all sessions are signed out. Urgent ticket **#{ticket}** is open and our security team will contact you here.\n\nWhat to do now:\n1. Reset your password from a device you trust.\n2. Re-bind your 2FA (authenticator app or passkey).\n3. Secure your email account too.\n4. Once you can log in again, review your devices, API keys and withdrawal addresses and remove any you don't recognise.\n\nSend us the TxIDs of any withdrawals you didn't make. We will never ask for your password or 2FA codes.",
		"zh-Hans": "为保护您的资产，我已**冻结您的账户**：登录、交易、提币和 API 密钥均已停用，所有会话已退出。已为您创建紧急工单 **#{ticket}**，安全团队会在这里联系您。\n\n接下来请：\n1. 在可信设备上重置登录密码。\n2. 重新绑定 2FA（验证器应用或通行密钥）。\n3. 同时检查并加固您的邮箱账户安全。\n4. 恢复登录后，检查设备、API 密钥和提币地址，删除不认识的项目。\n\n如有非本人操作的提币，请发送交易哈希（TxID）。我们绝不会索要您的密码或 2FA 验证码。",
		"zh-Hant": "為保護您的資產，我已**凍結您的帳戶**：登入、交易、提幣和 API 金鑰皆已停用，所有工作階段已登出。已為您建立緊急工單 **#{ticket}**，安全團隊會在這裡聯繫您。\n\n接下來請：\n1. 在可信任的裝置上重設登入密碼。\n2. 重新綁定 2FA（驗證器應用程式或通行金鑰）。\n3. 同時加強您電子郵件帳戶的安全。\n4. 恢復登入後，檢查裝置、API 金鑰和提幣地址，刪除不認識的項目。\n\n如有非本人操作的提幣，請提供交易雜湊（TxID）。我們絕不會索取您的密碼或 2FA 驗證碼。",
		"ja":      "保護のため、**アカウントを凍結しました**。ログイン、取引、出金、API キーは停止され、すべてのセッションがログアウトされています。緊急チケット **#{ticket}** を作成しました。セキュリティチームがここでご連絡します。\n\n次の手順：\n1. 信頼できる端末からパスワードを再設定してください。\n2. 2FA（認証アプリまたはパスキー）を再設定してください。\n3. メールアカウントのセキュリティも確認してください。\n4. 再ログイン後、端末、API キー、出金アドレスを確認し、心当たりのないものを削除してください。\n\n身に覚えのない出金があれば TxID をお送りください。パスワードや 2FA コードをお尋ねすることは決してありません。",
		"ko":      "보호를 위해 **계정을 동결했습니다**: 로그인, 거래, 출금, API 키가 차단되고 모든 세션이 로그아웃되었습니다. 긴급 티켓 **#{ticket}**이(가) 생성되었으며 보안팀이 여기로 연락드립니다.\n\n지금 하실 일:\n1. 신뢰할 수 있는 기기에서 비밀번호를 재설정하세요.\n2. 2FA(인증 앱 또는 패스키)를 다시 연결하세요.\n3. 이메일 계정의 보안도 점검하세요.\n4. 다시 로그인한 뒤 기기, API 키, 출금 주소를 확인하고 모르는 항목은 삭제하세요.\n\n본인이 하지 않은 출금이 있다면 TxID를 보내 주세요. 저희는 절대로 비밀번호나 2FA 코드를 묻지 않습니다.",
		"ru":      "Я **заморозил ваш аккаунт** для защиты: вход, торговля, вывод средств и API-ключи заблокированы, все сеансы завершены. Создано срочное обращение **#{ticket}**, команда безопасности свяжется с вами здесь.\n\nЧто сделать сейчас:\n1. Смените пароль с доверенного устройства.\n2. Заново привяжите 2FA (приложение-аутентификатор или ключ доступа).\n3. Защитите также свою электронную почту.\n4. Когда вход будет восстановлен, проверьте устройства, API-ключи и адреса вывода и удалите незнакомые.\n\nПришлите TxID выводов, которые вы не делали. Мы никогда не спрашиваем пароль или коды 2FA.",
		"es":      "He **congelado tu cuenta** para protegerla: el inicio de sesión, el trading, los retiros y las claves API están bloqueados y se cerraron todas las sesiones. Abrí el ticket urgente **#{ticket}** y el equipo de seguridad te contactará aquí.\n\nQué hacer ahora:\n1. Restablece tu contraseña desde un dispositivo de confianza.\n2. Vuelve a vincular tu 2FA (app de autenticación o passkey).\n3. Protege también tu cuenta de correo.\n4. Cuando recuperes el acceso, revisa dispositivos, claves API y direcciones de retiro y elimina las que no reconozcas.\n\nEnvíanos los TxID de los retiros que no hiciste. Nunca te pediremos tu contraseña ni tus códigos 2FA.",
		"vi":      "Tôi đã **đóng băng tài khoản của bạn** để bảo vệ: đăng nhập, giao dịch, rút tiền và khóa API đều bị chặn, mọi phiên đăng nhập đã bị đăng xuất. Phiếu khẩn cấp **#{ticket}** đã được tạo và đội bảo mật sẽ liên hệ với bạn tại đây.\n\nViệc cần làm ngay:\n1. Đặt lại mật khẩu từ một thiết bị đáng tin cậy.\n2. Liên kết lại 2FA (ứng dụng xác thực hoặc passkey).\n3. Bảo mật cả tài khoản email của bạn.\n4. Khi đăng nhập lại được, hãy kiểm tra thiết bị, khóa API và địa chỉ rút tiền, xóa những mục bạn không nhận ra.\n\nHãy gửi cho chúng tôi TxID của các giao dịch rút mà bạn không thực hiện. Chúng tôi không bao giờ hỏi mật khẩu hay mã 2FA của bạn.",
		"tr":      "Korumak için **hesabınızı dondurdum**: giriş, işlem, para çekme ve API anahtarları engellendi, tüm oturumlar kapatıldı. Acil talep **#{ticket}** açıldı; güvenlik ekibimiz sizinle buradan iletişime geçecek.\n\nŞimdi yapmanız gerekenler:\n1. Güvendiğiniz bir cihazdan şifrenizi sıfırlayın.\n2. 2FA'nızı (doğrulama uygulaması veya geçiş anahtarı) yeniden bağlayın.\n3. E-posta hesabınızın güvenliğini de sağlayın.\n4. Tekrar giriş yapabildiğinizde cihazlarınızı, API anahtarlarınızı ve çekim adreslerinizi kontrol edip tanımadıklarınızı silin.\n\nSizin yapmadığınız çekimlerin TxID'lerini bize gönderin. Şifrenizi veya 2FA kodlarınızı asla sormayız.",
		"pt":      "**Congelei sua conta** para protegê-la: login, negociação, saques e chaves de API estão bloqueados e todas as sessões foram encerradas. O ticket urgente **#{ticket}** foi aberto e a equipe de segurança vai falar com você aqui.\n\nO que fazer agora:\n1. Redefina sua senha a partir de um dispositivo confiável.\n2. Vincule novamente seu 2FA (app autenticador ou passkey).\n3. Proteja também sua conta de e-mail.\n4. Quando voltar a acessar, revise dispositivos, chaves de API e endereços de saque e remova o que não reconhecer.\n\nEnvie-nos os TxIDs dos saques que você não fez. Nunca pediremos sua senha ou códigos 2FA.",
		"fr":      "J'ai **gelé votre compte** pour le protéger : connexion, trading, retraits et clés API sont bloqués et toutes les sessions sont fermées. Le ticket urgent **#{ticket}** est ouvert et l'équipe sécurité vous contactera ici.\n\nÀ faire maintenant :\n1. Réinitialisez votre mot de passe depuis un appareil de confiance.\n2. Réassociez votre 2FA (application d'authentification ou passkey).\n3. Sécurisez aussi votre compte e-mail.\n4. Une fois reconnecté, vérifiez vos appareils, clés API et adresses de retrait et supprimez ceux que vous ne reconnaissez pas.\n\nEnvoyez-nous les TxID des retraits que vous n'avez pas faits. Nous ne vous demanderons jamais votre mot de passe ni vos codes 2FA.",
	},
	"compromised_self": {
		"en":      "This is urgent, so I've opened urgent ticket **#{ticket}** and our security team will contact you here. I can't freeze your account from this chat because it isn't linked to your exchange account, so **freeze it yourself now**: in the app go to Profile > Security > Freeze account, or use the \"Freeze account\" link in any login-alert email.\n\nThen:\n1. Reset your password from a device you trust.\n2. Re-bind your 2FA.\n3. Secure your email account.\n4. Remove devices, API keys and withdrawal addresses you don't recognise.\n\nWe will never ask for your password or 2FA codes.",
		"zh-Hans": "情况紧急，我已为您创建紧急工单 **#{ticket}**，安全团队会在这里联系您。由于此对话未绑定您的交易所账户，我无法在这里冻结账户，**请立即自行冻结**：在 App 中进入“个人中心 > 安全 > 冻结账户”，或点击任意登录提醒邮件中的“冻结账户”链接。\n\n然后：\n1. 在可信设备上重置密码。\n2. 重新绑定 2FA。\n3. 加固邮箱账户安全。\n4. 删除不认识的设备、API 密钥和提币地址。\n\n我们绝不会索要您的密码或 2FA 验证码。",
		"zh-Hant": "情況緊急，我已為您建立緊急工單 **#{ticket}**，安全團隊會在這裡聯繫您。由於此對話未綁定您的交易所帳戶，我無法在這裡凍結帳戶，**請立即自行凍結**：在 App 中進入「個人中心 > 安全 > 凍結帳戶」，或點擊任一登入提醒郵件中的「凍結帳戶」連結。\n\n然後：\n1. 在可信任的裝置上重設密碼。\n2. 重新綁定 2FA。\n3. 加強電子郵件帳戶安全。\n4. 刪除不認識的裝置、API 金鑰和提幣地址。\n\n我們絕不會索取您的密碼或 2FA 驗證碼。",
		"ja":      "緊急のため、緊急チケット **#{ticket}** を作成しました。セキュリティチームがここでご連絡します。このチャットは取引所アカウントと連携していないため、ここから凍結することはできません。**今すぐご自身で凍結してください**：アプリの「プロフィール > セキュリティ > アカウント凍結」、またはログイン通知メールの「アカウント凍結」リンクから行えます。\n\nその後：\n1. 信頼できる端末からパスワードを再設定。\n2. 2FA を再設定。\n3. メールアカウントの安全を確保。\n4. 心当たりのない端末、API キー、出金アドレスを削除。\n\nパスワードや 2FA コードをお尋ねすることは決してありません。",
		"ko":      "긴급 상황이므로 긴급 티켓 **#{ticket}**을(를) 만들었고 보안팀이 여기로 연락드립니다. 이 채팅은 거래소 계정과 연결되어 있지 않아 여기서 동결할 수 없으니 **지금 직접 동결하세요**: 앱에서 프로필 > 보안 > 계정 동결로 이동하거나 로그인 알림 이메일의 \"계정 동결\" 링크를 사용하세요.\n\n그다음:\n1. 신뢰할 수 있는 기기에서 비밀번호 재설정.\n2. 2FA 다시 연결.\n3. 이메일 계정 보안 강화.\n4. 모르는 기기, API 키, 출금 주소 삭제.\n\n저희는 절대로 비밀번호나 2FA 코드를 묻지 않습니다.",
		"ru":      "Это срочно: я создал срочное обращение **#{ticket}**, команда безопасности свяжется с вами здесь. Этот чат не привязан к вашему аккаунту на бирже, поэтому я не могу заморозить его отсюда — **заморозьте аккаунт сами прямо сейчас**: в приложении Профиль > Безопасность > Заморозить аккаунт или по ссылке «Заморозить аккаунт» в любом письме о входе.\n\nЗатем:\n1. Смените пароль с доверенного устройства.\n2. Заново привяжите 2FA.\n3. Защитите почтовый ящик.\n4. Удалите незнакомые устройства, API-ключи и адреса вывода.\n\nМы никогда не спрашиваем пароль или коды 2FA.",
		"es":      "Es urgente, así que abrí el ticket urgente **#{ticket}** y el equipo de seguridad te contactará aquí. No puedo congelar tu cuenta desde este chat porque no está vinculado a tu cuenta del exchange, así que **congélala tú ahora**: en la app ve a Perfil > Seguridad > Congelar cuenta, o usa el enlace \"Congelar cuenta\" de cualquier correo de alerta de inicio de sesión.\n\nDespués:\n1. Restablece tu contraseña desde un dispositivo de confianza.\n2. Vuelve a vincular tu 2FA.\n3. Protege tu correo electrónico.\n4. Elimina dispositivos, claves API y direcciones de retiro que no reconozcas.\n\nNunca te pediremos tu contraseña ni tus códigos 2FA.",
		"vi":      "Đây là việc khẩn cấp, tôi đã tạo phiếu khẩn cấp **#{ticket}** và đội bảo mật sẽ liên hệ với bạn tại đây. Cuộc trò chuyện này chưa liên kết với tài khoản sàn của bạn nên tôi không thể đóng băng từ đây, **hãy tự đóng băng ngay**: trong ứng dụng vào Hồ sơ > Bảo mật > Đóng băng tài khoản, hoặc dùng liên kết \"Đóng băng tài khoản\" trong bất kỳ email cảnh báo đăng nhập nào.\n\nSau đó:\n1. Đặt lại mật khẩu từ thiết bị đáng tin cậy.\n2. Liên kết lại 2FA.\n3. Bảo mật tài khoản email.\n4. Xóa thiết bị, khóa API và địa chỉ rút tiền mà bạn không nhận ra.\n\nChúng tôi không bao giờ hỏi mật khẩu hay mã 2FA của bạn.",
		"tr":      "Bu acil bir durum; acil talep **#{ticket}** açtım ve güvenlik ekibimiz sizinle buradan iletişime geçecek. Bu sohbet borsa hesabınıza bağlı olmadığı için hesabı buradan donduramam, **hemen kendiniz dondurun**: uygulamada Profil > Güvenlik > Hesabı dondur bölümüne gidin veya herhangi bir giriş uyarısı e-postasındaki \"Hesabı dondur\" bağlantısını kullanın.\n\nArdından:\n1. Güvendiğiniz bir cihazdan şifrenizi sıfırlayın.\n2. 2FA'yı yeniden bağlayın.\n3. E-posta hesabınızı güvence altına alın.\n4. Tanımadığınız cihazları, API anahtarlarını ve çekim adreslerini silin.\n\nŞifrenizi veya 2FA kodlarınızı asla sormayız.",
		"pt":      "É urgente, então abri o ticket urgente **#{ticket}** e a equipe de segurança vai falar com você aqui. Não consigo congelar sua conta por este chat porque ele não está vinculado à sua conta na corretora, então **congele-a você mesmo agora**: no app vá em Perfil > Segurança > Congelar conta, ou use o link \"Congelar conta\" de qualquer e-mail de alerta de login.\n\nDepois:\n1. Redefina sua senha em um dispositivo confiável.\n2. Vincule novamente o 2FA.\n3. Proteja sua conta de e-mail.\n4. Remova dispositivos, chaves de API e endereços de saque que não reconhecer.\n\nNunca pediremos sua senha ou códigos 2FA.",
		"fr":      "C'est urgent : j'ai ouvert le ticket urgent **#{ticket}** et l'équipe sécurité vous contactera ici. Cette conversation n'est pas liée à votre compte sur la plateforme, je ne peux donc pas le geler d'ici : **gelez-le vous-même maintenant** dans l'application via Profil > Sécurité > Geler le compte, ou avec le lien « Geler le compte » de n'importe quel e-mail d'alerte de connexion.\n\nEnsuite :\n1. Réinitialisez votre mot de passe depuis un appareil de confiance.\n2. Réassociez votre 2FA.\n3. Sécurisez votre compte e-mail.\n4. Supprimez les appareils, clés API et adresses de retrait que vous ne reconnaissez pas.\n\nNous ne vous demanderons jamais votre mot de passe ni vos codes 2FA.",
	},
	"refuse_undo": {
		"en":      "For your safety I can't unfreeze accounts, turn off or remove 2FA, or change withdrawal addresses from this chat, whatever the request says. A support agent can do it after verifying your identity; I've noted your request for them.",
		"zh-Hans": "为了您的资金安全，我无法在此对话中解冻账户、关闭或解绑 2FA、或更改提币地址，无论请求如何表述。客服人员在核实您的身份后可以处理，我已为他们记录您的请求。",
		"zh-Hant": "為了您的資金安全，我無法在此對話中解凍帳戶、關閉或解除 2FA、或變更提幣地址，無論請求如何表述。客服人員在核實您的身分後可以處理，我已為他們記錄您的請求。",
		"ja":      "安全のため、どのようなご依頼でも、このチャットからアカウントの凍結解除、2FA の無効化・解除、出金アドレスの変更はできません。本人確認の後に担当者が対応できます。ご依頼は担当者向けに記録しました。",
		"ko":      "안전을 위해 요청 내용과 관계없이 이 채팅에서는 계정 동결 해제, 2FA 해제·삭제, 출금 주소 변경을 할 수 없습니다. 본인 확인 후 상담원이 처리할 수 있으며, 요청 내용을 상담원에게 전달되도록 기록했습니다.",
		"ru":      "В целях безопасности я не могу разморозить аккаунт, отключить или удалить 2FA или изменить адреса вывода из этого чата, как бы ни был сформулирован запрос. Это может сделать специалист поддержки после проверки личности; я передал ему ваш запрос.",
		"es":      "Por tu seguridad no puedo descongelar cuentas, desactivar o quitar el 2FA ni cambiar direcciones de retiro desde este chat, diga lo que diga la solicitud. Un agente puede hacerlo tras verificar tu identidad; he dejado anotada tu solicitud para el equipo.",
		"vi":      "Vì an toàn của bạn, tôi không thể mở đóng băng tài khoản, tắt hoặc gỡ 2FA, hay đổi địa chỉ rút tiền từ cuộc trò chuyện này, dù yêu cầu nói gì. Nhân viên hỗ trợ có thể làm việc này sau khi xác minh danh tính của bạn; tôi đã ghi lại yêu cầu cho họ.",
		"tr":      "Güvenliğiniz için, talep ne derse desin, bu sohbetten hesap dondurmasını kaldıramam, 2FA'yı kapatamam veya kaldıramam ya da çekim adreslerini değiştiremem. Bir destek temsilcisi kimliğinizi doğruladıktan sonra bunu yapabilir; talebinizi onlar için not ettim.",
		"pt":      "Por segurança, não posso descongelar contas, desativar ou remover o 2FA nem alterar endereços de saque por este chat, seja qual for o pedido. Um atendente pode fazer isso após verificar sua identidade; registrei sua solicitação para a equipe.",
		"fr":      "Pour votre sécurité, je ne peux pas dégeler un compte, désactiver ou supprimer la 2FA ni modifier des adresses de retrait depuis cette conversation, quelle que soit la demande. Un agent peut le faire après avoir vérifié votre identité ; j'ai noté votre demande pour l'équipe.",
	},
	"too_long": {
		"en":      "Your message is too long ({n} characters; the limit is {max}). Please shorten it or send it in parts.",
		"zh-Hans": "您的消息过长（{n} 个字符，上限为 {max}）。请精简或分段发送。", "zh-Hant": "您的訊息過長（{n} 個字元，上限為 {max}）。請精簡或分段傳送。",
		"ja": "メッセージが長すぎます（{n} 文字、上限は {max} 文字）。短くするか、分けて送信してください。", "ko": "메시지가 너무 깁니다({n}자, 한도 {max}자). 줄이거나 나누어 보내 주세요.",
		"ru": "Сообщение слишком длинное ({n} символов, лимит {max}). Сократите его или отправьте частями.", "es": "Tu mensaje es demasiado largo ({n} caracteres; el límite es {max}). Acórtalo o envíalo en partes.",
		"vi": "Tin nhắn quá dài ({n} ký tự; giới hạn là {max}). Vui lòng rút gọn hoặc gửi thành nhiều phần.", "tr": "Mesajınız çok uzun ({n} karakter; sınır {max}). Lütfen kısaltın veya parçalar halinde gönderin.",
		"pt": "Sua mensagem é longa demais ({n} caracteres; o limite é {max}). Encurte-a ou envie em partes.", "fr": "Votre message est trop long ({n} caractères ; la limite est de {max}). Raccourcissez-le ou envoyez-le en plusieurs fois.",
	},
	"invalid_text": {
		"en": "I couldn't read that message: it isn't valid text.", "zh-Hans": "无法读取该消息：内容不是有效的文本。", "zh-Hant": "無法讀取該訊息：內容不是有效的文字。",
		"ja": "メッセージを読み取れませんでした：有効なテキストではありません。", "ko": "메시지를 읽을 수 없습니다: 올바른 텍스트가 아닙니다.", "ru": "Не удалось прочитать сообщение: это не корректный текст.",
		"es": "No pude leer ese mensaje: no es texto válido.", "vi": "Không thể đọc tin nhắn: nội dung không phải văn bản hợp lệ.", "tr": "Bu mesajı okuyamadım: geçerli bir metin değil.",
		"pt": "Não consegui ler essa mensagem: não é um texto válido.", "fr": "Je n'ai pas pu lire ce message : ce n'est pas un texte valide.",
	},
	"empty": {
		"en": "Please type your question.", "zh-Hans": "请输入您的问题。", "zh-Hant": "請輸入您的問題。", "ja": "質問を入力してください。", "ko": "질문을 입력해 주세요.",
		"ru": "Пожалуйста, напишите вопрос.", "es": "Escribe tu pregunta.", "vi": "Vui lòng nhập câu hỏi của bạn.", "tr": "Lütfen sorunuzu yazın.", "pt": "Digite sua pergunta.", "fr": "Veuillez écrire votre question.",
	},
	"unknown_command": {
		"en": "I don't know the command /{cmd}. Type /help to see what I can do.", "zh-Hans": "不支持命令 /{cmd}。输入 /help 查看可用功能。", "zh-Hant": "不支援指令 /{cmd}。輸入 /help 查看可用功能。",
		"ja": "/{cmd} というコマンドはありません。/help で使い方を確認できます。", "ko": "/{cmd} 명령어는 없습니다. /help 를 입력해 사용법을 확인하세요.", "ru": "Команды /{cmd} нет. Напишите /help, чтобы узнать, что я умею.",
		"es": "No conozco el comando /{cmd}. Escribe /help para ver lo que puedo hacer.", "vi": "Tôi không biết lệnh /{cmd}. Gõ /help để xem tôi có thể làm gì.", "tr": "/{cmd} komutunu tanımıyorum. Neler yapabildiğimi görmek için /help yazın.",
		"pt": "Não conheço o comando /{cmd}. Digite /help para ver o que posso fazer.", "fr": "Je ne connais pas la commande /{cmd}. Tapez /help pour voir ce que je sais faire.",
	},
	"error": {
		"en": "Sorry, something went wrong on our side. Please try again in a moment.", "zh-Hans": "抱歉，系统出了点问题，请稍后再试。", "zh-Hant": "抱歉，系統出了點問題，請稍後再試。",
		"ja": "申し訳ありません。システムで問題が発生しました。しばらくしてからもう一度お試しください。", "ko": "죄송합니다. 시스템에 문제가 발생했습니다. 잠시 후 다시 시도해 주세요.", "ru": "Извините, у нас что-то пошло не так. Попробуйте ещё раз чуть позже.",
		"es": "Lo siento, algo falló de nuestro lado. Inténtalo de nuevo en un momento.", "vi": "Xin lỗi, hệ thống đang gặp sự cố. Vui lòng thử lại sau giây lát.", "tr": "Üzgünüz, bizim tarafımızda bir sorun oluştu. Lütfen biraz sonra tekrar deneyin.",
		"pt": "Desculpe, algo deu errado do nosso lado. Tente novamente em instantes.", "fr": "Désolé, un problème est survenu de notre côté. Réessayez dans un instant.",
	},
	"link_ok": {
		"en": "Your exchange account is now linked to this chat.", "zh-Hans": "您的交易所账户已与此对话绑定。", "zh-Hant": "您的交易所帳戶已與此對話綁定。",
		"ja": "取引所アカウントがこのチャットと連携されました。", "ko": "거래소 계정이 이 채팅과 연결되었습니다.", "ru": "Ваш аккаунт на бирже привязан к этому чату.",
		"es": "Tu cuenta del exchange ya está vinculada a este chat.", "vi": "Tài khoản sàn của bạn đã được liên kết với cuộc trò chuyện này.", "tr": "Borsa hesabınız artık bu sohbete bağlı.",
		"pt": "Sua conta na corretora agora está vinculada a este chat.", "fr": "Votre compte est maintenant lié à cette conversation.",
	},
	"link_bad": {
		"en": "This link is invalid, expired or already used. Please get a new one from your account settings.", "zh-Hans": "该链接无效、已过期或已被使用，请在账户设置中重新获取。",
		"zh-Hant": "此連結無效、已過期或已被使用，請在帳戶設定中重新取得。", "ja": "このリンクは無効、期限切れ、または使用済みです。アカウント設定から新しいリンクを取得してください。",
		"ko": "이 링크는 유효하지 않거나 만료되었거나 이미 사용되었습니다. 계정 설정에서 새 링크를 받아 주세요.", "ru": "Ссылка недействительна, устарела или уже использована. Получите новую в настройках аккаунта.",
		"es": "Este enlace no es válido, caducó o ya se usó. Obtén uno nuevo en los ajustes de tu cuenta.", "vi": "Liên kết này không hợp lệ, đã hết hạn hoặc đã được dùng. Vui lòng lấy liên kết mới trong cài đặt tài khoản.",
		"tr": "Bu bağlantı geçersiz, süresi dolmuş ya da kullanılmış. Lütfen hesap ayarlarınızdan yeni bir bağlantı alın.", "pt": "Este link é inválido, expirou ou já foi usado. Gere um novo nas configurações da sua conta.",
		"fr": "Ce lien est invalide, expiré ou déjà utilisé. Demandez-en un nouveau dans les paramètres de votre compte.",
	},
	"feedback_thanks": {
		"en": "Thanks for your feedback!", "zh-Hans": "感谢您的反馈！", "zh-Hant": "感謝您的回饋！", "ja": "フィードバックありがとうございます！", "ko": "피드백 감사합니다!",
		"ru": "Спасибо за отзыв!", "es": "¡Gracias por tu opinión!", "vi": "Cảm ơn phản hồi của bạn!", "tr": "Geri bildiriminiz için teşekkürler!", "pt": "Obrigado pelo feedback!", "fr": "Merci pour votre avis !",
	},
	"feedback_sorry": {
		"en": "Sorry that didn't help. Could you tell me more, or type /human to reach a person?", "zh-Hans": "抱歉没能帮到您。能再详细说明一下吗？或输入 /human 转人工客服。",
		"zh-Hant": "抱歉沒能幫到您。能再詳細說明一下嗎？或輸入 /human 轉真人客服。", "ja": "お役に立てず申し訳ありません。もう少し詳しく教えていただくか、/human で担当者におつなぎします。",
		"ko": "도움이 되지 못해 죄송합니다. 조금 더 자세히 알려 주시거나 /human 을 입력해 상담원과 연결하세요.", "ru": "Жаль, что не помогло. Расскажете подробнее или напишите /human, чтобы связаться с человеком?",
		"es": "Siento que no te haya ayudado. ¿Me cuentas más, o escribes /human para hablar con una persona?", "vi": "Rất tiếc câu trả lời chưa giúp được bạn. Bạn có thể mô tả thêm, hoặc gõ /human để gặp nhân viên.",
		"tr": "Yardımcı olamadığım için üzgünüm. Biraz daha anlatır mısınız, ya da bir kişiye ulaşmak için /human yazın.", "pt": "Sinto muito que não tenha ajudado. Pode me contar mais, ou digitar /human para falar com uma pessoa?",
		"fr": "Désolé que cela ne vous ait pas aidé. Pouvez-vous m'en dire plus, ou tapez /human pour parler à une personne ?",
	},
	"duration_minutes": {
		"en": "{n} minutes", "zh-Hans": "{n} 分钟", "zh-Hant": "{n} 分鐘", "ja": "{n} 分", "ko": "{n}분", "ru": "{n} мин.", "es": "{n} minutos", "vi": "{n} phút", "tr": "{n} dakika", "pt": "{n} minutos", "fr": "{n} minutes",
	},
	"duration_hours": {
		"en": "{n} hours", "zh-Hans": "{n} 小时", "zh-Hant": "{n} 小時", "ja": "{n} 時間", "ko": "{n}시간", "ru": "{n} ч.", "es": "{n} horas", "vi": "{n} giờ", "tr": "{n} saat", "pt": "{n} horas", "fr": "{n} heures",
	},
	"action.helpful": {
		"en": "👍 Helpful", "zh-Hans": "👍 有帮助", "zh-Hant": "👍 有幫助", "ja": "👍 役に立った", "ko": "👍 도움이 됨", "ru": "👍 Помогло", "es": "👍 Útil", "vi": "👍 Hữu ích", "tr": "👍 Faydalı", "pt": "👍 Ajudou", "fr": "👍 Utile",
	},
	"action.not_helpful": {
		"en": "👎 Not helpful", "zh-Hans": "👎 没帮助", "zh-Hant": "👎 沒幫助", "ja": "👎 役に立たなかった", "ko": "👎 도움이 안 됨", "ru": "👎 Не помогло", "es": "👎 No útil", "vi": "👎 Không hữu ích", "tr": "👎 Faydalı değil", "pt": "👎 Não ajudou", "fr": "👎 Pas utile",
	},
	"action.human": {
		"en": "Talk to a human", "zh-Hans": "转人工客服", "zh-Hant": "轉真人客服", "ja": "担当者と話す", "ko": "상담원 연결", "ru": "Связаться с человеком", "es": "Hablar con una persona", "vi": "Gặp nhân viên", "tr": "Bir kişiyle görüş", "pt": "Falar com uma pessoa", "fr": "Parler à une personne",
	},
}

// Lookup returns the message key in lang without falling back.
func Lookup(lang, key string) (string, bool) {
	s, ok := catalog[key][lang]
	return s, ok
}

// CatalogKeys lists every message key, sorted.
func CatalogKeys() []string {
	keys := make([]string, 0, len(catalog))
	for k := range catalog {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

package telegram

import (
	"context"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/supportbot/supportbot"
)

// commandOrder is the order of the command menu.
var commandOrder = []string{"start", "help", "lang", "human", "ticket", "status"}

// telegramLangCode maps a supported language to the two-letter code
// Telegram's setMyCommands takes. Telegram has one code for Chinese, so
// Simplified Chinese gets "zh" and Traditional Chinese readers see it too.
func telegramLangCode(lang string) string {
	switch lang {
	case "zh-Hans":
		return "zh"
	case "zh-Hant":
		return ""
	}
	return lang
}

// menus returns the command menus to register: the default (English, for
// languages without their own) and one per language Telegram can tell
// apart.
func menus() []tgbot.SetMyCommandsParams {
	build := func(lang string) []models.BotCommand {
		out := make([]models.BotCommand, len(commandOrder))
		for i, c := range commandOrder {
			out[i] = models.BotCommand{Command: c, Description: T(lang, "cmd."+c)}
		}
		return out
	}
	ps := []tgbot.SetMyCommandsParams{{Commands: build(supportbot.DefaultLang)}}
	for _, l := range supportbot.Languages {
		if code := telegramLangCode(l); code != "" {
			ps = append(ps, tgbot.SetMyCommandsParams{Commands: build(l), LanguageCode: code})
		}
	}
	return ps
}

// registerCommands sets the command menu in every language, retrying
// until it works or ctx is done. A missing menu does not stop the bot.
func (c *Connector) registerCommands(ctx context.Context) {
	for _, p := range menus() {
		p := p
		if retry(ctx, c.log, "setMyCommands "+p.LanguageCode, func(ctx context.Context) error {
			cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			_, err := c.api.SetMyCommands(cctx, &p)
			return err
		}) != nil {
			return
		}
	}
}

package discordtest

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// validateMessage applies Discord's limits on a message; it returns what
// is wrong, or "".
func validateMessage(m *Message, am *AllowedMentions) string {
	if n := utf16Len(m.Content); n > 2000 {
		return fmt.Sprintf("content: Must be 2000 or fewer in length (%d)", n)
	}
	if m.Content == "" && len(m.Embeds) == 0 && len(m.Components) == 0 && len(m.Attachments) == 0 && m.Flags&FlagLoading == 0 {
		return "Cannot send an empty message"
	}
	if len(m.Embeds) > 10 {
		return "embeds: Must be 10 or fewer in length"
	}
	total := 0
	for i, e := range m.Embeds {
		if utf16Len(e.Title) > 256 {
			return fmt.Sprintf("embeds.%d.title: Must be 256 or fewer in length", i)
		}
		if utf16Len(e.Description) > 4096 {
			return fmt.Sprintf("embeds.%d.description: Must be 4096 or fewer in length", i)
		}
		if e.URL != "" {
			u, err := url.Parse(e.URL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return fmt.Sprintf("embeds.%d.url: Not a well formed URL", i)
			}
		}
		total += utf16Len(e.Title) + utf16Len(e.Description)
	}
	if total > 6000 {
		return "embeds: Embed size exceeds maximum size of 6000"
	}
	if len(m.Components) > 5 {
		return "components: Must be 5 or fewer in length"
	}
	ids := map[string]bool{}
	for i, row := range m.Components {
		if row.Type != ComponentActionRow {
			return fmt.Sprintf("components.%d.type: top-level components must be action rows", i)
		}
		if len(row.Components) < 1 || len(row.Components) > 5 {
			return fmt.Sprintf("components.%d.components: Must be between 1 and 5 in length", i)
		}
		for j, b := range row.Components {
			at := fmt.Sprintf("components.%d.components.%d", i, j)
			if b.Type != ComponentButton {
				return at + ".type: only buttons are supported by this fake"
			}
			if b.Style < 1 || b.Style > 6 {
				return at + ".style: Value must be one of {1, 2, 3, 4, 5, 6}"
			}
			if b.Label == "" && b.Emoji == nil {
				return at + ": a button needs a label or an emoji"
			}
			if utf16Len(b.Label) > 80 {
				return at + ".label: Must be 80 or fewer in length"
			}
			if b.Style == ButtonLink {
				if b.URL == "" || b.CustomID != "" {
					return at + ": a link button has a url and no custom_id"
				}
				continue
			}
			if n := len(b.CustomID); n < 1 || n > 100 {
				return at + ".custom_id: Must be between 1 and 100 in length"
			}
			if ids[b.CustomID] {
				return at + ".custom_id: Component custom id cannot be duplicated"
			}
			ids[b.CustomID] = true
		}
	}
	if am != nil {
		if contains(am.Parse, "users") && len(am.Users) > 0 {
			return "allowed_mentions: parse:[\"users\"] and users are mutually exclusive"
		}
		for _, p := range am.Parse {
			if p != "users" && p != "roles" && p != "everyone" {
				return "allowed_mentions.parse: unknown value " + p
			}
		}
	}
	return ""
}

// commandName is Discord's rule for command and option names (and their
// localizations): 1 to 32 letters, digits, '-' or '_', in lower case
// where the letter has cases.
var commandName = regexp.MustCompile(`^[-_\p{L}\p{N}\p{Devanagari}\p{Thai}]{1,32}$`)

// locales are the locales Discord accepts in localizations.
var locales = map[string]bool{
	"id": true, "da": true, "de": true, "en-GB": true, "en-US": true, "es-ES": true, "es-419": true, "fr": true,
	"hr": true, "it": true, "lt": true, "hu": true, "nl": true, "no": true, "pl": true, "pt-BR": true, "ro": true,
	"fi": true, "sv-SE": true, "vi": true, "tr": true, "cs": true, "el": true, "bg": true, "ru": true, "uk": true,
	"hi": true, "th": true, "zh-CN": true, "ja": true, "zh-TW": true, "ko": true,
}

func validName(name string) bool {
	return commandName.MatchString(name) && strings.ToLower(name) == name
}

func validDesc(d string) bool { n := utf16Len(d); return n >= 1 && n <= 100 }

func validLocalized(field string, m map[string]string, valid func(string) bool) string {
	for loc, v := range m {
		if !locales[loc] {
			return fmt.Sprintf("%s: %q is not a valid locale", field, loc)
		}
		if !valid(v) {
			return fmt.Sprintf("%s.%s: %q is invalid", field, loc, v)
		}
	}
	return ""
}

// validateCommands applies Discord's rules to a bulk overwrite of chat
// commands.
func validateCommands(cmds []Command) string {
	if len(cmds) > 100 {
		return "Must be 100 or fewer in length"
	}
	names := map[string]bool{}
	for i, c := range cmds {
		at := fmt.Sprintf("%d", i)
		if !validName(c.Name) {
			return at + ".name: Command name is invalid"
		}
		if names[c.Name] {
			return at + ".name: Application command names must be unique"
		}
		names[c.Name] = true
		if !validDesc(c.Description) {
			return at + ".description: Must be between 1 and 100 in length"
		}
		if msg := validLocalized(at+".name_localizations", c.NameLocalizations, validName); msg != "" {
			return msg
		}
		if msg := validLocalized(at+".description_localizations", c.DescriptionLocalizations, validDesc); msg != "" {
			return msg
		}
		if len(c.Options) > 25 {
			return at + ".options: Must be 25 or fewer in length"
		}
		optional := false
		opts := map[string]bool{}
		for j, o := range c.Options {
			oat := fmt.Sprintf("%s.options.%d", at, j)
			if !validName(o.Name) || opts[o.Name] {
				return oat + ".name: Command name is invalid"
			}
			opts[o.Name] = true
			if !validDesc(o.Description) {
				return oat + ".description: Must be between 1 and 100 in length"
			}
			if msg := validLocalized(oat+".name_localizations", o.NameLocalizations, validName); msg != "" {
				return msg
			}
			if msg := validLocalized(oat+".description_localizations", o.DescriptionLocalizations, validDesc); msg != "" {
				return msg
			}
			if o.Required && optional {
				return oat + ".required: Required options must be placed before non-required options"
			}
			optional = optional || !o.Required
			if len(o.Choices) > 25 {
				return oat + ".choices: Must be 25 or fewer in length"
			}
			for k, ch := range o.Choices {
				if n := utf16Len(ch.Name); n < 1 || n > 100 {
					return fmt.Sprintf("%s.choices.%d.name: Must be between 1 and 100 in length", oat, k)
				}
			}
		}
	}
	return ""
}

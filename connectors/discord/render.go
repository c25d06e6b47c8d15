package discord

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/supportbot/supportbot"
)

// outMessage is one Discord message of a reply.
type outMessage struct {
	Content    string
	Embeds     []*discordgo.MessageEmbed
	Components []discordgo.MessageComponent
}

// Discord's limits on what one message may carry.
const (
	maxEmbeds        = 10
	maxEmbedTitle    = 256
	maxActionRows    = 5
	maxRowButtons    = 5
	maxButtonLabel   = 80
	maxCustomID      = 100
	embedColor       = 0x5865F2
	mentionAllowance = 32 // "<@snowflake> " in front of the first part
)

// render turns a reply into Discord messages: its text split at 2,000
// characters, with embeds for the cited articles and the buttons under the
// last part. owner is the user the buttons belong to.
func (c *Connector) render(r supportbot.Reply, owner string) []outMessage {
	text := absoluteLinks(r.Text, c.cfg.PublicURL)
	var parts []outMessage
	for _, p := range splitMessage(text, MaxMessageLen-mentionAllowance) {
		parts = append(parts, outMessage{Content: p})
	}
	embeds := c.citationEmbeds(r.Citations)
	rows := actionRows(r, owner)
	if len(parts) == 0 && len(embeds) == 0 && len(rows) == 0 {
		return nil
	}
	if len(parts) == 0 {
		parts = append(parts, outMessage{})
	}
	last := &parts[len(parts)-1]
	last.Embeds, last.Components = embeds, rows
	return parts
}

// citationEmbeds shows each cited article as a linked embed.
func (c *Connector) citationEmbeds(cs []supportbot.Citation) []*discordgo.MessageEmbed {
	var out []*discordgo.MessageEmbed
	seen := map[string]bool{}
	for _, ct := range cs {
		if len(out) == maxEmbeds {
			break
		}
		key := ct.ArticleID + "@" + ct.Lang
		if seen[key] || ct.Title == "" {
			continue
		}
		seen[key] = true
		e := &discordgo.MessageEmbed{Type: discordgo.EmbedTypeRich, Title: truncate(ct.Title, maxEmbedTitle), Color: embedColor}
		// Discord refuses a message whose embed URL is not absolute.
		if u := absoluteURL(ct.URL, c.cfg.PublicURL); u != "" {
			e.URL = u
		}
		out = append(out, e)
	}
	return out
}

// Custom ids of the buttons: "sb:<kind>:<owner>[:<arg>...]". The owner is
// the user the conversation belongs to: only they may press them (in a
// public thread anyone can see the buttons).
const (
	kindHelpful    = "fy" // arg: reply id
	kindNotHelpful = "fn" // arg: reply id
	kindHuman      = "hu"
	kindLang       = "la" // arg: language tag
	kindCSAT       = "cs" // args: ticket id, score
)

func customID(kind, owner string, args ...string) string {
	return strings.Join(append([]string{"sb", kind, owner}, args...), ":")
}

// parseCustomID splits a custom id made by customID.
func parseCustomID(id string) (kind, owner string, args []string, ok bool) {
	f := strings.Split(id, ":")
	if len(f) < 3 || f[0] != "sb" {
		return "", "", nil, false
	}
	return f[1], f[2], f[3:], true
}

// actionRows lays out the reply's actions as buttons: one row per kind of
// action (feedback and "human" together), five buttons a row, at most five
// rows. Actions that cannot be attributed are left out.
func actionRows(r supportbot.Reply, owner string) []discordgo.MessageComponent {
	var rows []discordgo.MessageComponent
	var row []discordgo.MessageComponent
	group := ""
	flush := func() {
		if len(row) > 0 && len(rows) < maxActionRows {
			rows = append(rows, discordgo.ActionsRow{Components: row})
		}
		row = nil
	}
	for _, a := range r.Actions {
		b, g, ok := button(a, r, owner)
		if !ok {
			continue
		}
		if g != group || len(row) == maxRowButtons {
			flush()
			group = g
		}
		row = append(row, b)
	}
	flush()
	return rows
}

// button renders one action, and names the group it is laid out with.
func button(a supportbot.Action, r supportbot.Reply, owner string) (discordgo.Button, string, bool) {
	label := truncate(a.Label, maxButtonLabel)
	b := discordgo.Button{Label: label, Style: discordgo.SecondaryButton}
	group := "answer"
	switch {
	case a.Kind == "helpful" && r.ID != "":
		b.CustomID, b.Style = customID(kindHelpful, owner, r.ID), discordgo.SuccessButton
		b.Emoji = &discordgo.ComponentEmoji{Name: "👍"}
	case a.Kind == "not_helpful" && r.ID != "":
		b.CustomID = customID(kindNotHelpful, owner, r.ID)
		b.Emoji = &discordgo.ComponentEmoji{Name: "👎"}
	case a.Kind == "human":
		b.CustomID, b.Style = customID(kindHuman, owner), discordgo.PrimaryButton
	case strings.HasPrefix(a.Kind, "lang:") && supportbot.IsLanguage(strings.TrimPrefix(a.Kind, "lang:")):
		b.CustomID, group = customID(kindLang, owner, strings.TrimPrefix(a.Kind, "lang:")), "lang"
	case strings.HasPrefix(a.Kind, "csat:") && r.TicketID != "":
		score, err := strconv.Atoi(strings.TrimPrefix(a.Kind, "csat:"))
		if err != nil || score < 1 || score > 5 {
			return b, "", false
		}
		b.CustomID, group = customID(kindCSAT, owner, r.TicketID, strconv.Itoa(score)), "csat"
	default:
		return b, "", false
	}
	if b.Label == "" {
		if b.Emoji == nil {
			return b, "", false
		}
	}
	if len(b.CustomID) > maxCustomID {
		return b, "", false
	}
	return b, group, true
}

// mdLink matches the target of a Markdown link, or a bare relative link
// target, as the engine writes them: [text](/en/articles/x).
var mdLink = regexp.MustCompile(`\[((?:[^\[\]\\]|\\.)*)\]\(([^()\s]*)\)`)

// absoluteLinks rewrites relative link targets against base. Discord
// shows only absolute http(s) links; without a base, the link text stays.
func absoluteLinks(text, base string) string {
	if !strings.Contains(text, "](") {
		return text
	}
	return mdLink.ReplaceAllStringFunc(text, func(s string) string {
		m := mdLink.FindStringSubmatch(s)
		target := m[2]
		if u, err := url.Parse(target); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
			return s
		}
		if abs := absoluteURL(target, base); abs != "" {
			return "[" + m[1] + "](" + abs + ")"
		}
		return m[1]
	})
}

// absoluteURL resolves ref against base, keeping only http(s) results.
func absoluteURL(ref, base string) string {
	u, err := url.Parse(ref)
	if err != nil || ref == "" {
		return ""
	}
	if !u.IsAbs() {
		b, err := url.Parse(base)
		if err != nil || base == "" || !b.IsAbs() {
			return ""
		}
		u = b.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	return u.String()
}

// truncate shortens s to n characters as Discord counts them.
func truncate(s string, n int) string {
	if textLen(s) <= n {
		return s
	}
	return s[:prefixBytes(s, n-1)] + "…"
}
